"""The session store: every session, rep and raw input on disk the moment it happens.

Rules for this module:
  1. Writes stay off the cue path. The main thread only puts a small value on a queue
     (a few microseconds); the writer thread (`store_writer`) owns its own connection and
     does the SQL and the fsync. A commit with `synchronous=FULL` on an SD card takes from a
     few to a few hundred milliseconds, and sqlite3 releases the GIL while it waits. The
     loop does wait for a rep's commit, bounded, in its `settle` step (`runtime.sinks`):
     after the moment's cues have sounded and before anything shows the rep. So a slow card
     delays the screen and the event log by its commit time, never a cue or a stamp.
  2. A write that fails is kept and retried until it is saved (see `store_writer`): a lock
     or a full disk delays saving, it never ends it. Only a database that cannot be opened
     at all (corrupt, from a newer trackside, a folder that cannot be made) stops saving
     for the run. Either way the timer goes on and `problem` says so for the screen.
  3. A new session reaches the database when it starts (`start_session`, at the first
     press), so a run quit before anything ran leaves nothing behind.
  4. Every run keeps a wall-clock anchor (see core/wall_anchor): the best clock known for
     this boot, an earlier run's when it is no worse than the system clock now, so the runs
     of one boot share one anchor. A better one later (`anchor`, or the system clock found
     synchronised by the check every minute) re-anchors every run of this boot with a
     worse one.
  5. Reads (history, export, the session to resume) use their own short-lived read-only
     connection (see `store_reader`); only the writer thread writes.
  6. A try to write waits at most `WRITE_BUSY_S` for another program's lock (`trackside
     history`, the phone's download, a sqlite3 shell), since the loop may be waiting for
     that try (its `settle`): past it, the try fails, the writes wait and are retried
     (`store_writer`), and the screen says 'NOT SAVING: database locked'. Opening, before
     the loop runs, waits longer (`OPEN_BUSY_S`) to migrate the schema.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from functools import partial
from pathlib import Path
from types import TracebackType

from trackside.adapters import store_schema
from trackside.adapters.store_reader import SessionReader
from trackside.adapters.store_rows import anchor_from_row
from trackside.adapters.store_schema import Connector
from trackside.adapters.store_values import ResumePoint, SessionExport, SessionRow
from trackside.adapters.store_writer import RETRY_FIRST_S, RETRY_MAX_S, Job, Kind, Writer, reason
from trackside.adapters.store_writes import (
    NewSession,
    SessionHandle,
    insert_input,
    insert_mark,
    insert_missed,
    insert_rep,
    insert_session,
    insert_stopped_rep,
    mark_complete,
    reanchor,
    reopen,
    set_status,
)
from trackside.core.errors import UserError
from trackside.core.events import Input, MarkJudged, Outcome, RepMissed, RepRecorded, RepStopped
from trackside.core.wall_anchor import ClockSource, WallAnchor

log = logging.getLogger(__name__)

WALL_CLOCK_CHECK_S = 60.0  # how often an unsynchronised anchor looks for a better clock
WRITE_BUSY_S = 0.05  # rule 6: a locked try costs the loop's pass at most this
OPEN_BUSY_S = 2.0


class StoreStatus(Enum):
    SAVING = "saving"
    NOT_SAVING = "not_saving"  # see `problem`
    CLOSED = "closed"


def unsynchronised_now() -> WallAnchor:
    """The system clock now, not known to be right: the anchor when nothing better is given."""
    return WallAnchor(datetime.now(UTC), time.monotonic(), ClockSource.UNSYNCHRONISED)


class SessionStore:
    """The app's log of sessions. Build it with `SessionStore.open`; `close` it at exit.

        with SessionStore.open(path, wall_clock=..., boot_id=...) as store:
            session = store.start_session(NewSession.of(spec, plan, schedule), at)
            store.record_input(session, ButtonPressed(at=12.5), time.monotonic_ns())
            store.record_rep(session, rep)          # each RepRecorded effect
            store.record_stopped_rep(session, stopped)  # each RepStopped effect
            store.finish(session, Outcome.FINISHED, at)
    """

    def __init__(self, path: Path, problem: str | None, wall_clock: Callable[[], WallAnchor],
                 boot_id: str) -> None:
        self.path = path
        self._reader = SessionReader(path)
        self._writer: Writer | None = None  # set by `open` once the database is usable
        self._open_problem = problem  # rule 2: the database could not be opened
        self._closed = False
        self._wall_clock = wall_clock
        self._boot_id = boot_id or f"unknown:{uuid.uuid4()}"  # never matches another run
        self._anchor_lock = threading.Lock()
        self._anchor = wall_clock()

    @classmethod
    def open(cls, path: str | Path | None = None, *, busy_timeout_s: float = WRITE_BUSY_S,
             connect: Connector = store_schema.connect,
             wall_clock: Callable[[], WallAnchor] = unsynchronised_now, boot_id: str = "",
             retry_s: tuple[float, float] = (RETRY_FIRST_S, RETRY_MAX_S),
             wall_clock_check_s: float = WALL_CLOCK_CHECK_S) -> SessionStore:
        """Open (creating and migrating) the database; never raises for a bad database.

        `path` None: `store_schema.default_path()`. `busy_timeout_s`: how long one try
        to write waits for another program's lock (rule 6). `wall_clock()`: the wall-clock time now on the
        run's monotonic clock, and its source; `boot_id`: this boot's (see
        `system_clock`); `retry_s`: the first and the longest wait between retries.
        """
        path = Path(path).expanduser() if path is not None else store_schema.default_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = connect(path, max(busy_timeout_s, OPEN_BUSY_S))
        except (OSError, sqlite3.Error) as exc:
            return cls(path, _cannot_open(path, reason(exc), exc), wall_clock, boot_id)
        try:
            was = store_schema.migrate(conn)
            # damage found now is better than a write failing in the middle of a session
            damage = _damage(conn)
            known = _boot_anchor(conn, boot_id) if boot_id else None
        except sqlite3.Error as exc:
            conn.close()
            return cls(path, _cannot_open(path, reason(exc), exc), wall_clock, boot_id)
        if damage:
            conn.close()
            problem = _cannot_open(path, "database corrupt", damage)
            return cls(path, problem, wall_clock, boot_id)
        if was != store_schema.SCHEMA_VERSION:
            log.info("session database %s: schema %d -> %d", path, was,
                     store_schema.SCHEMA_VERSION)
        conn.execute(f"PRAGMA busy_timeout = {round(busy_timeout_s * 1000)}")  # rule 6
        store = cls(path, None, wall_clock, boot_id)
        if known is not None and not store._anchor.source.better_than(known.source):
            store._anchor = known  # rule 4: one anchor for the runs of a boot
        store._writer = Writer(conn, path, retry_s=retry_s, tick=store._check_wall_clock,
                               tick_s=wall_clock_check_s)
        store._submit(Job(partial(reanchor, store._boot_id, store._anchor)))  # earlier runs
        return store

    # --- for the screen -------------------------------------------------------------

    @property
    def status(self) -> StoreStatus:
        if self._closed:
            return StoreStatus.CLOSED
        return StoreStatus.NOT_SAVING if self.problem else StoreStatus.SAVING

    @property
    def problem(self) -> str | None:
        """'NOT SAVING: disk full, 3 reps waiting' and the like, or None while all is saved."""
        if self._open_problem is not None:
            return self._open_problem
        return self._writer.problem if self._writer is not None else None

    @property
    def wall_anchor(self) -> WallAnchor:
        """The best wall clock known for this boot (what new writes are anchored to)."""
        return self._anchor

    # --- writes: the main thread only enqueues -------------------------------------

    def start_session(self, session: NewSession, started_mono: float) -> SessionHandle:
        """Record a session that has just started (its first press, at `started_mono`).

        Never waits: the handle's `id` is filled in once the row is written.
        """
        handle = SessionHandle()
        with self._anchor_lock:
            anchor = self._anchor
            self._submit(Job(partial(insert_session, handle, session, started_mono, anchor,
                                     self._boot_id), undo=handle.forget))
        return handle

    def resume(self, session_id: int) -> SessionHandle:
        """Mark an unfinished session running again: a new run of it starts now."""
        handle = SessionHandle(session_id)
        with self._anchor_lock:
            self._submit(Job(partial(reopen, handle, self._anchor, self._boot_id)))
        return handle

    def mark_complete(self, session_id: int) -> None:
        """Finish a session that has every rep but not its end (see `ResumePoint.complete`)."""
        self._submit(Job(partial(mark_complete, session_id)))

    def record_rep(self, session: SessionHandle, rep: RepRecorded) -> None:
        self._submit(Job(partial(insert_rep, session, rep), Kind.REP))

    def record_mark(self, session: SessionHandle, mark: MarkJudged) -> None:
        """A group's mark (a crossing, or a press in a rep) and whose it was judged."""
        self._submit(Job(partial(insert_mark, session, mark)))

    def record_missed(self, session: SessionHandle, missed: RepMissed) -> None:
        """A group's rep whose finish was not seen (flagged)."""
        self._submit(Job(partial(insert_missed, session, missed), Kind.REP))

    def record_stopped_rep(self, session: SessionHandle, stopped: RepStopped) -> None:
        """A rep a hold stopped (it is run again from a press): kept for the record."""
        self._submit(Job(partial(insert_stopped_rep, session, stopped)))

    def record_input(self, session: SessionHandle, item: Input, mono_ns: int) -> None:
        """A raw input as handled (`mono_ns`: the real monotonic clock then), for replays."""
        self._submit(Job(partial(insert_input, session, item, mono_ns), Kind.INPUT))

    def finish(self, session: SessionHandle, outcome: Outcome, finished_mono: float) -> None:
        with self._anchor_lock:
            finished = self._anchor.wall_at(finished_mono)
        self._submit(Job(partial(set_status, session, outcome.value, finished,
                                 finished_mono)))

    def anchor(self, anchor: WallAnchor) -> bool:
        """A better wall clock for this boot: a phone's (its time at our monotonic
        `anchor.mono_s`), or the system clock once synchronised. Every run of this boot
        anchored to a worse clock, the one running included, is re-anchored: its wall
        times move, its durations never. Thread-safe and never waits; False (and nothing
        changes) if `anchor` is no better than the clock already used."""
        with self._anchor_lock:
            if not anchor.source.better_than(self._anchor.source):
                return False
            self._anchor = anchor
            self._submit(Job(partial(reanchor, self._boot_id, anchor)))
        log.info("session times anchored to the %s clock", anchor.source.value)
        return True

    def flush(self, timeout_s: float = 5.0) -> bool:
        """Try now to write everything queued so far. True once tried (`problem` says
        whether it was saved); False if the disk is still busy after `timeout_s`."""
        if self._writer is None or self._closed:
            return True
        return self._writer.flush(timeout_s)

    def close(self, timeout_s: float = 10.0) -> None:
        """Write what waits (retrying for up to `timeout_s`), then close. Safe twice."""
        if self._closed:
            return
        self._closed = True
        if self._writer is not None:
            self._writer.stop(timeout_s)

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # --- reads ----------------------------------------------------------------------

    def unfinished(self, session_id: int | None = None) -> ResumePoint | None:
        """Session `session_id` (else the newest one) if it can be resumed (see the reader).

        Raises UserError if the database cannot be read.
        """
        if self._open_problem is not None:
            raise UserError(f"{self.path}: {self._open_problem.removeprefix('NOT SAVING: ')}")
        return self._reader.unfinished(session_id)

    def history(self) -> list[SessionRow]:
        return self._reader.history()

    def export(self, session_id: int) -> SessionExport:
        return self._reader.export(session_id)

    # --- inside ---------------------------------------------------------------------

    def _submit(self, job: Job) -> None:
        if not self._closed and self._writer is not None:
            self._writer.put(job)

    def _check_wall_clock(self) -> None:
        """On the writer thread, every minute: has the system clock become synchronised?"""
        if self._anchor.source is not ClockSource.SYNCHRONISED:
            self.anchor(self._wall_clock())


