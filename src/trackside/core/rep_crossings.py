"""The rep of a session of one running (or the jog back to the line): which crossings count,
what ends it, and the rep it records.

Rules for this module:
  1. A crossing counts no sooner than the lockout after GO or the last counted crossing
     (`min_gap_s`: half the target of that stretch, or --min-lap): an earlier break is the
     runner leaving the line, or one body breaking the beam twice.
  2. A press ends an untimed rep: a count rep at any time, a distance rep (a manual lap) no
     sooner than the same lockout; a jog rest not far sooner than a jog takes (half its
     usual time).
  3. A stall (core.stall): the rep keeps how late its GO sounded, and is uncertain when a
     time of it was read after the stall: a split, its finish, or the crossing that ended
     the jog before it and so started it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trackside.core.events import RepRecorded, Source
from trackside.core.schedule import Step, min_gap_s


@dataclass
class RepCrossings:
    min_lap_s: float | None = None  # --min-lap; None: half the target of each stretch
    counted: list[float] = field(default_factory=list)  # stamps of the crossings that counted
    late_start_s: float = 0.0  # how late the rep's GO sounded (rule 3)
    doubt: bool = False  # a time of the rep was read after a stall (rule 3)

    def last(self, started_at: float) -> float:
        """The last counted crossing, else the GO (`started_at`)."""
        return self.counted[-1] if self.counted else started_at

    def counts(self, step: Step, started_at: float, at: float) -> bool:
        """Whether a crossing at `at` counts for `step`, begun at `started_at` (rule 1)."""
        return bool(step.crossings) and at - self.last(started_at) >= self._min_gap(step)

    def count(self, at: float, uncertain: bool, in_rep: bool, step: Step) -> bool:
        """Count the crossing at `at` (`in_rep`: of a rep, else of a jog); whether it is the
        last, the one that ends the rep or the jog."""
        self.counted.append(at)
        finish = len(self.counted) == step.crossings
        self.doubt |= uncertain and (in_rep or finish)
        return finish

    def press_ends(self, step: Step, started_at: float, at: float) -> bool:
        """Whether a press at `at` ends the untimed `step` (rule 2)."""
        return step.count is not None or at - self.last(started_at) >= self._min_gap(step)

    @staticmethod
    def jog_done(step: Step, started_at: float, at: float) -> bool:
        """Whether a press at `at` ends the jog rest `step`, begun at `started_at` (rule 2)."""
        return at - started_at >= (step.target_s or 0.0) / 2

    def recorded(self, step: Step, started_at: float, ended_at: float, source: Source
                 ) -> RepRecorded:
        """The rep as it ended: a beam's last crossing ends it, every one before is a split."""
        assert step.set_no is not None and step.rep_index is not None
        splits = self.counted[:-1] if source is Source.BEAM else self.counted
        return RepRecorded(
            set_no=step.set_no, rep_no=step.rep_no or 0, index=step.rep_index,
            started_at=started_at, ended_at=ended_at, target_s=step.target_s,
            splits_s=tuple(t - started_at for t in splits), source=source,
            late_start_s=self.late_start_s, uncertain=self.doubt)

    def _min_gap(self, step: Step) -> float:
        if not step.crossings:
            return self.min_lap_s or 0.0
        crossing = min(len(self.counted) + 1, step.crossings)
        return min_gap_s(step, crossing, self.min_lap_s)
