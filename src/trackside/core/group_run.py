"""A group's reps as one state: every athlete's lane through a set, their marks and finishes.

Rules for this module:
  1. The engine owns it and every phase change (core.engine): while a set runs, the
     engine's phase is REP when any athlete runs and REST when all wait; this module says
     what happened to each lane, in effects, and when it next needs waking (`deadline`).
  2. Pure, as the engine: no clock reads, no I/O; time arrives as `at`, and what comes due
     happens at its own time, never at the moment of the call.
  3. A lane runs its athlete's own steps (their targets) between set breaks; the group
     meets again at each set break. An athlete's rest counts from their own finish, the
     group's first or its last (core.group.RestFrom); a finish that was not seen counts
     from the target finish (with no target, from when its window closed).
  4. Every mark is judged (core.assignment) and returned as a MarkJudged; an athlete whose
     finish window closes with no mark gets a RepMissed. Nothing is dropped.
  5. A stall, as for one athlete (core.stall, with the engine's watch): an athlete whose GO
     it passed goes when GO sounds, with how late it was; a crossing read after it and
     given to an athlete makes that athlete's rep uncertain.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from trackside.core.assignment import Expected, expected_crossing, judge
from trackside.core.events import (
    AthleteStarted,
    Cue,
    CueDue,
    Effect,
    MarkJudged,
    MarkRole,
    RepMissed,
    RepRecorded,
    RepStopped,
    Source,
)
from trackside.core.group import RestFrom, Roster
from trackside.core.schedule import Step, StepKind, rep_position
from trackside.core.settings import EngineSettings
from trackside.core.stall import StallWatch

FINISHERS_SHOWN = 10  # the newest finishes a screen lists


class LaneState(Enum):
    WAITING = "waiting"  # its next rep's GO comes at `go_at` (None: when the group says)
    RUNNING = "running"
    DONE = "done"  # no rep before the group's next set break (or the end)


@dataclass
class Lane:
    athlete: int
    steps: tuple[Step, ...]
    position: int  # the rep it runs or runs next; DONE: the step after its last rep
    state: LaneState = LaneState.WAITING
    go_at: float | None = None
    waiting_since: float = 0.0  # when its rest began: the group's anchor counts from here
    rest_s: float = 0.0  # the rest it is in
    started_at: float = 0.0  # RUNNING: its GO
    splits: list[float] = field(default_factory=list)  # RUNNING: stamps of its crossings
    expected: Expected | None = None  # RUNNING: its next crossing
    late_start_s: float = 0.0  # RUNNING: how late its GO sounded (rule 5)
    doubt: bool = False  # RUNNING: a crossing of it was read after a stall (rule 5)

    @property
    def step(self) -> Step:
        return self.steps[self.position]


@dataclass(frozen=True, slots=True)
class Finish:
    """An athlete's rep as it ended: timed, or not seen (`rep` None, flagged)."""

    athlete: int
    index: int
    at: float  # when it ended, or when its window closed
    rep: RepRecorded | None
    missed: RepMissed | None = None

    @property
    def started_at(self) -> float:
        """The athlete's GO of that rep."""
        done = self.rep or self.missed
        assert done is not None
        return done.started_at


