"""What a session's stored schedule says of each rep: its label, its distance, count or
duration, and where it crosses the line.

Rules for this module:
  1. Read from the schedule stored with the session (what was run), never from today's
     expansion of its plan, whose meaning may have changed since.
  2. Read defensively: a schedule from an older release lacks keys (they read as None), a
     damaged one gives no rep any facts and one line saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class PlannedRep:
    label: str | None  # what the distance is: 'bounds', 'squat'; segments' joined by ' + '
    distance_m: float | None  # a distance rep: the whole of it, segments included
    count: int | None  # a count rep: 10 (squats)
    duration_s: float | None  # a timed rep: 30 s
    crossing_m: tuple[float, ...]  # where it crosses the line; the last is the finish


def planned_reps(schedule: Any, problems: list[str]) -> dict[int, PlannedRep]:
    """The schedule's reps by their index over the plan."""
    if schedule is None:
        return {}
    try:
        return {step["index"]: _planned(step) for step in schedule["steps"]
                if step.get("kind") == "rep"}
    except (TypeError, KeyError, AttributeError, ValueError):
        problems.append("its schedule cannot be read")
        return {}


def _planned(step: dict[str, Any]) -> PlannedRep:
    legs = step.get("legs") or [{}]
    labels = [leg["label"] for leg in legs if leg.get("label")]
    distance = None
    if legs[0].get("distance_m") is not None:
        distance = float(sum(leg.get("distance_m") or 0.0 for leg in legs))
    return PlannedRep(
        label=" + ".join(labels) or None, distance_m=distance, count=legs[0].get("count"),
        duration_s=legs[0].get("duration_s"),
        crossing_m=tuple(float(metres) for metres in step.get("crossing_m") or ()))
