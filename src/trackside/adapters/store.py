"""The session store: every session, rep and raw input on disk the moment it happens.

Rules for this module:
  1. Writes stay off the cue path. The main thread only puts a small value on a queue
     (a few microseconds); a dedicated writer thread owns its own connection and does the
     SQL and the fsync. A commit with `synchronous=FULL` on an SD card takes from a few to
     a few hundred milliseconds, and the sqlite3 module releases the GIL while it waits.
     The loop does wait for a rep's commit, bounded, in its `settle` step: after the
     moment's cues have sounded and before anything shows the rep. So a slow card delays
     the screen and the event log by its commit time, never a cue or a stamp.
  2. Each rep is committed as soon as the writer gets it: whatever is on the queue at that
     moment goes into one transaction, so a burst of sensor noise costs one fsync, not one
     per line. A commit that returned survives a crash, a kill -9 and a power cut.
  3. The store never stops the timer. A database that cannot be opened, is corrupt, is
     locked by another program past the busy timeout, or a full disk: the store logs it
     once, stops writing for the rest of the run, and `problem` says so for the screen
     ("NOT SAVING: disk full"). The session goes on in memory (the engine holds its reps).
  4. Reads (history, export, the session to resume) use their own short-lived read-only
     connection (see `store_reader`); only the writer thread writes.
"""

from __future__ import annotations

import errno
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

from trackside.adapters import store_schema
from trackside.adapters.store_reader import (
    ResumePoint,
    SessionExport,
    SessionReader,
    SessionRow,
    SessionStatus,
)
from trackside.adapters.store_schema import Connector, input_data, rep_row, utc_text
from trackside.core.errors import UserError
from trackside.core.events import Effect, Input, Outcome, RepRecorded, SessionFinished

log = logging.getLogger(__name__)

_REASONS = {  # sqlite's primary result codes, in the words the screen shows
    sqlite3.SQLITE_FULL: "disk full",
    sqlite3.SQLITE_BUSY: "database locked",  # by another program, past the busy timeout
    sqlite3.SQLITE_LOCKED: "database locked",
    sqlite3.SQLITE_CORRUPT: "database corrupt",
    sqlite3.SQLITE_NOTADB: "database corrupt",  # not an SQLite file at all
    sqlite3.SQLITE_READONLY: "database read-only",
    sqlite3.SQLITE_CANTOPEN: "cannot open database",
    sqlite3.SQLITE_IOERR: "disk error",
    sqlite3.SQLITE_PERM: "no permission",
}


class StoreStatus(Enum):
    SAVING = "saving"
    NOT_SAVING = "not_saving"  # see `problem`
    CLOSED = "closed"


Write = Callable[[sqlite3.Connection], Any]


@dataclass(eq=False)
class _Barrier:
    """Set by the writer once everything queued before it is committed (or given up)."""

    done: threading.Event = field(default_factory=threading.Event)


@dataclass(eq=False)
class _Ask:
    """A write whose result the caller waits for: None if it could not be saved."""

    write: Write
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None


_STOP = object()


