"""Reading the session database: the history, one session in full, the session to resume.

Rules for this module:
  1. A read never creates, migrates or writes the database: each call opens a read-only
     connection and closes it before returning. In WAL mode a reader never blocks the
     writer, so `trackside history` is safe while a session is being recorded.
  2. Sessions are ordered by id, never by wall-clock start: a Pi has no real-time clock
     and its wall time can jump when NTP syncs after boot.
  3. Anything the user can get wrong (not a Trackside database, an unknown id, a session
     that cannot be resumed) is a UserError that names it; the CLI prints it as one line.
  4. A damaged row never stops a read: what can be read is returned, and each value says
     what was skipped or could not be read (`problem`, `problems`, `damage`), for one line
     of warning. A session with damage is never resumed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from trackside.adapters.store_group import GroupRecord, read_group
from trackside.adapters.store_rows import (
    anchor_from_row,
    input_from_row,
    rep_columns,
    rep_from_row,
    schedule_from_data,
    stopped_columns,
    stopped_from_row,
    utc_from_text,
)
from trackside.adapters.store_schema import connect_readonly, schema_version
from trackside.adapters.store_values import (
    LoggedInput,
    ResumePoint,
    SessionExport,
    SessionRow,
    SessionStatus,
)
from trackside.core.errors import UserError
from trackside.core.events import RepRecorded, RepStopped
from trackside.core.plan import Plan
from trackside.core.schedule import Schedule
from trackside.core.summary import vs_target
from trackside.core.wall_anchor import ClockSource, WallAnchor

LARGEST_ID = 2**63 - 1  # the largest session id: SQLite's INTEGER
_Value = TypeVar("_Value")

_SESSION_COLUMNS = (
    "s.id, s.plan_name, s.plan_spec, s.started_utc, s.finished_utc, s.status, "
    "(SELECT COUNT(*) FROM rep r WHERE r.session_id = s.id), s.reps_planned, {clock}"
)
_RUN_1_CLOCK = "(SELECT clock FROM session_run WHERE session_id = s.id AND run = 1)"
_RESUMABLE = tuple(status.value for status in SessionStatus if status.resumable)


class SessionReader:
    """Reads the database at `path` (see the module's rules)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def history(self) -> list[SessionRow]:
        """Every session, newest first; [] if there is no database yet."""
        if not self._there():
            return []
        with self._connection() as conn:
            rows = conn.execute(f"SELECT {_columns(conn)} FROM session s ORDER BY s.id DESC")
            reps: dict[int, list[RepRecorded]] = {}
            for session_id, *row in conn.execute(
                    f"SELECT session_id, {rep_columns(schema_version(conn))} FROM rep"
                    " ORDER BY session_id, rep_index"):
                try:
                    reps.setdefault(session_id, []).append(rep_from_row(row, group=True))
                except ValueError:
                    continue  # damaged: its export says so
            return [_with_athletes(conn, _session_row(row, reps.get(row[0], ())),
                                   reps.get(row[0], ())) for row in rows.fetchall()]

    def export(self, session_id: int) -> SessionExport:
        with self._connection() as conn:
            row = self._session(conn, session_id, f"{_columns(conn)}, s.plan_json,"
                                                  " s.schedule_json")
            problems: list[str] = []
            reps, rep_problems = _reps(conn, session_id)
            group = read_group(conn, session_id, reps, problems)
            if group is not None:
                reps = group.record.reps  # a group's: after its fixes (one athlete: as run)
            session = _with_athletes(conn, _session_row(row[:-2], reps, problems), reps, group)
            plan = _json(row[-2], "plan", problems)
            schedule = _json(row[-1], "schedule", problems)
            steps = _steps(schedule, problems)
            anchored = schema_version(conn) >= 4
            return SessionExport(
                session, plan, schedule, steps, reps, _inputs(conn, session_id, problems),
                _stopped(conn, session_id, problems),
                _anchors(conn, session_id, problems) if anchored else {},
                dict(conn.execute("SELECT rep_index, run FROM rep WHERE session_id = ?"
                                  " AND run IS NOT NULL", (session_id,))) if anchored else {},
                tuple(dict.fromkeys([*problems, *rep_problems])),  # run 1's clock: once
                group)

    def unfinished(self, session_id: int | None = None) -> ResumePoint | None:
        """The session to resume: `session_id`, else the newest one still running or
        interrupted, whatever was run since (None if there is none).

        A named session that does not exist or has ended is a UserError (rule 3).
        """
        if session_id is None and not self._there():
            return None
        columns = "id, plan_spec, plan_name, plan_json, status, reps_planned"
        with self._connection() as conn:
            if session_id is None:
                marks = ",".join("?" * len(_RESUMABLE))
                row = conn.execute(f"SELECT {columns} FROM session WHERE status IN ({marks})"
                                   " ORDER BY id DESC LIMIT 1", _RESUMABLE).fetchone()
                if row is None:
                    return None
            else:
                row = self._session(conn, session_id, columns)
            ident, spec, name, plan_json, status, planned = row
            if status not in _RESUMABLE:
                raise UserError(f"session {ident} has {_ended(status)}: there is nothing to "
                                "resume (trackside history lists the sessions)")
            reps, problems = _reps(conn, ident)
            group = read_group(conn, ident, reps, problems)
            try:
                plan: Plan | None = Plan.model_validate_json(plan_json)
            except (ValidationError, ValueError, TypeError):
                plan, problems = None, ["its plan cannot be read", *problems]
            done = [*reps, *(group.recorded.missed if group else ())]
            lanes = len(group.athletes) if group else 1
            for lane in range(lanes):
                indexes = sorted(rep.index for rep in done if (rep.athlete or 0) == lane)
                if not problems and indexes != list(range(1, len(indexes) + 1)):
                    problems.append("its reps are not the first ones of its plan")
            if not problems and (not isinstance(planned, int) or len(done) > planned):
                problems.append("it has more reps than its plan")
            return ResumePoint(ident, str(spec), str(name), plan, SessionStatus(status), reps,
                               "; ".join(problems) or None, not problems and len(done) == planned,
                               group)

    def _session(self, conn: sqlite3.Connection, session_id: int, columns: str) -> tuple:
        row = None
        if 0 < session_id <= LARGEST_ID:
            row = conn.execute(f"SELECT {columns} FROM session s WHERE s.id = ?",
                               (session_id,)).fetchone()
        if row is None:
            raise UserError(f"{self.path}: there is no session {session_id} "
                            "(trackside history lists them)")
        return row

    def _there(self, file: bool = False) -> bool:
        """Whether the database (`file`: as a file) is there; a name the system refuses (too
        long, in a folder that cannot be searched) is a UserError."""
        try:
            return self.path.is_file() if file else self.path.exists()
        except OSError as exc:
            raise UserError(f"{str(self.path)[:60]}: cannot be read "
                            f"({(exc.strerror or str(exc)).lower()})") from None

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        if not self._there(file=True):
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


def _columns(conn: sqlite3.Connection) -> str:
    """The history's columns; before schema 4 no session knows its clock."""
    return _SESSION_COLUMNS.format(clock=_RUN_1_CLOCK if schema_version(conn) >= 4 else "NULL")


def _ended(status: Any) -> str:
    if status in (SessionStatus.FINISHED.value, SessionStatus.ENDED_EARLY.value):
        return status.replace("_", " ")
    return f"an unknown status ({status!r:.40})"


def _reps(conn: sqlite3.Connection, session_id: int) -> tuple[tuple[RepRecorded, ...], list[str]]:
    """The reps that can be read (a group's: each athlete's), and one line for those that
    cannot."""
    group = _is_group(conn, session_id)
    return _numbered(conn, f"SELECT {rep_columns(schema_version(conn))} FROM rep WHERE"
                           " session_id = ? ORDER BY rep_index, 11", session_id,  # 11: the lane
                     lambda row: rep_from_row(row, group), "rep")


def _is_group(conn: sqlite3.Connection, session_id: int) -> bool:
    return schema_version(conn) >= 6 and conn.execute(
        "SELECT group_json IS NOT NULL FROM session WHERE id = ?", (session_id,)).fetchone() == (1,)


def _with_athletes(conn: sqlite3.Connection, row: SessionRow, reps: Sequence[RepRecorded],
                   group: GroupRecord | None = None) -> SessionRow:
    """A history row with its athletes' names; a group's reps counted after its fixes."""
    if group is None:
        group = read_group(conn, row.id, [rep for rep in reps], [])
    if group is None:
        return row
    if group.settings is None:
        return replace(row, athletes=group.names)
    reps = group.record.reps
    return replace(row, athletes=group.names, reps_done=len(reps), vs_target=vs_target(reps))


def _numbered(conn: sqlite3.Connection, sql: str, session_id: int,
              read: Callable[[tuple], _Value], what: str) -> tuple[tuple[_Value, ...], list[str]]:
    """The session's rows of `sql` (a rep index first) that `read` can read, and one line
    for those it cannot."""
    values: list[_Value] = []
    bad: list[tuple[str, str]] = []
    for row in conn.execute(sql, (session_id,)):
        try:
            values.append(read(row))
        except ValueError as exc:
            bad.append((f"{what} {row[0]!r:.20}", str(exc)))
    return tuple(values), _unreadable(bad, what)


def _inputs(conn: sqlite3.Connection, session_id: int, problems: list[str]
            ) -> tuple[LoggedInput, ...]:
    if schema_version(conn) < 2:  # older databases kept no inputs
        return ()
    inputs: list[LoggedInput] = []
    bad: list[tuple[str, str]] = []
    for run, mono_ns, kind, at, data in conn.execute(
            "SELECT run, mono_ns, kind, at, data_json FROM input WHERE session_id = ?"
            " ORDER BY seq", (session_id,)):
        try:
            inputs.append(LoggedInput(run, mono_ns, input_from_row(kind, at, data)))
        except ValueError as exc:
            bad.append(("an input", str(exc)))
    problems += _unreadable(bad, "input")
    return tuple(inputs)


def _stopped(conn: sqlite3.Connection, session_id: int, problems: list[str]
             ) -> tuple[RepStopped, ...]:
    if schema_version(conn) < 3:  # older databases kept no stopped reps
        return ()
    group = _is_group(conn, session_id)
    stopped, bad = _numbered(conn, f"SELECT {stopped_columns(schema_version(conn))} FROM"
                                   " stopped_rep WHERE session_id = ? ORDER BY rowid",
                             session_id, lambda row: stopped_from_row(row, group),
                             "stopped rep")
    problems += bad
    return stopped


def _anchors(conn: sqlite3.Connection, session_id: int, problems: list[str]
             ) -> dict[int, WallAnchor]:
    anchors: dict[int, WallAnchor] = {}
    bad: list[tuple[str, str]] = []
    for run, mono, utc, clock in conn.execute(
            "SELECT run, anchor_mono, anchor_utc, clock FROM session_run WHERE session_id = ?",
            (session_id,)):
        try:
            anchors[run] = anchor_from_row(mono, utc, clock)
        except ValueError as exc:
            bad.append((f"the clock of run {run!r:.20}", str(exc)))
    problems += _unreadable(bad, "run clock")
    return anchors


def _unreadable(bad: list[tuple[str, str]], what: str) -> list[str]:
    """One line for any number of damaged rows: how many, and the first one's trouble."""
    if not bad:
        return []
    (name, trouble), count = bad[0], len(bad)
    if count == 1:
        return [f"{name} cannot be read: {trouble}"]
    return [f"{count} {what}s cannot be read, the first ({name}): {trouble}"]


def _json(text: Any, what: str, problems: list[str]) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        problems.append(f"its {what} cannot be read")
        return None


def _steps(schedule: Any, problems: list[str]) -> Schedule | None:
    if schedule is None:  # said already
        return None
    try:
        return schedule_from_data(schedule)
    except ValueError as exc:
        problems.append(str(exc))
        return None


def _session_row(row: tuple, reps: Sequence[RepRecorded],
                 problems: list[str] | None = None) -> SessionRow:
    """A row of the history's columns and the session's reps that can be read; what
    cannot be read is added to `problems` too."""
    ident, name, spec, started, finished, status, done, planned, clock = row
    problems = [] if problems is None else problems
    before = len(problems)
    return SessionRow(
        id=ident, plan_name=str(name), plan_spec=str(spec),
        started_utc=_time(started, "start", problems),
        finished_utc=_time(finished, "end", problems) if finished is not None else None,
        status=_status(status, problems), reps_done=done,
        reps_planned=planned if isinstance(planned, int) else 0,
        vs_target=vs_target(reps),
        clock=_clock(clock, problems), problem="; ".join(problems[before:]) or None,
    )


def _time(text: Any, what: str, problems: list[str]) -> datetime | None:
    try:
        return utc_from_text(text)
    except ValueError:
        problems.append(f"its {what} time cannot be read ({text!r:.40})")
        return None


def _status(text: Any, problems: list[str]) -> SessionStatus | None:
    try:
        return SessionStatus(text)
    except ValueError:
        problems.append(f"unknown status {text!r:.40}")
        return None


def _clock(text: Any, problems: list[str]) -> ClockSource:
    if text is None:
        return ClockSource.UNSYNCHRONISED  # before schema 4, or a run not yet written
    try:
        return ClockSource(text)
    except ValueError:
        problems.append(f"the clock of run 1 cannot be read: unknown clock {text!r:.40}")
        return ClockSource.UNSYNCHRONISED
