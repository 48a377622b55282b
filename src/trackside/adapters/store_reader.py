"""Reading the session database: the history, one session in full, the session to resume.

Rules for this module:
  1. A read never creates, migrates or writes the database: each call opens a read-only
     connection and closes it before returning. In WAL mode a reader never blocks the
     writer, so `trackside history` is safe while a session is being recorded.
  2. Sessions are ordered by id, never by wall-clock start: a Pi has no real-time clock
     and its wall time can jump when NTP syncs after boot.
  3. Anything the user can get wrong (no file, not a Trackside database, an unknown id)
     is a UserError that names the file; the CLI prints it as one line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

from trackside.adapters.store_schema import (
    REP_COLUMNS,
    STOPPED_COLUMNS,
    connect_readonly,
    input_from_row,
    rep_from_row,
    schedule_from_json,
    schema_version,
    stopped_from_row,
)
from trackside.core.errors import UserError
from trackside.core.events import Input, Outcome, RepRecorded, RepStopped
from trackside.core.summary import Summary, VsTarget, summarise, vs_target


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
    started_utc: datetime
    finished_utc: datetime | None
    status: SessionStatus
    reps_done: int
    reps_planned: int
    vs_target: VsTarget | None  # the finish screen's: over the reps that had a target


@dataclass(frozen=True, slots=True)
class LoggedInput:
    """A raw input as the app handled it, for a replay."""

    run: int  # 1 for the first process, +1 per resume: `at` restarts with each
    mono_ns: int
    item: Input


@dataclass(frozen=True, slots=True)
class SessionExport:
    session: SessionRow
    plan_json: str
    schedule_json: str
    reps: tuple[RepRecorded, ...]  # in plan order, each once
    inputs: tuple[LoggedInput, ...]  # in arrival order
    stopped: tuple[RepStopped, ...] = ()  # reps a hold stopped (each was run again)

    @property
    def summary(self) -> Summary:
        """The finish screen's figures, grouped by the reps of the stored schedule."""
        schedule = schedule_from_json(self.schedule_json)
        return summarise(self.reps, schedule.reps if schedule else ())


@dataclass(frozen=True, slots=True)
class ResumePoint:
    """An unfinished session: enough to rebuild the plan and go on after its last rep."""

    session_id: int
    plan_spec: str
    plan_name: str
    plan_json: str
    schedule_json: str
    status: SessionStatus  # RUNNING: the process died; INTERRUPTED: it was stopped
    started_utc: datetime
    reps: tuple[RepRecorded, ...]  # the completed reps, in order, each once


_SESSION_COLUMNS = (
    "s.id, s.plan_name, s.plan_spec, s.started_utc, s.finished_utc, s.status, s.reps_planned"
)


class SessionReader:
    """Reads the database at `path` (see the module's rules)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def history(self) -> list[SessionRow]:
        """Every session, newest first."""
        with self._connection() as conn:
            rows = conn.execute(f"SELECT {_SESSION_COLUMNS} FROM session s ORDER BY s.id DESC")
            reps: dict[int, list[RepRecorded]] = {}
            for session_id, *rep in conn.execute(
                    f"SELECT session_id, {REP_COLUMNS} FROM rep ORDER BY session_id, rep_index"):
                reps.setdefault(session_id, []).append(rep_from_row(rep))
            return [_session_row(row, reps.get(row[0], [])) for row in rows.fetchall()]

    def export(self, session_id: int) -> SessionExport:
        with self._connection() as conn:
            row = conn.execute(
                f"SELECT {_SESSION_COLUMNS}, s.plan_json, s.schedule_json FROM session s"
                " WHERE s.id = ?", (session_id,)).fetchone()
            if row is None:
                raise UserError(f"{self.path}: there is no session {session_id} "
                                "(trackside history lists them)")
            inputs: tuple[LoggedInput, ...] = ()
            if schema_version(conn) >= 2:  # older databases kept no inputs
                inputs = tuple(
                    LoggedInput(run, mono_ns, input_from_row(kind, at, data))
                    for run, mono_ns, kind, at, data in conn.execute(
                        "SELECT run, mono_ns, kind, at, data_json FROM input"
                        " WHERE session_id = ? ORDER BY seq", (session_id,)))
            stopped: tuple[RepStopped, ...] = ()
            if schema_version(conn) >= 3:  # nor stopped reps
                stopped = tuple(stopped_from_row(found) for found in conn.execute(
                    f"SELECT {STOPPED_COLUMNS} FROM stopped_rep WHERE session_id = ?"
                    " ORDER BY rowid", (session_id,)))
            reps = _reps(conn, session_id)
            return SessionExport(_session_row(row[:-2], reps), row[-2], row[-1], reps,
                                 inputs, stopped)

    def unfinished(self) -> ResumePoint | None:
        """The newest session, if it is still running or was interrupted.

        Only the newest: once a later session was started, an older unfinished one was
        given up, and the service must not bring it back at the next boot.
        """
        with self._connection() as conn:
            row = conn.execute(
                "SELECT id, plan_spec, plan_name, plan_json, schedule_json, status, started_utc"
                " FROM session ORDER BY id DESC LIMIT 1").fetchone()
            if row is None or not SessionStatus(row[5]).resumable:
                return None
            session_id, spec, name, plan_json, schedule_json, status, started = row
            return ResumePoint(session_id, spec, name, plan_json, schedule_json,
                               SessionStatus(status), datetime.fromisoformat(started),
                               _reps(conn, session_id))

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        if not self.path.is_file():
            raise UserError(f"no session database at {self.path} (give one with --db FILE)")
        try:
            conn = connect_readonly(self.path)
        except sqlite3.Error as exc:
            raise UserError(f"cannot open {self.path}: {exc}") from None
        try:
            if schema_version(conn) < 1:
                raise UserError(f"{self.path} is not a Trackside session database")
            yield conn
        except sqlite3.DatabaseError as exc:
            raise UserError(f"cannot read {self.path}: {exc}") from None
        finally:
            conn.close()


def _reps(conn: sqlite3.Connection, session_id: int) -> tuple[RepRecorded, ...]:
    rows = conn.execute(f"SELECT {REP_COLUMNS} FROM rep WHERE session_id = ?"
                        " ORDER BY rep_index", (session_id,))
    return tuple(rep_from_row(row) for row in rows)


def _session_row(row: tuple, reps: Sequence[RepRecorded]) -> SessionRow:
    ident, name, spec, started, finished, status, planned = row
    return SessionRow(
        id=ident, plan_name=name, plan_spec=spec,
        started_utc=datetime.fromisoformat(started),
        finished_utc=datetime.fromisoformat(finished) if finished else None,
        status=SessionStatus(status), reps_done=len(reps), reps_planned=planned,
        vs_target=vs_target(reps),
    )
