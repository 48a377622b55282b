"""The crossings of a session of one's rep (or jog back to the line) running: which count.

Rules for this module:
  1. A crossing counts no sooner than the lockout after GO or the last counted crossing
     (`min_gap_s`: half the target of that stretch, or --min-lap): an earlier break is the
     runner leaving the line, or one body breaking the beam twice.
  2. A press ends an untimed rep: a count rep at any time, a distance rep (a manual lap) no
     sooner than the same lockout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trackside.core.schedule import Step, min_gap_s


@dataclass
class RepCrossings:
    min_lap_s: float | None = None  # --min-lap; None: half the target of each stretch
    counted: list[float] = field(default_factory=list)  # stamps of the crossings that counted

    def last(self, started_at: float) -> float:
        """The last counted crossing, else the GO (`started_at`)."""
        return self.counted[-1] if self.counted else started_at

    def counts(self, step: Step, started_at: float, at: float) -> bool:
        """Whether a crossing at `at` counts for `step`, begun at `started_at` (rule 1)."""
        return bool(step.crossings) and at - self.last(started_at) >= self._min_gap(step)

    def press_ends(self, step: Step, started_at: float, at: float) -> bool:
        """Whether a press at `at` ends the untimed `step` (rule 2)."""
        return step.count is not None or at - self.last(started_at) >= self._min_gap(step)

    def _min_gap(self, step: Step) -> float:
        if not step.crossings:
            return self.min_lap_s or 0.0
        crossing = min(len(self.counted) + 1, step.crossings)
        return min_gap_s(step, crossing, self.min_lap_s)
