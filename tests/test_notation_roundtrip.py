"""plan -> notation -> plan gives the same plan (hypothesis), whatever numbers it holds."""

from __future__ import annotations

from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from trackside.core.notation import parse_notation
from trackside.core.notation_writer import plan_notation
from trackside.core.plan import Plan
from trackside.plan_source import builtin_plans, load_plan

PACE = 0.295  # s/m, for 'pace' targets
TOP_SPEED = 8.0  # m/s, for percentages
LABELS = ["squats", "box jumps", "sit-ups", "bounds", "Ausfallschritte"]
PACE_TARGETS = ["4:55/km", "7:50/mi", "12.5s/100m", "8m/s", "3:45/KM", "pace", "max", "85%",
                "80-95%"]

# Any float in a range, not only round ones: the writer must write each one exactly.
seconds = st.one_of(st.integers(1, 3 * 3600).map(float), st.floats(0.5, 3 * 3600))
metres = st.one_of(st.sampled_from([100.0, 200.0, 400.0, 1000.0, 1609.344, 3218.688]),
                   st.floats(10, 3000))


@st.composite
def segments(draw: st.DrawFn, amount: str) -> dict[str, Any]:
    segment: dict[str, Any] = {}
    if amount == "count":
        segment["count"] = draw(st.integers(1, 1000))
        if draw(st.booleans()):
            segment["target"] = draw(st.sampled_from(["90%", "65-80%"]))
    elif amount == "duration":
        segment["duration"] = draw(seconds)
    else:
        distance = segment["distance"] = draw(metres)
        if draw(st.booleans()):
            segment["target"] = draw(st.sampled_from(PACE_TARGETS))
        elif draw(st.booleans()):  # a time at 0.1-1 s/m, sometimes a range
            low = round(distance * draw(st.floats(0.1, 1.0)), 1)
            wide = draw(st.sampled_from(["", "-"]))
            segment["target"] = f"{low}-{low + 2}s" if wide else f"{low}s"
    if draw(st.booleans()):
        segment["label"] = draw(st.sampled_from(LABELS))
    return segment


@st.composite
def blocks(draw: st.DrawFn, joined: bool) -> dict[str, Any]:
    amount = draw(st.sampled_from(["distance", "duration", "count"]))
    count = 1 if amount == "count" else draw(st.integers(1, 3))
    block: dict[str, Any] = {"segments": [draw(segments(amount)) for _ in range(count)]}
    block["sets"] = sets = draw(st.sampled_from([1, 1, 2, 3]))
    block["reps"] = reps = draw(st.integers(1, 5))
    ends_set = sets > 1 or draw(st.booleans()) and not joined
    if ends_set and draw(st.booleans()):
        low = draw(seconds)
        block["set_break"] = (draw(st.sampled_from([low, f"{low}-{low + 60}"]))
                              if draw(st.booleans()) else {"low": low})
    gap = joined and not ends_set
    if reps >= 3 and draw(st.booleans()):  # a list: one value per gap (and the next block)
        block["rest"] = draw(st.lists(seconds, min_size=reps - 1 + gap, max_size=reps - 1 + gap))
    elif reps > 1 or gap or draw(st.booleans()):
        block["rest"] = draw(st.one_of(seconds, st.builds(
            lambda distance, label: f"{distance}m {label}",
            st.sampled_from([200, 400, 150.5]), st.sampled_from(["jog", "walk"]))))
    if amount == "distance":
        if draw(st.booleans()):
            block["splits"] = draw(st.sampled_from([100.0, 200.0, 12.5]))
        if draw(st.booleans()):
            block["crossings"] = 1
    return block


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    count = draw(st.integers(1, 3))
    drawn = [draw(blocks(joined=number + 1 < count)) for number in range(count)]
    data: dict[str, Any] = {"name": "drawn", "blocks": drawn, "pace": PACE,
                            "max_speed": TOP_SPEED}
    for key in ("warmup", "cooldown"):
        if draw(st.booleans()):
            data[key] = low = draw(seconds)
            if draw(st.booleans()):
                data[f"{key}_max"] = low + draw(st.integers(0, 600))
    try:
        return Plan.model_validate(data)
    except ValidationError:  # e.g. a target faster than anyone runs, or splits with no time
        assume(False)
        raise


def read_back(plan: Plan) -> Plan:
    notation = plan_notation(plan)
    again = parse_notation(notation, pace=plan.pace, max_speed=plan.max_speed)
    return again.model_copy(update={"name": plan.name, "description": plan.description,
                                    "lap": plan.lap})


@given(plans())
@settings(max_examples=300, deadline=None)
def test_a_plan_written_as_notation_reads_back_as_the_same_plan(plan: Plan) -> None:
    assert read_back(plan) == plan


def test_every_built_in_plan_reads_back_from_its_notation() -> None:
    for name, _ in builtin_plans():
        plan = load_plan(name)
        assert read_back(plan) == plan, name


def test_the_seed_workouts_read_back_in_their_canonical_form() -> None:
    seeds = {
        "4x400m @4:55/km r2:00; 2x(400m @4:55/km +100m @max) r2:00":
            "4x400m @4:55/km r2:00; 2x400m @4:55/km +100m @max r2:00",
        "6x(1:00 r1:00)": "6x1:00 r1:00",
        "3x(4x400m @4:55/km r60,45,30) sb3:00-4:00": "3x4x400m @4:55/km r1:00,45,30 sb3:00-4:00",
        "wu15:00-20:00; 6x200m @32s r90; cd10-15": "wu15:00-20:00; 6x200m @32s r1:30; "
                                                   "cd10:00-15:00",
        "4x10 squat r2:00; 3x10m bounds @max r1:30": "4x10 squat r2:00; 3x10m bounds @max r1:30",
        "3X4X400M @3:45/KM R60/45/30 SB 3:00": "3x4x400m @3:45/km r1:00,45,30 sb3:00",
    }
    for seed, canonical in seeds.items():
        plan = parse_notation(seed)
        assert plan_notation(plan) == canonical
        assert read_back(plan) == plan
