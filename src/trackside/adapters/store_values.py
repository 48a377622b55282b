"""What reading the session database gives: the history's rows, a session in full, the
session to resume. Plain values (store_reader reads them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Any

from trackside.adapters.store_group import GroupRecord
from trackside.core.errors import UserError
from trackside.core.events import Input, Outcome, RepRecorded, RepStopped
from trackside.core.plan import Plan
from trackside.core.schedule import Schedule, Step
from trackside.core.summary import Summary, VsTarget, summarise
from trackside.core.wall_anchor import ClockSource, WallAnchor


class SessionStatus(Enum):
    RUNNING = "running"  # being recorded, or the process died (crash, kill -9, power cut)
    FINISHED = Outcome.FINISHED.value
    ENDED_EARLY = Outcome.ENDED_EARLY.value
    INTERRUPTED = Outcome.INTERRUPTED.value  # quit or SIGTERM: can be resumed

    @property
    def resumable(self) -> bool:
        return self in (SessionStatus.RUNNING, SessionStatus.INTERRUPTED)


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One line of the history."""

    id: int
    plan_name: str
    plan_spec: str
    started_utc: datetime | None  # None: damaged (see `problem`)
    finished_utc: datetime | None
    status: SessionStatus | None  # None: damaged
    reps_done: int
    reps_planned: int
    vs_target: VsTarget | None  # the finish screen's: over the reps that had a target
    clock: ClockSource  # where `started_utc` came from (sessions before schema 4: unknown,
    #                     so UNSYNCHRONISED: not known to be right)
    problem: str | None = None  # what in this row cannot be read
    athletes: tuple[str, ...] = ()  # its named athletes, in start order (a group's: several)


@dataclass(frozen=True, slots=True)
class LoggedInput:
    """A raw input as the app handled it, for a replay."""

    run: int  # 1 for the first process, +1 per resume: `at` restarts with each
    mono_ns: int
    item: Input


@dataclass(frozen=True, slots=True)
class SessionExport:
    session: SessionRow
    plan: Any  # the plan definition as JSON data; None if it cannot be read
    schedule: Any  # the steps run, as stored (JSON data); None if they cannot be read
    steps: Schedule | None  # the same steps as values; None if they cannot be read
    reps: tuple[RepRecorded, ...]  # in plan order, each once; damaged ones skipped
    inputs: tuple[LoggedInput, ...]  # in arrival order
    stopped: tuple[RepStopped, ...]  # reps a hold stopped (each was run again)
    anchors: Mapping[int, WallAnchor]  # by run: its wall-clock anchor (schema 4 on)
    rep_runs: Mapping[int, int]  # by rep index: the run that timed it (schema 4 on)
    problems: tuple[str, ...] = ()  # what was skipped or could not be read
    group: GroupRecord | None = None  # its named athletes; a group's: `reps` are after fixes
    athlete: int | None = None  # a group's export of one athlete (`for_athlete`): their place

    @property
    def summary(self) -> Summary:
        """The finish screen's figures, grouped by the reps of the stored schedule."""
        return summarise(self.reps, self.steps.reps if self.steps else ())

    def planned(self, rep: RepRecorded) -> Step | None:
        """What the stored schedule said of `rep` (as `summarise` finds it); None if unknown."""
        steps = self.steps.reps if self.steps else ()
        return steps[rep.index - 1] if 0 < rep.index <= len(steps) else None

    def wall_start(self, rep: RepRecorded) -> tuple[datetime, ClockSource] | None:
        """When `rep` started by the wall clock, and that clock's source; None if unknown."""
        anchor = self.anchors.get(self.rep_runs.get(rep.index, 0))
        return None if anchor is None else (anchor.wall_at(rep.started_at), anchor.source)

    def for_athlete(self, lane: int) -> SessionExport:
        """A group session as one athlete's: their reps, on their own steps (their targets)."""
        assert self.group is not None
        athlete = self.group.athletes[lane]
        return replace(self, steps=athlete.schedule,
                       reps=tuple(rep for rep in self.reps if rep.athlete == lane),
                       stopped=tuple(rep for rep in self.stopped if rep.athlete == lane),
                       rep_runs=self.group.runs.get(lane, {}), athlete=lane)

    def of_athlete(self, name: str) -> SessionExport:
        """The part of the athlete called `name` (whatever its case): a group's session as
        theirs (`for_athlete`), a session of one named athlete as it is. UserError when
        nobody by that name ran it."""
        group = self.group
        if group is None:
            raise UserError(f"session {self.session.id} was run without named athletes")
        lane = group.lane(name)
        if lane is None:
            raise UserError(f"no athlete called {name[:20]!r} ran session {self.session.id} "
                            f"(its athletes: {', '.join(group.names)})")
        return self.for_athlete(lane) if group.settings is not None else self

    @property
    def is_group(self) -> bool:
        """A group's session, every athlete in it (not one athlete's export of it)."""
        return self.group is not None and self.group.settings is not None and (
            self.athlete is None)


@dataclass(frozen=True, slots=True)
class ResumePoint:
    """An unfinished session: enough to rebuild the plan and go on after its last rep."""

    session_id: int
    plan_spec: str
    plan_name: str
    plan: Plan | None  # None: damaged
    status: SessionStatus  # RUNNING: the process died; INTERRUPTED: it was stopped
    reps: tuple[RepRecorded, ...]  # the completed reps, in order, each once (by athlete)
    damage: str | None = None  # why it cannot be resumed honestly; None: it can
    complete: bool = False  # every rep is on record: only its end was never written
    group: GroupRecord | None = None  # its named athletes (a group's: their missed reps too)
