"""What a benchmark hands back: figures, each beside the reference measured in the same run.

Rules for this module:
  1. A Figure is a value: its samples' median, p99 and max, the reference it is judged
     against (a floor nothing can beat, or the naive way it is usually done), the ratio of
     the two, the goal in words and whether it was met. A row with no goal (a reference
     shown for its own sake) has `passed` None.
  2. Percentiles are nearest-rank: the p99 of 50 samples is the largest, never a value
     interpolated between two measurements.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Spread:
    """The median, 99th percentile and maximum of some samples."""

    median: float
    p99: float
    max: float
    count: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Spread:
        if not samples:
            raise ValueError("no samples")
        ordered = sorted(samples)
        return cls(percentile(ordered, 50), percentile(ordered, 99), ordered[-1], len(ordered))

    def scaled(self, factor: float) -> Spread:
        return Spread(self.median * factor, self.p99 * factor, self.max * factor, self.count)


def percentile(ordered: Sequence[float], q: float) -> float:
    """The nearest-rank `q`th percentile of sorted samples."""
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class Figure:
    name: str  # 'stamp error, beam adapter'
    unit: str  # 'ms', '% core', 's', 'MB', 'us/s', 'reps'
    spread: Spread | None  # None: a single value, in `value`
    value: float | None = None  # the figure the goal is about when there is no spread
    reference: float | None = None  # the floor or the naive figure, same unit
    reference_name: str = ""  # 'floor: bare blocking read (p99)'
    goal: str = ""  # 'p99 <= 2 ms and <= 5x floor'
    passed: bool | None = None
    by_median: bool = False  # the goal is about the median, not the p99 (start-up times)

    @property
    def headline(self) -> float | None:
        """The number the ratio is taken of: the p99 (or median) of a spread, else the value."""
        if self.spread is None:
            return self.value
        return self.spread.median if self.by_median else self.spread.p99

    @property
    def ratio(self) -> float | None:
        if self.headline is None or not self.reference:
            return None
        return self.headline / self.reference


@dataclass(frozen=True, slots=True)
class Result:
    benchmark: str  # the name `--only` takes
    title: str
    figures: tuple[Figure, ...]
    notes: tuple[str, ...] = ()
    seconds: float = field(default=0.0, compare=False)  # how long it took to measure

    @property
    def passed(self) -> bool:
        return all(figure.passed is not False for figure in self.figures)

    def with_seconds(self, seconds: float) -> Result:
        return Result(self.benchmark, self.title, self.figures, self.notes, seconds)

    def as_json(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "title": self.title,
            "passed": self.passed,
            "seconds": round(self.seconds, 3),
            "notes": list(self.notes),
            "figures": [
                {**asdict(figure), "headline": figure.headline, "ratio": figure.ratio}
                for figure in self.figures
            ],
        }