class GroupRun:
    def __init__(self, roster: Roster, settings: EngineSettings = EngineSettings(),
                 done: Sequence[RepRecorded | RepMissed] = ()) -> None:
        """`done`: the reps an interrupted run recorded (or missed), any athlete's."""
        self.roster = roster
        self._settings = settings
        counts = [0] * len(roster.names)
        for rep in done:
            counts[rep.athlete or 0] += 1
        self.lanes = [Lane(athlete, schedule.steps, rep_position(schedule.steps, count))
                      for athlete, (schedule, count) in enumerate(zip(roster.schedules, counts,
                                                                      strict=True))]
        self.finishes: list[Finish] = []
        self.marks: list[MarkJudged] = []  # every mark of this run
        self._first_end: dict[int, float] = {}  # rep index -> its first finish (FIRST)
        self._last_beam_at: float | None = None
        self.stall = StallWatch(settings.late_s)  # the engine's too (rule 5)

    # --- where the group is -------------------------------------------------------

    @property
    def position(self) -> int:
        """The first step not yet done by every athlete: the engine's step."""
        return min(lane.position for lane in self.lanes)

    @property
    def running(self) -> bool:
        return any(lane.state is LaneState.RUNNING for lane in self.lanes)

    @property
    def untimed(self) -> bool:
        """Whether an athlete runs a rep that ends on them (a hold then stops it)."""
        return any(lane.state is LaneState.RUNNING and lane.step.duration_s is None
                   for lane in self.lanes)

    @property
    def done(self) -> bool:
        """Every athlete is through the set (or the plan)."""
        return all(lane.state is LaneState.DONE for lane in self.lanes)

    def deadline(self) -> float | None:
        times = [time for lane in self.lanes for time in _lane_times(lane)]
        return min(times, default=None)

    # --- what moves it --------------------------------------------------------------

    def begin(self, position: int, at: float) -> list[Effect]:
        """A set starts at `at` (or starts again after a stop): the athletes whose next rep
        is in it go, one `stagger_s` after the other."""
        end = stretch_end(self.lanes[0].steps, position)
        order = 0
        for lane in self.lanes:
            if lane.state is LaneState.DONE and lane.position < position:
                lane.position = position
            if lane.position >= end or lane.steps[lane.position].kind is not StepKind.REP:
                lane.state = LaneState.DONE
                continue
            lane.state, lane.waiting_since = LaneState.WAITING, at
            lane.go_at = at + order * self.roster.settings.stagger_s
            order += 1
        return self.due(at)

    def due(self, at: float) -> list[Effect]:
        """Everything due by `at`: GOs, timed reps' ends, windows closing with no mark."""
        effects: list[Effect] = []
        while (when := self.deadline()) is not None and when <= at:
            for lane in self.lanes:
                if lane.state is LaneState.WAITING and lane.go_at == when:
                    effects += self._go(lane, when)
                elif lane.state is LaneState.RUNNING and when in _lane_times(lane):
                    effects += self._time_up(lane, when)
        return _one_go_a_moment(effects)

    def mark(self, at: float, source: Source, uncertain: bool = False) -> list[Effect]:
        """A crossing (BEAM) or a press while the set runs: whose it is (rule 4).
        `uncertain`: a crossing read after a stall (rule 5)."""
        effects = self.due(at)
        running = [lane for lane in self.lanes if lane.state is LaneState.RUNNING]
        judged = judge(at, source, [lane.expected for lane in running if lane.expected],
                       [lane.started_at for lane in running], self._last_beam_at,
                       self.roster.settings.double_break_s)
        if source is Source.BEAM and judged.role is not MarkRole.DOUBLE:
            self._last_beam_at = at  # the first break of the body: its doubles count from it
        crossing = judged.expected
        mark = MarkJudged(at, source, judged.role, *(
            (crossing.athlete, crossing.index, crossing.crossing) if crossing else
            (None, None, None)), uncertain=uncertain)
        self.marks.append(mark)
        effects.append(mark)
        if crossing is not None and mark.role is MarkRole.CROSSING:
            lane = self.lanes[crossing.athlete]
            lane.doubt |= uncertain
            effects += self._crossed(lane, at, source)
        return effects

    def stop(self, at: float) -> list[RepStopped]:
        """A hold stops the reps running (untimed: they are run again); nobody goes until
        the set begins again."""
        stopped: list[RepStopped] = []
        for lane in self.lanes:
            if lane.state is LaneState.RUNNING:
                step = lane.step
                stopped.append(RepStopped(step.set_no or 0, step.rep_no or 0,
                                          step.rep_index or 0, lane.started_at, at,
                                          lane.athlete))
            if lane.state is not LaneState.DONE:
                lane.state, lane.go_at, lane.expected = LaneState.WAITING, None, None
        return stopped

    def shift(self, by: float) -> None:
        """Everything still to come moves `by` seconds later (a pause of that length)."""
        for lane in self.lanes:
            lane.started_at += by
            lane.waiting_since += by
            lane.splits = [split + by for split in lane.splits]
            if lane.go_at is not None:
                lane.go_at += by
            if lane.expected is not None:
                lane.expected = replace(lane.expected, at=lane.expected.at + by,
                                        opens=lane.expected.opens + by,
                                        closes=lane.expected.closes + by)
        self._first_end = {index: end + by for index, end in self._first_end.items()}

    def cues(self, after: float) -> list[CueDue]:
        """The cues still to come, after `after`, in time order: each GO's warning and
        count, a timed rep's count. When athletes go at their own times, the warning and the
        count's first beep call the athlete's name (for a voice: 'Ben', 'two', 'one', 'go')."""
        settings, names = self._settings, self.roster.settings.calls_names
        found: dict[tuple[Cue, float, int | None], list[str]] = {}
        for lane in self.lanes:
            name = self.roster.names[lane.athlete] if names else ""
            if lane.state is LaneState.WAITING and lane.go_at is not None:
                quiet = lane.waiting_since + _QUIET_START_S
                moments = [(Cue.TEN_SECONDS, lane.go_at - settings.warning_s, None, name)]
                moments += _counts(lane.go_at, settings.count_in, name)
            elif lane.state is LaneState.RUNNING and lane.step.duration_s is not None:
                quiet = lane.started_at + _QUIET_START_S
                moments = _counts(lane.started_at + lane.step.duration_s, settings.count_in)
            else:
                continue
            for cue, due, count, called in moments:
                if due > max(after, quiet):
                    found.setdefault((cue, due, count), []).append(called)
        return sorted((CueDue(cue, due, count, ", ".join(filter(None, called)))
                       for (cue, due, count), called in found.items()),
                      key=lambda cue: (cue.due, cue.cue.value))

    # --- inside -----------------------------------------------------------------------

    def _go(self, lane: Lane, due: float) -> list[Effect]:
        late_s = self.stall.late_start_s(due)
        at = due + late_s
        lane.state, lane.go_at, lane.started_at, lane.splits = LaneState.RUNNING, None, at, []
        lane.late_start_s, lane.doubt = late_s, False
        lane.expected = self._next_expected(lane)
        return [AthleteStarted(lane.athlete, at, lane.step), CueDue(Cue.GO, at)]

    def _next_expected(self, lane: Lane) -> Expected | None:
        step = lane.step
        if step.duration_s is not None:
            return None  # a timed rep ends on its clock
        last = next((split for split in reversed(lane.splits) if not math.isnan(split)), None)
        return expected_crossing(step, lane.athlete, lane.started_at, len(lane.splits) + 1,
                                 last, self._settings.min_lap_s)

    def _time_up(self, lane: Lane, at: float) -> list[Effect]:
        step = lane.step
        if step.duration_s is not None:  # a timed rep, on its own clock
            return self._finished(lane, at, at, Source.TIME)
        expected = lane.expected
        assert expected is not None
        if expected.crossing < (step.crossings or 1):  # a split not seen: on to the next
            lane.splits.append(math.nan)
            lane.expected = self._next_expected(lane)
            return []
        missed = RepMissed(lane.athlete, step.set_no or 0, step.rep_no or 0,
                           step.rep_index or 0, lane.started_at, step.target_s,
                           lane.late_start_s)
        target_end = lane.started_at + step.target_s if step.target_s is not None else at
        self.finishes.append(Finish(lane.athlete, step.rep_index or 0, at, None, missed))
        return [missed, *self._rest(lane, min(at, target_end), at)]

    def _crossed(self, lane: Lane, at: float, source: Source) -> list[Effect]:
        step = lane.step
        if step.crossings and len(lane.splits) + 1 < step.crossings:
            lane.splits.append(at)
            lane.expected = self._next_expected(lane)
            return []
        return self._finished(lane, at, at, source)

    def _finished(self, lane: Lane, at: float, ended_at: float, source: Source
                  ) -> list[Effect]:
        step = lane.step
        seen = []
        for split in lane.splits:  # splits up to the first one not seen: each at its place
            if math.isnan(split):
                break
            seen.append(split - lane.started_at)
        rep = RepRecorded(set_no=step.set_no or 0, rep_no=step.rep_no or 0,
                          index=step.rep_index or 0, started_at=lane.started_at,
                          ended_at=ended_at, target_s=step.target_s, splits_s=tuple(seen),
                          source=source, late_start_s=lane.late_start_s,
                          uncertain=lane.doubt, athlete=lane.athlete)
        self.finishes.append(Finish(lane.athlete, rep.index, at, rep))
        return [rep, *self._rest(lane, ended_at, at)]

    def _rest(self, lane: Lane, rest_from: float, now: float) -> list[Effect]:
        """The lane's rep is over (`rest_from`: when its rest counts from): on to its rest,
        or done with the set (rule 3); and whatever that makes due by `now`."""
        lane.expected, index = None, lane.step.rep_index or 0
        after = lane.position + 1
        steps = lane.steps
        if after >= len(steps) or steps[after].kind is not StepKind.REST:
            lane.state, lane.position = LaneState.DONE, after
            return self._release(now)
        lane.state, lane.position = LaneState.WAITING, after + 1
        lane.rest_s, lane.waiting_since = steps[after].duration_s or 0.0, rest_from
        match self.roster.settings.rest_from:
            case RestFrom.EACH:
                lane.go_at = rest_from + lane.rest_s
            case RestFrom.FIRST:
                first = self._first_end.setdefault(index, rest_from)
                lane.go_at = max(first + lane.rest_s, rest_from)
            case RestFrom.LAST:
                lane.go_at = None
        return self._release(now)

    def _release(self, now: float) -> list[Effect]:
        """Resting from the last finisher: once nobody runs, everyone waiting goes at the
        last finish plus their rest. Then whatever is due by `now` (a rest already over)."""
        if self.roster.settings.rest_from is RestFrom.LAST and not self.running:
            waiting = [lane for lane in self.lanes
                       if lane.state is LaneState.WAITING and lane.go_at is None]
            last = max((lane.waiting_since for lane in waiting), default=now)
            for lane in waiting:
                lane.waiting_since, lane.go_at = last, last + lane.rest_s
        return self.due(now)


