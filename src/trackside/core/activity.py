"""A recorded session as an activity: a lap per rep and per rest, and the distance at every
moment.

Rules for this module:
  1. Times are the session clock's (monotonic seconds, as the reps were stamped): a rep's
     lap is exactly the rep, from its GO to the crossing or press that ended it.
  2. The time between two recorded reps is a lap of its own (a rest, or a set break). The
     time before the first rep and after the last is not in the activity: the warm-up and
     cool-down are not on record.
  3. Where the session was interrupted (a crash, a kill, a quit, then --resume) the timer
     stops, from the last input of the run that ended to the first input of the next.
  4. Distance is what the schedule says each rep covered, spread over the rep through the
     beam's crossings where it saw them (linear between them); rests add none.
  5. Every stamp is on one time line (the caller puts each run's there). A rep that starts
     before the one before it ended (a run after a restart of the Pi on a clock behind the
     run before) cannot be placed: a UserError.
  6. Pure.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from trackside.core.errors import UserError
from trackside.core.events import RepRecorded, Source
from trackside.core.schedule import Step, StepKind

_SAME_MOMENT_S = 1e-6  # float noise between a rep's end and the next rest's start


class LapKind(Enum):
    REP = "rep"
    REST = "rest"
    SET_BREAK = "set_break"


@dataclass(frozen=True, slots=True)
class Lap:
    kind: LapKind
    start_s: float
    end_s: float
    distance_m: float = 0.0
    stopped_s: float = 0.0  # the timer stood still this long within the lap (a restart)
    ended_by: Source | None = None  # a rep's: the beam, the button, a phone, its clock
    set_no: int | None = None
    rep_no: int | None = None

    @property
    def elapsed_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def timer_s(self) -> float:
        return self.elapsed_s - self.stopped_s


@dataclass(frozen=True)
class Activity:
    laps: tuple[Lap, ...]
    stops: tuple[tuple[float, float], ...]  # (timer stopped, timer started again)
    track: tuple[tuple[float, float], ...]  # (time, distance so far), in time order
    _times: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_times", tuple(time for time, _ in self.track))

    @property
    def start_s(self) -> float:
        return self.laps[0].start_s

    @property
    def end_s(self) -> float:
        return self.laps[-1].end_s

    @property
    def distance_m(self) -> float:
        return sum(lap.distance_m for lap in self.laps)

    def running(self, at_s: float) -> bool:
        """Whether the timer runs at `at_s` (within the activity, not stopped)."""
        if not self.start_s <= at_s <= self.end_s:
            return False
        return not any(stop < at_s < start for stop, start in self.stops)

    def distance_at(self, at_s: float) -> float:
        """Metres covered by `at_s`: linear between the known points, flat outside them."""
        after = bisect.bisect_right(self._times, at_s)
        if after == 0:
            return self.track[0][1]
        if after == len(self._times):
            return self.track[-1][1]
        (t0, d0), (t1, d1) = self.track[after - 1], self.track[after]
        return d0 if t1 <= t0 else d0 + (d1 - d0) * (at_s - t0) / (t1 - t0)


@dataclass(frozen=True, slots=True)
class _Place:
    """What the schedule says of one rep."""

    distance_m: float
    crossing_m: tuple[float, ...]
    followed_by: LapKind


def activity_of(reps: Sequence[RepRecorded], steps: Sequence[Step],
                runs: Sequence[tuple[float, float]], where: str) -> Activity:
    """The activity of a session's `reps` (in order), the steps it ran and the (first,
    last) input stamp of each run of it, in order, all on one time line (rule 5). `where`
    names it in errors.

    Raises:
        UserError: no reps, or a rep before the one before it.
    """
    if not reps:
        raise UserError(f"{where}: no rep was recorded, so there is no activity to write")
    places = _places(steps)
    laps: list[Lap] = []
    stops: list[tuple[float, float]] = []
    track: list[tuple[float, float]] = []
    for before, rep in zip((None, *reps), reps, strict=False):
        if before is not None:
            if rep.started_at < before.ended_at - _SAME_MOMENT_S:
                raise UserError(f"{where} was resumed after a restart of the Pi on a clock "
                                "behind the run before: its reps cannot be put on one time "
                                "line (export it as CSV or JSON)")
            stop = _stop_between(before.ended_at, rep.started_at, runs)
            if stop is not None:
                stops.append(stop)
            if rep.started_at - before.ended_at > _SAME_MOMENT_S:
                place = places.get(before.index)
                laps.append(Lap(place.followed_by if place else LapKind.REST, before.ended_at,
                                rep.started_at, stopped_s=stop[1] - stop[0] if stop else 0.0,
                                set_no=before.set_no, rep_no=before.rep_no))
        place = places.get(rep.index)
        so_far = track[-1][1] if track else 0.0
        track += _rep_track(rep, place, so_far)
        laps.append(Lap(LapKind.REP, rep.started_at, rep.ended_at,
                        place.distance_m if place else 0.0, ended_by=rep.source,
                        set_no=rep.set_no, rep_no=rep.rep_no))
    return Activity(tuple(laps), tuple(stops), tuple(track))


def _places(steps: Sequence[Step]) -> dict[int, _Place]:
    return {step.rep_index: _Place(step.distance_m or 0.0, step.crossing_m,
                                   LapKind.SET_BREAK if after is not None
                                   and after.kind is StepKind.SET_BREAK else LapKind.REST)
            for step, after in zip(steps, (*steps[1:], None), strict=True)
            if step.kind is StepKind.REP and step.rep_index is not None}


def _stop_between(end: float, start: float, runs: Sequence[tuple[float, float]]
                  ) -> tuple[float, float] | None:
    """The timer's stop in the gap from `end` to `start`, if a new run began in it."""
    for (_, last), (first, _) in itertools.pairwise(runs):
        if end <= first <= start:
            return min(max(last, end), first), first
    return None


def _rep_track(rep: RepRecorded, place: _Place | None, so_far: float
               ) -> list[tuple[float, float]]:
    """(time, distance) through the rep: its start, the crossings the beam saw, its end."""
    if place is None or not place.distance_m:
        return [(rep.started_at, so_far), (rep.ended_at, so_far)]
    points = [(rep.started_at, so_far)]
    seen = rep.splits_s
    increasing = all(a < b for a, b in zip((0.0, *seen), (*seen, rep.duration_s),
                                           strict=True))
    if len(seen) < len(place.crossing_m) and increasing:
        points += [(rep.started_at + split, so_far + metres)
                   for split, metres in zip(seen, place.crossing_m, strict=False)]
    points.append((rep.ended_at, so_far + place.distance_m))
    return points
