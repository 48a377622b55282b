"""A schedule as a coach reads it before the session: one line per step, or one JSON object.

Rules for this module:
  1. Pure: a Schedule in, text or plain data out. The same words as the run screen
     (`readout.legs_text`), plus what a coach checks beforehand: paces, ranges, split beeps,
     what ends each rep and the estimated total.
  2. The JSON form is the contract of `trackside show --json`: keys are never renamed,
     only added. Numbers are SI (metres, seconds), rounded to the millisecond.
  3. What was not written is said: a rest between blocks taken from the block before.
"""

from __future__ import annotations

from typing import Any

from trackside.core.rep_words import legs_text, start_words
from trackside.core.schedule import Leg, Schedule, Step, StepKind
from trackside.core.units import format_distance, format_duration, format_length, format_pace

_LABEL_WIDTH = 14


def timeline_lines(schedule: Schedule) -> list[str]:
    """Every step on its own line (details lined up in a column), then the totals."""
    numbered_sets = schedule.sets_total > 1
    width = max((len(legs_text(rep)) for rep in schedule.reps), default=0) + 2
    lines = [step_line(step, numbered_sets, width) for step in schedule.steps]
    return lines + [total_line(schedule)]


def step_line(step: Step, numbered_sets: bool = True, rep_width: int = 0) -> str:
    """'set 2 rep 1   400 m @ 1:58.0   4:55/km', 'rest   45 s', 'set break   3:30, then press'."""
    match step.kind:
        case StepKind.REP:
            label = f"rep {step.rep_no}"
            if numbered_sets:
                label = f"set {step.set_no} {label}"
            rep = legs_text(step)
            if details := _rep_details(step):
                rep = f"{rep:<{max(rep_width, len(rep) + 2)}}{details}"
            return f"{label:<{_LABEL_WIDTH}}{rep}"
        case StepKind.SET_BREAK:
            return f"{'set break':<{_LABEL_WIDTH}}{_set_break(step)}"
        case StepKind.REST if step.legs:  # a jog
            ends = "a press or the line" if step.crossings else "a press"
            return (f"{'rest':<{_LABEL_WIDTH}}{legs_text(step)}, ends on {ends}, usually "
                    f"about {format_duration(step.target_s or 0.0)}")
        case StepKind.REST if step.assumed:
            return (f"{'rest':<{_LABEL_WIDTH}}{format_length(step.duration_s or 0.0)}  (none "
                    "was written between the blocks: the rest between the reps before)")
        case kind if step.max_s is not None:
            low, high = format_length(step.duration_s or 0.0), format_length(step.max_s)
            return (f"{kind.value:<{_LABEL_WIDTH}}{low}-{high}, ends on a press, or by itself "
                    f"at {high}")
        case kind:
            return f"{kind.value:<{_LABEL_WIDTH}}{format_length(step.duration_s or 0.0)}"


def total_line(schedule: Schedule) -> str:
    """'12 reps, 4.8 km, about 1:03:45' (and what that estimate leaves out)."""
    reps = len(schedule.reps)
    parts = [f"{reps} rep{'s' * (reps != 1)}"]
    if schedule.distance_m:
        parts.append(format_distance(schedule.distance_m))
    text = ", ".join(parts) + f"; estimated total {format_length(schedule.estimated_total_s)}"
    if untimed := schedule.untimed_reps:
        text += f" plus {untimed} rep{'s' * (untimed != 1)} with no target time"
    return text


def schedule_dict(schedule: Schedule) -> dict[str, Any]:
    """The `show --json` object: name, reps, estimated_total_s, steps (and a little more)."""
    return {
        "name": schedule.name,
        "description": schedule.description,
        "reps": len(schedule.reps),
        "sets": schedule.sets_total,
        "distance_m": _number(schedule.distance_m),
        "estimated_total_s": _number(schedule.estimated_total_s),
        "untimed_reps": schedule.untimed_reps,
        "steps": [step_dict(step) for step in schedule.steps],
    }


def step_dict(step: Step) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": step.kind.value,
        "set": step.set_no,
        "rep": step.rep_no,
        "distance_m": _number(step.distance_m),
        "duration_s": _number(step.duration_s),
        "target_s": _number(step.target_s),
        "count": step.count,
    }
    if step.kind in (StepKind.SET_BREAK, StepKind.WARMUP, StepKind.COOLDOWN):
        data["max_s"] = _number(step.max_s)
    if step.kind is StepKind.REST:
        data["assumed"] = step.assumed
        data["label"] = step.label
        data["crossings"] = step.crossings or None
    if step.kind is StepKind.REP:
        data["index"] = step.rep_index
        data["label"] = step.label
        data["start_offset_m"] = _number(step.start_offset_m)
        data["split_m"] = [_number(metres) for metres in step.split_m]
        data["target_text"] = " + ".join(leg.target_text for leg in step.legs if leg.target_text)
        data["crossings"] = step.crossings or None
        data["split_times_s"] = [_number(time) for time in step.split_times_s]
        if len(step.legs) > 1:
            data["segments"] = [_leg_dict(leg) for leg in step.legs]
    return data


def _leg_dict(leg: Leg) -> dict[str, Any]:
    return {
        "distance_m": _number(leg.distance_m),
        "duration_s": _number(leg.duration_s),
        "target_s": _number(leg.target_s),
        "effort": "max" if leg.max_effort else None,
    }


def _rep_details(step: Step) -> str:
    """What the rep line leaves out: the pace or range of each target, beeps, the button."""
    details = [detail for leg in step.legs if (detail := _leg_detail(leg))]
    if step.split_times_s:
        beeps = " ".join(format_duration(time, 1) for time in step.split_times_s)
        details.append(f"beeps at {beeps}")
    if step.count is not None:
        details.append("press when done")
    if words := start_words(step):
        details.append(words)
    return ", ".join(details)


def _leg_detail(leg: Leg) -> str:
    if leg.target_s is None or not leg.distance_m:
        return ""
    unit = "mi" if leg.target_text.endswith(("/mi", "/mile")) else "km"
    if leg.target_range_s is None:
        return format_pace(leg.target_s / leg.distance_m, unit)
    fast, slow = leg.target_range_s
    if leg.target_text.endswith("%"):
        return f"{format_duration(fast, 1)}-{format_duration(slow, 1)}"
    fastest = format_pace(fast / leg.distance_m, unit).removesuffix(f"/{unit}")
    return f"{fastest}-{format_pace(slow / leg.distance_m, unit)}"


def _set_break(step: Step) -> str:
    if not step.duration_s and step.max_s is None:
        return "press to start the next set"
    low = format_length(step.duration_s or 0.0)
    if step.max_s is None:
        return f"{low}, then press"
    high = format_length(step.max_s)
    return f"{low}-{high}, then press (starts by itself at {high})"


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
