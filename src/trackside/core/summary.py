"""The numbers a coach reads after a session: average, best, spread, fade."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from trackside.core.events import RepRecorded, Source


@dataclass(frozen=True, slots=True)
class Summary:
    reps: int
    mean_s: float | None
    best_s: float | None
    worst_s: float | None
    stdev_s: float | None  # spread: the sample standard deviation
    fade_s: float | None  # last rep minus first: positive means slowing down
    mean_delta_s: float | None  # average difference to target over reps that had one


def summarise(results: Sequence[RepRecorded]) -> Summary:
    """Summary of comparable reps: timed reps (ended by the clock) say nothing of speed."""
    times = [rep.duration_s for rep in results if rep.source is not Source.TIME]
    deltas = [rep.delta_s for rep in results if rep.delta_s is not None]
    if not times:
        return Summary(len(results), None, None, None, None, None, None)
    return Summary(
        reps=len(results),
        mean_s=statistics.fmean(times),
        best_s=min(times),
        worst_s=max(times),
        stdev_s=statistics.stdev(times) if len(times) > 1 else 0.0,
        fade_s=times[-1] - times[0] if len(times) > 1 else 0.0,
        mean_delta_s=statistics.fmean(deltas) if deltas else None,
    )