def _boot_anchor(conn: sqlite3.Connection, boot_id: str) -> WallAnchor | None:
    """The best anchor an earlier run of this boot kept (the first of the best), if any."""
    best = None
    for row in conn.execute("SELECT anchor_mono, anchor_utc, clock FROM session_run"
                            " WHERE boot_id = ? ORDER BY session_id, run", (boot_id,)):
        try:
            anchor = anchor_from_row(*row)
        except ValueError:
            continue  # damaged: the reader says so
        if best is None or anchor.source.better_than(best.source):
            best = anchor
    return best


def _damage(conn: sqlite3.Connection) -> str:
    """What `quick_check` finds wrong with the file's pages ('' if nothing).

    A row that breaks a CHECK or NOT NULL rule (edited by hand) is not: the reader skips or
    flags such rows, and writing goes on.
    """
    found = [line for (line,) in conn.execute("PRAGMA quick_check") if line != "ok"]
    rows = [line for line in found if line.startswith(_ROW_DAMAGE)]
    if rows:
        log.warning("session database: %d damaged rows (%s); they are left as they are",
                    len(rows), rows[0])
    return "; ".join(line for line in found if line not in rows)


_ROW_DAMAGE = ("CHECK constraint failed", "NULL value in", "NOT NULL constraint failed")


def _cannot_open(path: Path, why: str, detail: object) -> str:
    log.error("session store %s: %s (%s); the timer goes on without saving", path, why, detail)
    return f"NOT SAVING: {why}"
