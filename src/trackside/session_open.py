"""Which session a run records into: a new one, or an unfinished one resumed; and the
sessions after it (a run may hold several: a phone's plan, or `run --again`).

Rules for this module:
  1. One writer per database: the lock is taken before the database is opened and held for
     the run's life, whatever sessions it holds; a second run on it is refused with one
     line naming the first.
  2. `--resume` takes the session named, else the newest unfinished one, whatever was run
     since. With none, the plan given runs fresh (the service's ExecStart relies on it) and
     one line says so. A named session that does not exist or has ended is an error.
  3. A session that cannot be resumed honestly (its plan or its reps cannot be read) is
     called damaged in one line, left as it is, and the plan given runs fresh. One with
     every rep on record (the process died before writing its end) is marked finished.
  4. A new session reaches the database only when it starts (see store_recorder): a run
     quit at READY leaves nothing behind.
  5. After a run, a session that can be resumed ends with the one line that resumes it,
     the command rule 2 reads: `--resume` alone when it is the newest unfinished session,
     else `--resume ID`.
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from trackside.adapters import system_clock
from trackside.adapters.store import NewSession, SessionStore
from trackside.adapters.store_lock import DatabaseLock
from trackside.adapters.store_recorder import SessionRecorder
from trackside.adapters.store_values import ResumePoint
from trackside.core.errors import UserError
from trackside.core.events import RepMissed, RepRecorded
from trackside.core.group import Roster
from trackside.core.plan import Plan
from trackside.core.rep_words import counted
from trackside.core.schedule import Schedule, expand
from trackside.core.wall_anchor import WallAnchor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpenedSession:
    plan: Plan  # what runs: the plan given, or the resumed session's own (a group's: its
    #             first athlete's)
    plan_spec: str  # as it was given: a file, a built-in name or the notation
    schedule: Schedule  # the steps to run (a group's: its first athlete's)
    done: tuple[RepRecorded | RepMissed, ...]  # what an earlier run recorded (resuming)
    recorder: SessionRecorder | None  # None: this run is not recorded (the demo)
    anchor: WallAnchor  # the wall-clock time as this run starts, on the store's clock
    resumed_id: int | None = None
    roster: Roster | None = None  # its named athletes: a group's, or one


def unrecorded(plan: Plan, plan_spec: str, mono: Callable[[], float],
               roster: Roster | None = None) -> OpenedSession:
    """A session that is not kept (the demo)."""
    schedule = roster.schedule if roster else expand(plan)
    return OpenedSession(plan, plan_spec, schedule, (), None, system_clock.anchor(mono),
                         roster=roster)


def open_store(db_path: str | Path, mono: Callable[[], float], stack: ExitStack
               ) -> SessionStore:
    """The database every session of this run records into, locked (rule 1); the lock and
    the store are closed by `stack`.

    `mono`: the run's monotonic clock, which the wall-clock anchor is taken on.
    """
    db_path = Path(db_path).expanduser()
    stack.callback(DatabaseLock.take(db_path).release)
    store = SessionStore.open(db_path, wall_clock=lambda: system_clock.anchor(mono),
                              boot_id=system_clock.boot_id())
    stack.callback(store.close)
    return store


def open_session(plan: Plan, plan_spec: str, store: SessionStore, mono: Callable[[], float],
                 *, resume: bool = False, resume_id: int | None = None,
                 roster: Roster | None = None) -> OpenedSession:
    """The session to record next into `store`: `plan` as a new one, or (`resume`) an
    unfinished one (rule 2). `mono`: the run's monotonic clock, which the inputs are
    recorded by. `roster`: its named athletes (a group's: `plan` is the first one's). A
    session resumed keeps its own athletes and plan."""

    def mono_ns() -> int:
        return round(mono() * 1e9)

    point = _resume_point(store, plan.name, resume_id) if resume else None
    if point is not None and point.plan is not None:
        log.warning("resuming session %d (%s): %s done", point.session_id,
                    point.plan_name, counted(len(point.reps), "rep"))
        recorder = SessionRecorder(store, store.resume(point.session_id), mono_ns=mono_ns)
        group = point.group
        resumed = group.roster() if group else None
        return OpenedSession(point.plan, point.plan_spec,
                             resumed.schedule if resumed else expand(point.plan),
                             (*point.reps, *(group.recorded.missed if group else ())),
                             recorder, store.wall_anchor.taken_at(mono()), point.session_id,
                             resumed)
    schedule = roster.schedule if roster else expand(plan)
    recorder = SessionRecorder(store, NewSession.of(plan_spec, plan, schedule, roster),
                               mono_ns=mono_ns)
    return OpenedSession(plan, plan_spec, schedule, (), recorder,
                         store.wall_anchor.taken_at(mono()), roster=roster)


def resume_line(opened: OpenedSession, db_option: str | None) -> str | None:
    """After the run (its store closed), the line that brings its session back (rule 5);
    None if there is nothing to bring back: it ended, was never saved, or is damaged.

    `db_option`: the --db the run was given, repeated in the command.
    """
    recorder = opened.recorder
    session_id = recorder.session.id if recorder and recorder.session else None
    if recorder is None or session_id is None:
        return None
    try:
        newest = recorder.store.unfinished()
        point = newest if newest and newest.session_id == session_id else (
            recorder.store.unfinished(session_id))
    except UserError:  # it has ended, or the database cannot be read
        return None
    if point is None or point.damage is not None or point.complete:
        return None
    command = "trackside run --resume" + ("" if point is newest else f" {session_id}")
    if db_option:
        command += f" --db {shlex.quote(db_option)}"
    return f"session {session_id} kept: resume with `{command}`"


def _resume_point(store: SessionStore, plan_name: str,
                  session_id: int | None) -> ResumePoint | None:
    """The session to resume, or None (said in one line) to start `plan_name` fresh."""
    try:
        point = store.unfinished(session_id)
    except UserError as exc:
        if session_id is not None:
            raise
        log.warning("cannot look for a session to resume (%s): starting %s", exc, plan_name)
        return None
    if point is None:
        log.warning("nothing to resume: starting %s", plan_name)
    elif point.damage is not None:
        log.warning("session %d cannot be resumed, it is damaged (%s): starting %s",
                    point.session_id, point.damage, plan_name)
        return None
    elif point.complete:  # the process died after its last rep, before writing its end
        store.mark_complete(point.session_id)
        log.warning("session %d has every rep on record: marked finished; starting %s",
                    point.session_id, plan_name)
        return None
    return point
