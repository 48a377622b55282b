"""`expand` keeps its promises for any plan a coach could write (hypothesis)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trackside.core.plan import Plan
from trackside.core.schedule import Schedule, StepKind, expand

# (segments as TOML writes them, the time one rep should add to the estimate)
REPS = [
    ([{"distance": "400m", "target": "75s"}], 75.0),
    ([{"distance": "200m", "target": "4:00/km"}], 48.0),
    ([{"distance": "800m"}], 0.0),
    ([{"distance": "400m", "target": "4:55/km"}, {"distance": "100m", "target": "max"}], 0.0),
    ([{"distance": "300m", "target": "50s"}, {"distance": "100m", "target": "15s"}], 65.0),
    ([{"duration": "30s"}], 30.0),
    ([{"count": 10, "label": "squat"}], 0.0),
]


@dataclass(frozen=True)
class Drawn:
    """A generated plan and, block by block, what it should expand to."""

    plan: Plan
    sets: list[int]
    reps: list[int]
    rests: list[list[float]]  # per block: the rest after rep 1, 2, ... (and the gap after it)
    set_breaks: list[float | None]  # per block: the set break's minimum, None if none given
    rep_times: list[float]
    warmup: float
    cooldown: float


@st.composite
def plans(draw: st.DrawFn, max_blocks: int = 3) -> Drawn:
    count = draw(st.integers(1, max_blocks))
    blocks, sets, reps, rests, set_breaks, rep_times = [], [], [], [], [], []
    for number in range(count):
        block_sets = draw(st.integers(1, 3))
        block_reps = draw(st.integers(1, 5))
        segments, rep_time = draw(st.sampled_from(REPS))
        set_break = draw(st.sampled_from([None, 0, 90, "3:00-4:00"]))
        joined = number < count - 1 and block_sets == 1 and set_break is None
        gaps = block_reps - 1 + joined
        seconds = st.integers(0, 300)
        if gaps == 0:
            rest = draw(st.sampled_from([None, 60]))
            rest_values = []
        elif draw(st.booleans()):
            rest = draw(seconds)
            rest_values = [rest] * gaps
        else:
            rest = draw(st.lists(seconds, min_size=gaps, max_size=gaps))
            rest_values = list(rest)
        block = {"sets": block_sets, "reps": block_reps, "segments": segments}
        block |= {"rest": rest} if rest is not None else {}
        block |= {"set_break": set_break} if set_break is not None else {}
        blocks.append(block)
        sets.append(block_sets)
        reps.append(block_reps)
        rests.append([float(value) for value in rest_values])
        set_breaks.append({None: None, 0: 0.0, 90: 90.0, "3:00-4:00": 180.0}[set_break])
        rep_times.append(rep_time)
    warmup = draw(st.sampled_from([0, 600, 900]))
    cooldown = draw(st.sampled_from([0, 600]))
    data = {"name": "drawn", "blocks": blocks, "warmup": warmup, "cooldown": cooldown}
    plan = Plan.model_validate(data)
    return Drawn(plan, sets, reps, rests, set_breaks, rep_times, warmup, cooldown)


def between_reps(schedule: Schedule) -> list[list[StepKind]]:
    """The kinds of the steps between each two consecutive reps."""
    gaps: list[list[StepKind]] = []
    current: list[StepKind] | None = None
    for step in schedule.steps:
        if step.kind is StepKind.REP:
            if current is not None:
                gaps.append(current)
            current = []
        elif current is not None and step.kind is not StepKind.COOLDOWN:
            current.append(step.kind)
    return gaps


@given(plans())
def test_exactly_one_rest_or_set_break_between_consecutive_reps(drawn: Drawn) -> None:
    schedule = expand(drawn.plan)
    reps = schedule.reps
    for before, after, gap in zip(reps[:-1], reps[1:], between_reps(schedule), strict=True):
        expected = StepKind.REST if before.set_no == after.set_no else StepKind.SET_BREAK
        assert gap == [expected]
        if expected is StepKind.SET_BREAK:
            assert (after.set_no, after.rep_no) == ((before.set_no or 0) + 1, 1)
        else:
            assert after.rep_no == (before.rep_no or 0) + 1


@given(plans())
def test_no_rest_after_the_last_rep_and_warmup_and_cooldown_at_the_ends(drawn: Drawn) -> None:
    steps = expand(drawn.plan).steps
    middle = [step for step in steps if step.kind not in (StepKind.WARMUP, StepKind.COOLDOWN)]
    assert middle[0].kind is StepKind.REP and middle[-1].kind is StepKind.REP
    assert (steps[0].kind is StepKind.WARMUP) == bool(drawn.warmup)
    assert (steps[-1].kind is StepKind.COOLDOWN) == bool(drawn.cooldown)


@given(plans(max_blocks=1))
def test_a_single_block_has_sets_minus_one_set_breaks(drawn: Drawn) -> None:
    schedule = expand(drawn.plan)
    breaks = [step for step in schedule.steps if step.kind is StepKind.SET_BREAK]
    assert len(breaks) == drawn.sets[0] - 1
    assert schedule.sets_total == drawn.sets[0]
    assert len(schedule.reps) == drawn.sets[0] * drawn.reps[0]


@given(plans())
def test_rest_lists_are_applied_in_order_in_every_set(drawn: Drawn) -> None:
    expected: list[float] = []
    for number, (sets, reps, rests) in enumerate(
        zip(drawn.sets, drawn.reps, drawn.rests, strict=True)
    ):
        last_block = number == len(drawn.sets) - 1
        for set_no in range(1, sets + 1):
            expected += rests[: reps - 1]
            if set_no == sets and not last_block and len(rests) == reps:
                expected.append(rests[-1])  # joined to the next block: its own last value
    steps = expand(drawn.plan).steps
    assert [step.duration_s for step in steps if step.kind is StepKind.REST] == expected


@given(plans())
def test_the_estimated_total_adds_up(drawn: Drawn) -> None:
    schedule = expand(drawn.plan)
    breaks = [step.duration_s or 0.0 for step in schedule.steps if step.kind is StepKind.SET_BREAK]
    rests = [step.duration_s or 0.0 for step in schedule.steps if step.kind is StepKind.REST]
    reps = sum(
        sets * reps * time
        for sets, reps, time in zip(drawn.sets, drawn.reps, drawn.rep_times, strict=True)
    )
    expected = drawn.warmup + drawn.cooldown + reps + sum(rests) + sum(breaks)
    assert schedule.estimated_total_s == pytest.approx(expected)
    assert len(schedule.reps) == sum(s * r for s, r in zip(drawn.sets, drawn.reps, strict=True))


@given(plans())
def test_set_breaks_last_at_least_what_the_plan_asked(drawn: Drawn) -> None:
    expected: list[float] = []
    for number, (sets, set_break) in enumerate(zip(drawn.sets, drawn.set_breaks, strict=True)):
        last_block = number == len(drawn.sets) - 1
        count = sets - 1 + (not last_block and (sets > 1 or set_break is not None))
        expected += [set_break or 0.0] * count
    steps = expand(drawn.plan).steps
    assert [step.duration_s for step in steps if step.kind is StepKind.SET_BREAK] == expected
