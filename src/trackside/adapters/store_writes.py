"""The store's writes: each a function the writer thread runs inside its transaction.

Rules for this module:
  1. A write may run more than once: when its transaction is rolled back (a lock, a full
     disk) it is tried again with the rest. So it takes what it needs from its arguments
     and the database, and what it notes in memory (a new session's id) is undone with the
     transaction (`SessionHandle.forget`).
  2. Wall-clock times are worked out from an anchor and a monotonic time here, so moving an
     anchor (`reanchor`) moves every wall time of the runs it covers and nothing else.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from trackside.adapters.store_rows import INSERT_REP, input_data, rep_row, schedule_json, utc_text
from trackside.adapters.store_group import insert_athletes
from trackside.core.events import Input, MarkJudged, RepMissed, RepRecorded, RepStopped
from trackside.core.group import Roster
from trackside.core.plan import Plan
from trackside.core.schedule import Schedule
from trackside.core.wall_anchor import ClockSource, WallAnchor

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NewSession:
    """A session about to start: what its row will hold."""

    plan_spec: str  # what the user typed: a path, a built-in name, the notation
    plan_name: str
    plan_json: str
    schedule_json: str
    reps_planned: int  # a group's: every athlete's
    roster: Roster | None = None  # its athletes: a group's, or one named athlete

    @classmethod
    def of(cls, plan_spec: str, plan: Plan, schedule: Schedule,
           roster: Roster | None = None) -> NewSession:
        athletes = len(roster.names) if roster else 1
        return cls(plan_spec, plan.name, plan.model_dump_json(), schedule_json(schedule),
                   len(schedule.reps) * athletes, roster)


@dataclass(eq=False)
class SessionHandle:
    """A session this run records into. `id` is None until its row is written."""

    id: int | None = None

    def forget(self) -> None:
        """Its insert was rolled back: the id it got is no longer its own."""
        self.id = None


def insert_session(handle: SessionHandle, session: NewSession, started_mono: float,
                   anchor: WallAnchor, boot_id: str, conn: sqlite3.Connection) -> None:
    cursor = conn.execute(
        "INSERT INTO session (plan_spec, plan_name, plan_json, schedule_json, reps_planned,"
        " started_utc, started_mono) VALUES (?,?,?,?,?,?,?)",
        (session.plan_spec, session.plan_name, session.plan_json, session.schedule_json,
         session.reps_planned, utc_text(anchor.wall_at(started_mono)), started_mono))
    handle.id = cursor.lastrowid
    _insert_run(handle.id, anchor, boot_id, conn)
    if session.roster is not None:
        insert_athletes(handle.id, session.roster, conn)


def mark_complete(session_id: int, conn: sqlite3.Connection) -> None:
    """A session whose every rep is on record but whose end was never written (the process
    died between the two): finished, at a moment nobody knows."""
    conn.execute("UPDATE session SET status = 'finished' WHERE id = ?"
                 " AND status IN ('running', 'interrupted')", (session_id,))


def reopen(handle: SessionHandle, anchor: WallAnchor, boot_id: str,
           conn: sqlite3.Connection) -> None:
    """A new run of an unfinished session: running again, with its own anchor."""
    conn.execute("UPDATE session SET status = 'running', finished_utc = NULL,"
                 " finished_mono = NULL, runs = runs + 1 WHERE id = ?", (handle.id,))
    _insert_run(handle.id, anchor, boot_id, conn)


def _insert_run(session_id: int | None, anchor: WallAnchor, boot_id: str,
                conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO session_run (session_id, run, boot_id, anchor_mono, anchor_utc, clock)"
        " VALUES (?, (SELECT runs FROM session WHERE id = ?), ?, ?, ?, ?)",
        (session_id, session_id, boot_id, anchor.mono_s, utc_text(anchor.wall),
         anchor.source.value))


def insert_rep(handle: SessionHandle, rep: RepRecorded, conn: sqlite3.Connection) -> None:
    if conn.execute(INSERT_REP, rep_row(handle.id, rep)).rowcount == 0:
        log.warning("session %s: rep %d was recorded twice; the first is kept",
                    handle.id, rep.index)


def insert_mark(handle: SessionHandle, mark: MarkJudged, conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO mark (session_id, run, at, source, role, lane, rep_index, crossing,"
        " uncertain) VALUES (?, (SELECT runs FROM session WHERE id = ?), ?, ?, ?, ?, ?, ?, ?)",
        (handle.id, handle.id, mark.at, mark.source.value, mark.role.value, mark.athlete,
         mark.index, mark.crossing, int(mark.uncertain)))


def insert_missed(handle: SessionHandle, missed: RepMissed, conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO missed_rep (session_id, run, lane, rep_index, set_no, rep_no,"
        " started_at, target_s, late_start_s) VALUES (?, (SELECT runs FROM session WHERE"
        " id = ?), ?, ?, ?, ?, ?, ?, ?)",
        (handle.id, handle.id, missed.athlete, missed.index, missed.set_no, missed.rep_no,
         missed.started_at, missed.target_s, missed.late_start_s))


def insert_stopped_rep(handle: SessionHandle, stopped: RepStopped,
                       conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO stopped_rep (session_id, run, rep_index, set_no, rep_no, started_at,"
        " stopped_at, lane) VALUES (?, (SELECT runs FROM session WHERE id = ?), ?, ?, ?, ?, ?,"
        " ?)",
        (handle.id, handle.id, stopped.index, stopped.set_no, stopped.rep_no,
         stopped.started_at, stopped.stopped_at, stopped.athlete or 0))


def insert_input(handle: SessionHandle, item: Input, mono_ns: int,
                 conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO input (session_id, run, kind, at, mono_ns, data_json)"
        " VALUES (?, (SELECT runs FROM session WHERE id = ?), ?, ?, ?, ?)",
        (handle.id, handle.id, type(item).__name__, item.at, mono_ns, input_data(item)))


def set_status(handle: SessionHandle, status: str, finished: datetime, finished_mono: float,
               conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE session SET status = ?, finished_utc = ?, finished_mono = ?"
                 " WHERE id = ?", (status, utc_text(finished), finished_mono, handle.id))


def reanchor(boot_id: str, anchor: WallAnchor, conn: sqlite3.Connection) -> None:
    """Every run of this boot anchored to a worse clock than `anchor` takes `anchor`, and
    its session's wall-clock start (run 1) and end (the last run) move with it."""
    runs = conn.execute(
        "SELECT r.session_id, r.run, r.clock, s.runs, s.started_mono, s.finished_mono"
        " FROM session_run r JOIN session s ON s.id = r.session_id WHERE r.boot_id = ?",
        (boot_id,)).fetchall()
    for session_id, run, clock, last_run, started_mono, finished_mono in runs:
        if clock in _SOURCES and not anchor.source.better_than(ClockSource(clock)):
            continue
        conn.execute("UPDATE session_run SET anchor_mono = ?, anchor_utc = ?, clock = ?"
                     " WHERE session_id = ? AND run = ?",
                     (anchor.mono_s, utc_text(anchor.wall), anchor.source.value, session_id,
                      run))
        if run == 1 and isinstance(started_mono, float):
            conn.execute("UPDATE session SET started_utc = ? WHERE id = ?",
                         (utc_text(anchor.wall_at(started_mono)), session_id))
        if run == last_run and isinstance(finished_mono, float):
            conn.execute("UPDATE session SET finished_utc = ? WHERE id = ?",
                         (utc_text(anchor.wall_at(finished_mono)), session_id))
    if runs:
        log.debug("re-anchored the runs of boot %s to the %s clock", boot_id,
                  anchor.source.value)


_SOURCES = {source.value for source in ClockSource}
