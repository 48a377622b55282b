from dataclasses import replace

import pytest
from view_factory import PHASE_VIEWS, plan_reps, recorded, rep_step, session_results, view

from trackside.core.events import Phase, Source
from trackside.core.readout import (
    Number,
    describe,
    plain_text,
    readout,
    seconds_to_change,
    summary,
    target_words,
    timed,
)
from trackside.core.schedule import Leg, Step, StepKind, expand
from trackside.plan_source import load_plan
from trackside.commands.simulate import view_at


def test_a_countdown_shows_whole_seconds_rounded_up() -> None:
    assert readout(view(clock_s=44.01)).number == Number("", "", "45", "")
    assert readout(view(clock_s=45.0)).number == Number("", "", "45", "")
    assert readout(view(clock_s=0.2)).number == Number("", "", "1", "")
    assert readout(view(clock_s=90.0)).number == Number("", "1", "30", "")


def test_a_running_rep_shows_tenths_under_a_minute_and_minutes_after() -> None:
    rep = PHASE_VIEWS["rep"]
    assert readout(rep).number == Number("", "", "47", ".3")
    assert readout(view(phase=Phase.REP, counting_down=False, clock_s=65.7)).number == Number(
        "", "1", "05", "")


def test_a_set_break_past_its_minimum_counts_the_extra_time_up_with_a_plus() -> None:
    shown = readout(PHASE_VIEWS["set_break_overtime"])
    assert shown.number == Number("+", "", "25", "")
    assert shown.prompt == "PRESS TO START SET 2"


def test_ready_shows_the_prompt_instead_of_a_number() -> None:
    shown = readout(PHASE_VIEWS["ready"])
    assert shown.number is None
    assert shown.headline == "PRESS TO START SET 1"
    assert shown.prompt == ""


def test_a_time_is_rounded_up_to_the_hundredth_from_the_beam_and_the_tenth_by_hand() -> None:
    assert timed(recorded(seconds=65.321)).time == "1:05.33"
    assert timed(recorded(seconds=65.3, source=Source.BUTTON)).time == "1:05.3"
    assert timed(recorded(seconds=65.301, source=Source.BUTTON)).time == "1:05.4"


def test_the_difference_to_target_is_signed_and_judged() -> None:
    slow = timed(recorded(seconds=65.8))
    fast = timed(recorded(seconds=63.8, source=Source.BUTTON))
    assert (slow.delta, slow.good) == ("+0.80", False)
    assert (fast.delta, fast.good) == ("-1.2", True)
    assert timed(recorded(target_s=None)).delta == ""


def test_steps_are_described_as_a_coach_writes_them() -> None:
    assert describe(rep_step()) == "400 m @ 1:05.0 (2:42/km)"
    kick = Step(StepKind.REP, legs=(Leg(distance_m=300, target_s=48, target_text="48s"),
                                    Leg(distance_m=100, max_effort=True, target_text="max")))
    assert describe(kick) == "300 m @ 48.0 s + 100 m max"
    squats = Step(StepKind.REP, legs=(Leg(count=10, label="squat", target_text="85%"),))
    assert describe(squats) == "10 × squat @ 85%"
    tempo = Step(StepKind.REP, legs=(Leg(distance_m=1000, target_s=295, target_text="4:55/km"),))
    assert describe(tempo) == "1 km @ 4:55.0 (4:55/km)"
    bounds = Step(StepKind.REP, legs=(Leg(distance_m=10, label="bounds", max_effort=True),))
    assert describe(bounds) == "10 m bounds max"


def test_a_rep_that_does_not_start_on_the_line_says_where_it_starts() -> None:
    kick = Step(StepKind.REP, start_offset_m=100.0,
                legs=(Leg(distance_m=400, target_s=118, target_text="4:55/km"),
                      Leg(distance_m=100, max_effort=True, target_text="max")))
    assert describe(kick) == "400 m @ 1:58.0 + 100 m max, START 100 m BEFORE THE LINE"
    assert describe(rep_step()).endswith("(2:42/km)")  # a 400 starts on the line


def test_the_where_line_names_set_and_rep() -> None:
    assert readout(view()).where == "SET 1/2  REP 3/6"
    assert readout(view(sets_total=1)).where == "REP 3/6"


