"""Who crossed: a group's marks (beam crossings, and presses in a rep) -> whose they are.

Rules for this module:
  1. Pure, and stable as marks arrive: a mark is judged from what came before it and the
     crossings still expected, so a later mark never changes an earlier judgement.
  2. Every mark is kept, with its stamp and a role (core.events.MarkRole): nothing is
     dropped. A beam break within the double-break gap of the body's first break (the
     last beam mark that was not itself a double) is that body's, one crossing (DOUBLE);
     a mark in the first seconds after an athlete's GO that fits no window is them leaving
     the line (LEAVING); one that fits nobody is UNEXPECTED, flagged for the coach (the
     screen says CHECK ORDER).
  3. The k-th plausible mark goes to the k-th expected crossing: the crossings still
     expected (each athlete's next one) are ordered by when their targets put them, then by
     start order, and a mark goes to the first whose plausibility window holds it. A window
     is the target time to that crossing, +-WINDOW of it; with no target, from the fastest
     a human runs to a walk. A pass beyond the windows shows up as an UNEXPECTED mark and a
     missed crossing; a pass within them cannot be told from the beam and is assigned in
     the expected order (`trackside fix` swaps it).
  4. A beam crossing counts only for a rep that ends on the line; a press counts for any
     rep that the athlete ends (a distance rep timed by hand, a count rep).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from trackside.core.events import MarkRole, Source
from trackside.core.plan_limits import FASTEST_HUMAN_MPS
from trackside.core.schedule import Step

WINDOW = 0.2  # a crossing is plausible within 20 % of the target time to it
LEAVE_S = 2.0  # a mark this soon after an athlete's GO that fits no window: them leaving
SLOWEST_MPS = 1.5  # a walk: a rep with no target is over, seen or not, at this speed


@dataclass(frozen=True, slots=True)
class Expected:
    """One crossing an athlete is expected to make: the next of the rep they run."""

    athlete: int
    index: int  # the rep, 1-based over the plan
    crossing: int  # 1-based within the rep; the rep's last is its finish
    at: float  # when their target puts it (no target: when the window opens)
    opens: float
    closes: float  # math.inf: only a mark ends it (a count rep)
    beam: bool  # a beam crossing can be it (else only a press)

    @property
    def order(self) -> tuple[float, int]:
        return (self.at, self.athlete)


@dataclass(frozen=True, slots=True)
class Judgement:
    role: MarkRole
    expected: Expected | None = None  # CROSSING: the crossing the mark is


def expected_crossing(step: Step, athlete: int, go: float, crossing: int,
                      last_at: float | None, min_lap_s: float | None = None) -> Expected:
    """Crossing `crossing` (1-based) of `step` for an athlete who went at `go`; `last_at`:
    their crossing before it in this rep, if one was seen. `min_lap_s`: the --min-lap
    lockout after GO or the last crossing, when given."""
    index = step.rep_index or 0
    if not step.crossings:  # a count rep, or a distance rep timed by hand: the next press
        return Expected(athlete, index, 1, go, go, math.inf, beam=False)
    metres = step.crossing_m[crossing - 1]
    before = step.crossing_m[crossing - 2] if crossing > 1 else 0.0
    target = step.time_at(metres)
    if target is not None:
        at, opens, closes = go + target, go + target * (1 - WINDOW), go + target * (1 + WINDOW)
    else:
        at = opens = (last_at or go) + (metres - before) / FASTEST_HUMAN_MPS
        closes = go + metres / SLOWEST_MPS
    if min_lap_s is not None:
        opens = (last_at or go) + min_lap_s
    return Expected(athlete, index, crossing, at, opens, closes, beam=True)


def judge(at: float, source: Source, expected: Sequence[Expected], gos: Sequence[float],
          last_beam_at: float | None, double_break_s: float) -> Judgement:
    """What the mark at `at` from `source` is (rules 2-4).

    `expected`: every crossing still expected, none of whose windows closed before `at`;
    `gos`: when the athletes running went; `last_beam_at`: the last beam mark that was not
    a double (the first break of the body that made it).
    """
    beam = source is Source.BEAM
    if beam and last_beam_at is not None and at - last_beam_at < double_break_s:
        return Judgement(MarkRole.DOUBLE)
    candidates = [one for one in expected if one.beam or not beam]
    if not candidates:
        return Judgement(MarkRole.IGNORED)
    for one in sorted(candidates, key=lambda one: one.order):
        if one.opens <= at <= one.closes:
            return Judgement(MarkRole.CROSSING, one)
    if any(go <= at <= go + LEAVE_S for go in gos):
        return Judgement(MarkRole.LEAVING)
    return Judgement(MarkRole.UNEXPECTED)
