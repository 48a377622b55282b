"""The session's figures: grouped by what was run, computed from the times as shown."""

import pytest
from view_factory import recorded

from trackside.core.events import Source
from trackside.core.plan import Plan
from trackside.core.readout import summary, summary_line, timed
from trackside.core.schedule import expand
from trackside.core.summary import VsTarget, summarise, vs_target
from trackside.plan_source import load_plan
from trackside.commands.simulate import view_at


def test_a_difference_is_the_shown_time_minus_the_target() -> None:
    # 17.996 s is shown 18.00: against 20 the screen says -2.00, never -1.99
    assert timed(recorded(seconds=17.996, target_s=20.0)).delta == "-2.00"
    assert timed(recorded(seconds=61.21, target_s=60.0, source=Source.BUTTON)).delta == "+1.3"


def test_fade_best_and_average_are_computed_from_the_times_as_shown() -> None:
    reps = [recorded(1, 17.996, 20.0), recorded(2, 20.996, 20.0)]  # shown 18.00 and 21.00
    (group,) = summarise(reps, ()).groups
    assert (group.best_s, group.worst_s, group.fade_s) == (18.0, 21.0, 3.0)  # not +2.99
    assert group.mean_s == 19.5 and group.vs_target_s == -0.5
    assert group.spread_s == pytest.approx(2.12)


def test_an_average_is_rounded_to_its_precision_a_half_up() -> None:
    hand = [recorded(1, 61.2, 60.0, Source.BUTTON), recorded(2, 61.21, 60.0, Source.BUTTON)]
    (group,) = summarise(hand, ()).groups  # shown 61.2 and 61.3: the average is 61.25
    assert (group.decimals, group.mean_s, group.vs_target_s) == (1, 61.3, 1.3)


def test_one_beam_time_gives_the_figures_hundredths() -> None:
    mixed = [recorded(1, 61.21, 60.0, Source.BUTTON), recorded(2, 61.004, 60.0)]
    (group,) = summarise(mixed, ()).groups  # 61.3 by hand, 61.01 by the beam
    assert (group.decimals, group.best_s, group.fade_s) == (2, 61.01, -0.29)


def test_the_session_figure_averages_the_differences_as_shown() -> None:
    reps = [recorded(1, 29.851, 30.0), recorded(2, 29.861, 30.0)]  # -0.14 and -0.13 shown
    assert vs_target(reps) == VsTarget(-0.13, 2)  # the raw average, -0.144, would say -0.14
    assert vs_target([recorded(target_s=None)]) is None


def test_a_target_is_compared_as_it_is_shown_to_the_tenth() -> None:
    # 400 m at 7:50/mi is 116.82 s, shown 1:56.8: a beam 1:56.81 is 0.01 over what it says
    rep = recorded(seconds=116.81, target_s=400 * 470 / 1609.344)
    assert (timed(rep).time, timed(rep).delta) == ("1:56.81", "+0.01")


def test_hard_kick_500s_400s_are_never_averaged_with_its_500s() -> None:
    schedule = expand(load_plan("hard-kick-500"))
    four_hundreds, kicks = summarise(view_at(schedule, 99_999).results, schedule.reps).groups
    assert (four_hundreds.indexes, kicks.indexes) == ((1, 2, 3, 4), (5, 6))
    assert four_hundreds.mean_s == 118.0 and four_hundreds.vs_target_s == 0.0
    assert kicks.mean_s > 130 and kicks.vs_target_s is None  # the sprint has no target


def test_sprint_strengths_squats_are_never_averaged_with_its_bounds() -> None:
    schedule = expand(load_plan("sprint-strength"))
    groups = summarise(view_at(schedule, 99_999).results, schedule.reps).groups
    assert [len(group.indexes) for group in groups] == [4, 3, 3, 3]
    squats, bounds = groups[0], groups[-1]
    assert squats.decimals == 1 and bounds.decimals == 2  # a hand, then the beam
    assert squats.mean_s == 25.0 and bounds.mean_s < 2


def test_the_same_rep_in_every_set_is_one_group() -> None:
    schedule = expand(load_plan("descending-400s"))
    (group,) = summarise(view_at(schedule, 99_999).results, schedule.reps).groups
    assert len(group.indexes) == 12


def test_timed_reps_are_counted_never_averaged() -> None:
    schedule = expand(Plan.model_validate(
        {"name": "hills", "blocks": [{"reps": 3, "duration": "20s", "rest": 10}]}))
    (group,) = summarise(view_at(schedule, 99_999).results, schedule.reps).groups
    assert len(group.indexes) == 3 and group.mean_s is None


def test_the_summary_line_gives_an_average_only_when_every_rep_was_alike() -> None:
    alike = view_at(expand(load_plan("descending-400s")), 99_999)
    assert summary_line(summary(alike)) == "REPS 12  AVERAGE 2:10.00  VS TARGET +0.00"
    mixed = view_at(expand(load_plan("hard-kick-500")), 99_999)
    assert summary_line(summary(mixed)) == "REPS 6  VS TARGET +0.00"