class SessionStore:
    """The app's log of sessions. Build it with `SessionStore.open`; `close` it at exit.

        with SessionStore.open(args.db) as store:
            session_id = store.start_session(plan_spec=..., ..., started_utc=now_utc)
            store.record_input(session_id, ButtonPressed(at=12.5), time.monotonic_ns())
            store.record_rep(session_id, rep)          # each RepRecorded effect
            store.finish(session_id, Outcome.FINISHED, now_utc)
    """

    def __init__(self, path: Path, conn: sqlite3.Connection | None,
                 answer_timeout_s: float) -> None:
        self.path = path
        self._reader = SessionReader(path)
        self._problem: str | None = None
        self._fault_lock = threading.Lock()
        self._answer_timeout_s = answer_timeout_s
        self._memory_ids = 0  # a session that is not being saved gets a negative id
        self._closed = False
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        if conn is not None:
            self._writer = threading.Thread(target=self._write_loop, args=(conn,),
                                            name="trackside-store", daemon=True)
            self._writer.start()

    @classmethod
    def open(cls, path: str | Path | None = None, *, busy_timeout_s: float = 2.0,
             connect: Connector = store_schema.connect) -> SessionStore:
        """Open (creating and migrating) the database; never raises for a bad database.

        `path` None: `store_schema.default_path()`. `busy_timeout_s`: how long a write
        waits for another program's lock before the store gives up saving.
        """
        path = Path(path).expanduser() if path is not None else store_schema.default_path()
        answer_timeout_s = busy_timeout_s + 3.0
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = connect(path, busy_timeout_s)
        except (OSError, sqlite3.Error) as exc:
            return cls(path, None, answer_timeout_s)._fault(_reason(exc), exc)
        try:
            was = store_schema.migrate(conn)
            # damage found now is better than a write failing in the middle of a session
            (check,) = conn.execute("PRAGMA quick_check").fetchone()
        except sqlite3.Error as exc:
            conn.close()
            return cls(path, None, answer_timeout_s)._fault(_reason(exc), exc)
        if check != "ok":
            conn.close()
            return cls(path, None, answer_timeout_s)._fault("database corrupt", check)
        if was != store_schema.SCHEMA_VERSION:
            log.info("session database %s: schema %d -> %d", path, was,
                     store_schema.SCHEMA_VERSION)
        return cls(path, conn, answer_timeout_s)

    # --- for the screen -------------------------------------------------------------

    @property
    def status(self) -> StoreStatus:
        if self._closed:
            return StoreStatus.CLOSED
        return StoreStatus.NOT_SAVING if self._problem else StoreStatus.SAVING

    @property
    def problem(self) -> str | None:
        """'NOT SAVING: disk full' and the like, or None while every write is saved."""
        return self._problem

    # --- writes: the main thread only enqueues -------------------------------------

    def start_session(self, *, plan_spec: str, plan_json: str, schedule_json: str,
                      plan_name: str, reps_planned: int, started_utc: datetime) -> int:
        """Record a new session and return its id.

        The one write that waits for the writer (its id comes from the database): call
        it before the first press, not on the timing path. It waits at most the busy
        timeout plus 3 s; a session that cannot be saved gets a negative id.
        """
        row = (plan_spec, plan_name, plan_json, schedule_json, reps_planned,
               utc_text(started_utc))
        ask = _Ask(partial(_insert_session, row))
        if self._accepting():
            self._queue.put(ask)
            if not ask.done.wait(self._answer_timeout_s):
                self._fault(f"disk too slow (no answer in {self._answer_timeout_s:g} s)")
        if ask.result is not None:
            return ask.result
        self._memory_ids -= 1
        return self._memory_ids

    def record_rep(self, session_id: int, rep: RepRecorded) -> None:
        self._submit(partial(_insert_rep, session_id, rep))

    def record_input(self, session_id: int, item: Input, mono_ns: int) -> None:
        """A raw input as handled (`mono_ns`: the real monotonic clock then), for replays."""
        self._submit(partial(_insert_input, session_id, item, mono_ns))

    def finish(self, session_id: int, outcome: Outcome, finished_utc: datetime) -> None:
        self._submit(partial(_set_status, session_id, SessionStatus(outcome.value),
                             utc_text(finished_utc)))

    def resume(self, session_id: int) -> None:
        """Mark an unfinished session running again: a new run of it starts now."""
        self._submit(partial(_reopen, session_id))

    def flush(self, timeout_s: float = 5.0) -> bool:
        """Wait until everything queued so far is committed (or given up); False on timeout."""
        if not self._accepting():
            return True
        barrier = _Barrier()
        self._queue.put(barrier)
        return barrier.done.wait(timeout_s)

    def close(self, timeout_s: float = 10.0) -> None:
        """Write what is queued, then close. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self._writer is not None:
            self._queue.put(_STOP)
            self._writer.join(timeout_s)
            if self._writer.is_alive():
                log.warning("session store: writes still pending after %g s at exit", timeout_s)

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # --- reads ----------------------------------------------------------------------

    def unfinished(self) -> ResumePoint | None:
        """The newest session if it is still running or was interrupted (see the reader)."""
        if self._problem is not None:
            return None
        try:
            return self._reader.unfinished()
        except UserError as exc:
            log.warning("cannot look for a session to resume: %s", exc)
            return None

    def history(self) -> list[SessionRow]:
        return self._reader.history()

    def export(self, session_id: int) -> SessionExport:
        return self._reader.export(session_id)

    # --- the writer thread ----------------------------------------------------------

    def _accepting(self) -> bool:
        return not self._closed and self._problem is None and self._writer is not None

    def _submit(self, write: Write) -> None:
        if self._accepting():
            self._queue.put(write)

    def _fault(self, reason: str, detail: object = None) -> SessionStore:
        """Stop saving. The first fault is the one shown and logged; later ones are debug."""
        with self._fault_lock:
            first = self._problem is None
            if first:
                self._problem = f"NOT SAVING: {reason}"
        log.log(logging.ERROR if first else logging.DEBUG,
                "session store %s: %s (%s); the timer goes on without saving",
                self.path, reason, detail)
        return self

    def _write_loop(self, conn: sqlite3.Connection) -> None:
        try:
            while True:
                batch = [self._queue.get()]
                while True:  # rule 2: take whatever else is already waiting
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                if not self._write_batch(conn, batch):
                    return
        finally:
            conn.close()

    def _write_batch(self, conn: sqlite3.Connection, batch: list[Any]) -> bool:
        """Commit the writes, then release their waiters; False once _STOP is reached."""
        writes = [item for item in batch if item is not _STOP and not isinstance(item, _Barrier)]
        if writes and self._problem is None:
            try:
                conn.execute("BEGIN IMMEDIATE")
                for item in writes:
                    self._apply(conn, item)
                conn.execute("COMMIT")
            except Exception as exc:  # even a bug in a write stops the saving, not the timer
                for item in writes:
                    if isinstance(item, _Ask):
                        item.result = None
                _rollback(conn)
                self._fault(_reason(exc), f"{exc!r}; {len(writes)} writes lost")
        waiting = [item for item in batch if isinstance(item, _Ask | _Barrier)]
        for item in waiting:
            item.done.set()
        return _STOP not in batch

    @staticmethod
    def _apply(conn: sqlite3.Connection, item: Write | _Ask) -> None:
        write = item.write if isinstance(item, _Ask) else item
        try:
            result = write(conn)
        except sqlite3.IntegrityError as exc:  # only this statement is undone
            log.warning("session store: a write was refused: %s", exc)
            return
        if isinstance(item, _Ask):
            item.result = result


class SessionRecorder:
    """One session as the loop's durable record: every input, every rep, the end.

    `mono_ns` is read as each input is recorded, just after the loop handled it; minus
    the input's own stamp, it is how long the input waited for the loop.
    """

    def __init__(self, store: SessionStore, session_id: int, *,
                 mono_ns: Callable[[], int] = time.monotonic_ns,
                 utc_now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store, self.session_id = store, session_id
        self._mono_ns, self._utc_now = mono_ns, utc_now
        self._unsettled = False  # a rep was handed over since the last `settle`

    @property
    def problem(self) -> str | None:
        return self.store.problem

    def input(self, item: Input) -> None:
        self.store.record_input(self.session_id, item, self._mono_ns())

    def effect(self, effect: Effect, driven_at: float | None) -> None:
        if isinstance(effect, RepRecorded):
            self.store.record_rep(self.session_id, effect)
            self._unsettled = True
        elif isinstance(effect, SessionFinished):
            self.store.finish(self.session_id, effect.outcome, self._utc_now())

    def settle(self, timeout_s: float) -> None:
        """Wait, at most `timeout_s`, until every rep handed over is committed."""
        if self._unsettled:
            self._unsettled = False
            self.store.flush(timeout_s)


# --- the writes (run on the writer thread) -------------------------------------------


def _insert_session(row: tuple[Any, ...], conn: sqlite3.Connection) -> int:
    cursor = conn.execute(
        "INSERT INTO session (plan_spec, plan_name, plan_json, schedule_json, reps_planned,"
        " started_utc) VALUES (?,?,?,?,?,?)", row)
    return cursor.lastrowid


def _insert_rep(session_id: int, rep: RepRecorded, conn: sqlite3.Connection) -> None:
    if conn.execute(store_schema.INSERT_REP, rep_row(session_id, rep)).rowcount == 0:
        log.warning("session %d: rep %d was recorded twice; the first is kept",
                    session_id, rep.index)


def _insert_input(session_id: int, item: Input, mono_ns: int, conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO input (session_id, run, kind, at, mono_ns, data_json)"
        " VALUES (?, (SELECT runs FROM session WHERE id = ?), ?, ?, ?, ?)",
        (session_id, session_id, type(item).__name__, item.at, mono_ns, input_data(item)))


def _set_status(session_id: int, status: SessionStatus, finished: str,
                conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE session SET status = ?, finished_utc = ? WHERE id = ?",
                 (status.value, finished, session_id))


def _reopen(session_id: int, conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE session SET status = 'running', finished_utc = NULL,"
                 " runs = runs + 1 WHERE id = ?", (session_id,))


# --- faults ----------------------------------------------------------------------------


def _reason(exc: BaseException) -> str:
    """What went wrong, in the few words the screen has room for."""
    if isinstance(exc, store_schema.NewerSchemaError):
        return "database from a newer trackside"
    if isinstance(exc, OSError):  # making the database's folder
        if exc.errno == errno.ENOSPC:
            return "disk full"
        return f"cannot create folder: {(exc.strerror or str(exc)).lower()}"
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in _REASONS:
        return _REASONS[code & 0xFF]
    return str(exc)


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # the transaction is gone either way