@pytest.mark.parametrize(("clock", "wait"), [(45.0, 1.0), (44.3, 0.3), (2.8, 0.3), (2.3, 0.3),
                                             (0.4, 0.4)])
def test_a_countdown_changes_on_each_second_and_flashes_on_the_half_in_the_last_three(
        clock: float, wait: float) -> None:
    assert seconds_to_change(view(clock_s=clock)) == pytest.approx(wait, abs=1e-5)


def test_a_rep_clock_changes_every_tenth_under_a_minute_and_every_second_after() -> None:
    running = view(phase=Phase.REP, counting_down=False, progress=None, clock_s=47.36)
    assert seconds_to_change(running) == pytest.approx(0.04, abs=1e-5)
    assert seconds_to_change(running, tenths=False) == pytest.approx(0.64, abs=1e-5)
    assert seconds_to_change(replace(running, clock_s=65.7)) == pytest.approx(0.3, abs=1e-5)


def test_still_pictures_do_not_change_by_themselves() -> None:
    for name in ("ready", "paused", "finished"):
        assert seconds_to_change(PHASE_VIEWS[name]) is None


def test_the_last_three_seconds_of_a_rest_flash_green_on_the_first_half_of_each_second() -> None:
    assert readout(view(clock_s=2.8)).flash is Phase.REP
    assert readout(view(clock_s=2.3)).flash is None
    assert readout(view(clock_s=3.2)).flash is None
    assert readout(replace(PHASE_VIEWS["paused"], clock_s=2.8)).flash is None


def test_the_progress_bar_steps_with_the_seconds() -> None:
    # 90 s rest: at 44.6 s left the number reads 45, so the bar is at 45/90
    assert readout(view(clock_s=44.6, progress=1 - 44.6 / 90)).progress == pytest.approx(0.5)


def test_the_summary_lists_every_rep_with_its_target_and_difference() -> None:
    shown = summary(PHASE_VIEWS["finished"])
    assert [rep.label for rep in shown.reps] == [f"{s}.{r}" for s in (1, 2) for r in range(1, 7)]
    assert shown.reps[0].target == "1:05.0"
    assert shown.reps[0].timed.delta == "-0.55"
    (group,) = shown.groups  # twelve 400 m reps at 1:05: one group
    stats = {stat.label: stat.value for stat in group.stats}
    assert stats["REPS"] == "12"
    assert stats["BEST"] == "1:04.45"
    assert stats["FADE"] == "+2.75"



def test_during_a_rest_next_is_the_coming_rep_only() -> None:
    shown = readout(PHASE_VIEWS["rest"])  # rep 3 comes next; rep 4 is not mentioned
    assert (shown.target, shown.next) == ("NEXT 400 m @ 1:05.0 (2:42/km)", "")
    running = readout(PHASE_VIEWS["rep"])  # during a rep: the rep, and NEXT the one after
    assert (running.target, running.next) == ("400 m @ 1:05.0 (2:42/km)",
                                              "NEXT 400 m @ 1:05.0 (2:42/km)")


def test_the_cool_down_shows_the_sessions_summary_line() -> None:
    cooldown = replace(PHASE_VIEWS["cooldown"], results=session_results(),
                       plan_reps=plan_reps())
    assert readout(cooldown).target == "REPS 12  AVERAGE 1:05.83  VS TARGET +0.83"


@pytest.mark.parametrize(("seconds", "shown"), [
    (118.0, "1:58.0"), (59.97, "1:00.0"), (116.8245, "1:56.8"), (88.5, "1:28.5"),
    (10.85, "10.9 s"),
])
def test_a_target_is_shown_to_the_nearest_tenth(seconds: float, shown: str) -> None:
    assert target_words(seconds) == shown


def test_the_summary_groups_reps_that_belong_together() -> None:
    hard_kick = summary(view_at(expand(load_plan("hard-kick-500")), 99_999))
    assert [group.title for group in hard_kick.groups] == ["400 m @ 1:58.0",
                                                           "400 m @ 1:58.0 + 100 m max"]
    assert [len(group.reps) for group in hard_kick.groups] == [4, 2]
    assert plain_text(hard_kick).splitlines()[1] == (
        "  400 m @ 1:58.0: REPS 4  AVERAGE 1:58.00  BEST 1:58.00  SPREAD 0.00  FADE +0.00  "
        "VS TARGET +0.00")