_QUIET_START_S = 0.5  # as core.cue_schedule: nothing sounds in the first half second


def _one_go_a_moment(effects: list[Effect]) -> list[Effect]:
    """Athletes who go together hear one GO."""
    gos = set()
    kept: list[Effect] = []
    for effect in effects:
        if isinstance(effect, CueDue) and effect.cue is Cue.GO:
            if effect.due in gos:
                continue
            gos.add(effect.due)
        kept.append(effect)
    return kept


def _counts(end: float, beeps: int, name: str = "") -> list[tuple[Cue, float, int | None, str]]:
    """3-2-1 before `end`; the first calls `name`."""
    return [(Cue.COUNT, end - n, n, name if n == beeps else "") for n in range(beeps, 0, -1)]


def _lane_times(lane: Lane) -> list[float]:
    """When the lane next needs waking: its GO, a timed rep's end, a window's close."""
    if lane.state is LaneState.WAITING and lane.go_at is not None:
        return [lane.go_at]
    if lane.state is LaneState.RUNNING:
        if lane.step.duration_s is not None:
            return [lane.started_at + lane.step.duration_s]
        if lane.expected is not None and math.isfinite(lane.expected.closes):
            return [lane.expected.closes]
    return []


def stretch_end(steps: tuple[Step, ...], position: int) -> int:
    """The first step at or after `position` that is neither a rep nor a rest: where the
    set (or the reps before the cool-down) ends."""
    for number in range(position, len(steps)):
        if steps[number].kind not in (StepKind.REP, StepKind.REST):
            return number
    return len(steps)

