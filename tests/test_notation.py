"""The whiteboard notation: every example from the issue means exactly what a coach meant."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trackside.core.errors import UserError
from trackside.core.notation import parse_notation
from trackside.core.plan import TargetKind
from trackside.core.schedule import Schedule, StepKind, expand


def schedule(text: str, **references: float) -> Schedule:
    return expand(parse_notation(text, **references))


def kinds(plan: Schedule) -> list[str]:
    return [step.kind.value for step in plan.steps]


def durations(plan: Schedule, kind: StepKind) -> list[float | None]:
    return [step.duration_s for step in plan.steps if step.kind is kind]


def test_four_400s_at_75_seconds_with_a_minute_between() -> None:
    plan = schedule("4x400m @75s r60")

    assert kinds(plan) == ["rep", "rest"] * 3 + ["rep"]
    assert [(rep.distance_m, rep.target_s) for rep in plan.reps] == [(400, 75)] * 4
    assert durations(plan, StepKind.REST) == [60, 60, 60]
    assert plan.estimated_total_s == 4 * 75 + 3 * 60


def test_three_sets_of_descending_400s_at_4_55_per_km() -> None:
    plan = schedule("3x(4x400m @4:55/km r60,45,30) sb3:30")

    assert len(plan.reps) == 12
    assert all(rep.target_s == pytest.approx(118.0) for rep in plan.reps)
    assert durations(plan, StepKind.REST) == [60, 45, 30] * 3
    assert durations(plan, StepKind.SET_BREAK) == [210, 210]
    assert [(rep.set_no, rep.rep_no) for rep in plan.reps] == [
        (set_no, rep_no) for set_no in (1, 2, 3) for rep_no in (1, 2, 3, 4)
    ]


def test_blocks_joined_by_a_semicolon_share_the_set_and_the_first_blocks_rest() -> None:
    plan = schedule("4x400m @4:55/km r2:00; 2x400m @4:55/km +100m @max r2:00")

    assert len(plan.reps) == 6
    assert durations(plan, StepKind.REST) == [120] * 5
    assert durations(plan, StepKind.SET_BREAK) == []
    kick = plan.reps[-1]
    assert [(leg.distance_m, leg.target_s, leg.max_effort) for leg in kick.legs] == [
        (400, pytest.approx(118.0), False),
        (100, None, True),
    ]
    assert kick.distance_m == 500
    assert [len(rep.legs) for rep in plan.reps] == [1, 1, 1, 1, 2, 2]


def test_warmup_and_cooldown_wrap_the_reps() -> None:
    plan = schedule("wu15:00; 6x200m @32s r90; cd10:00")

    assert plan.steps[0].kind is StepKind.WARMUP and plan.steps[0].duration_s == 900
    assert plan.steps[-1].kind is StepKind.COOLDOWN and plan.steps[-1].duration_s == 600
    assert [(rep.distance_m, rep.target_s) for rep in plan.reps] == [(200, 32)] * 6
    assert durations(plan, StepKind.REST) == [90] * 5


def test_a_count_rep_is_ended_by_the_button_not_by_a_time() -> None:
    plan = schedule("4x10 squat r2:00")

    assert [(rep.count, rep.legs[0].label) for rep in plan.reps] == [(10, "squat")] * 4
    assert all(rep.duration_s is None and rep.target_s is None for rep in plan.reps)
    assert durations(plan, StepKind.REST) == [120] * 3


def test_timed_reps_last_their_length() -> None:
    plan = schedule("8x30s r30")

    assert [rep.duration_s for rep in plan.reps] == [30] * 8
    assert durations(plan, StepKind.REST) == [30] * 7
    assert plan.estimated_total_s == 8 * 30 + 7 * 30


@pytest.mark.parametrize(
    ("text", "metres", "seconds"),
    [
        ("1mi @7:50/mi", 1609.344, 470.0),
        ("1.2km @4:00/km", 1200, 288.0),
        ("400m @12.5s/100m", 400, 50.0),
        ("400m @1:15", 400, 75.0),
        ("400 m @75s", 400, 75.0),
    ],
)
def test_distances_and_paces_as_coaches_write_them(
    text: str, metres: float, seconds: float
) -> None:
    (rep,) = schedule(text).reps
    assert rep.distance_m == pytest.approx(metres)
    assert rep.target_s == pytest.approx(seconds)


def test_a_time_range_aims_at_its_middle_and_keeps_both_ends() -> None:
    (leg,) = schedule("400m @72-75s").reps[0].legs
    assert leg.target_s == 73.5
    assert leg.target_range_s == (72, 75)


def test_a_percentage_is_of_the_reference_speed() -> None:
    (leg,) = schedule("400m @80-95%", max_speed=8.0).reps[0].legs
    assert leg.target_range_s == pytest.approx((400 / 7.6, 400 / 6.4))


def test_pace_is_the_athletes_race_pace() -> None:
    (rep,) = schedule("400m @pace", pace=0.25).reps
    assert rep.target_s == 100


def test_sets_times_reps_without_brackets_and_a_set_break_range() -> None:
    plan = schedule("3x4x400m @75s r60 sb3:00-4:00")
    breaks = [step for step in plan.steps if step.kind is StepKind.SET_BREAK]
    assert len(plan.reps) == 12
    assert [(step.duration_s, step.max_s) for step in breaks] == [(180, 240)] * 2


def test_split_cues_crossings_and_labels() -> None:
    (rep,) = schedule("400m @50s sp100m").reps
    assert rep.split_times_s == (12.5, 25.0, 37.5)

    bounds = schedule("3x10m bounds r1:00").reps
    assert [(rep.distance_m, rep.legs[0].label) for rep in bounds] == [(10, "bounds")] * 3

    (mile,) = parse_notation("1mi c1").blocks
    assert mile.crossings == 1


def test_a_load_on_a_count_rep_is_a_percentage_without_a_reference() -> None:
    (block,) = parse_notation("3x3 squat @90% r3:00").blocks
    assert block.segments[0].target.kind is TargetKind.PERCENT
    assert block.segments[0].target.low == 90


def test_spaces_and_a_trailing_semicolon_are_forgiven() -> None:
    assert parse_notation("4 x 400m @ 75s r60, 45, 30;").blocks == parse_notation(
        "4x400m @75s r60,45,30"
    ).blocks


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("0x400m @75s r60", 1, "reps: must be more than 0"),
        ("4000x400m r60", 1, "reps: must be 200 or less (got 4000)"),
        ("4x400m @75s r-60", 13, "negative"),
        ("4x400m @4:75/km r60", 9, "'4:75/km' is not a pace"),
        ("4x400m @75s r60,45", 13, "4 reps have 3 gaps but the list has 2 values"),
        ("4x400m r60,45,-30", 15, "'-30' is negative"),
        ("4x400m @75s", 1, "need a rest between them"),
        ("4x400m @75s r60 fast", 17, "'fast' is not understood here"),
        ("4x400m @ r60", 10, "'r60' is not a target"),
        ("4xfast r60", 1, "'4xfast' is not a distance"),
        ("4x400m @75s r60 r30", 17, "rest is given twice"),
        ("3x(4x400m r60 sb3:00", 21, "expected ')'"),
        ("4x400m r60; wu10:00", 13, "the warmup comes first"),
        ("cd10:00; 4x400m r60", 10, "the cooldown ends the plan"),
        ("wu15:00", 8, "at least one block"),
        ("", 1, "expected a block"),
        ("4x10 squat @75s r60", 13, "a count rep takes no time target"),
        ("4x400m @pace r60", 9, "needs the athlete's race pace"),
        ("4x400m @85% r60", 9, "needs a reference speed"),
        ("400m @50s; 400m @50s", 1, "needs a rest"),
        ("4x400m r60 sb4:00-3:00", 12, "set break: a set break range must go"),
    ],
)
def test_bad_notation_names_the_problem_and_its_column(
    text: str, column: int, words: str
) -> None:
    with pytest.raises(UserError) as caught:
        parse_notation(text)
    message = str(caught.value)
    assert message.startswith(f"notation, column {column}: ")
    assert words in message
    assert "\n" not in message


@given(st.text(alphabet="0123456789x:;()+@%-,./ rmskmicdwupsbx×\t", max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_text_is_a_plan_or_one_user_error(text: str) -> None:
    try:
        parse_notation(text, pace=0.3, max_speed=8.0)
    except UserError as error:
        assert str(error).startswith("notation, column ")
        assert "\n" not in str(error)
