"""The session store's writer thread: commits in order, keeps what it could not write, retries.

Rules for this module:
  1. One thread owns the connection and does every write, in the order the writes were
     queued. Whatever is waiting when it wakes goes into one transaction, so a burst of
     sensor noise costs one fsync, not one per line.
  2. A transaction that fails (a lock another program holds past the busy timeout, a full
     disk, an I/O error) is rolled back and its writes are kept, in order, with everything
     queued after them. They are retried with backoff, and at once when someone flushes;
     when the store works again they are all written. Nothing waiting is given up while
     the process runs; at close, only what still cannot be written after `close`'s time.
  3. Only a write's own bug is dropped: a write that raises anything but a database error,
     or that a constraint refuses, is logged and skipped, so it never blocks the others.
  4. `problem` is what the screen shows: None while everything is saved, else
     'NOT SAVING: disk full, 3 reps waiting'.
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
from enum import Enum
from pathlib import Path
from typing import Any

from trackside.adapters.store_schema import NewerSchemaError

log = logging.getLogger(__name__)

RETRY_FIRST_S = 0.5  # the first retry after a failed write; then twice as long each time
RETRY_MAX_S = 8.0
MAX_WAITING_INPUTS = 20_000  # raw inputs kept for a replay while the disk is unusable

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

Write = Callable[[sqlite3.Connection], Any]


class Kind(Enum):
    REP = "rep"  # counted on screen while waiting
    INPUT = "input"  # a raw input for replays: capped while waiting
    OTHER = "other"


@dataclass(eq=False, slots=True)
class Job:
    write: Write
    kind: Kind = Kind.OTHER
    undo: Callable[[], None] | None = None  # forgets what `write` noted in memory, on rollback


@dataclass(eq=False)
class _Flush:
    """Set once everything queued before it has been tried (see `Writer.flush`)."""

    done: threading.Event = field(default_factory=threading.Event)


@dataclass(eq=False)
class _Stop:
    deadline: float  # time.monotonic() past which what still waits is given up


class Writer:
    """Owns `conn` on a thread of its own. `tick`, if given, runs on that thread every
    `tick_s` (the store's wall-clock check)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *,
                 retry_s: tuple[float, float] = (RETRY_FIRST_S, RETRY_MAX_S),
                 tick: Callable[[], None] | None = None, tick_s: float = 60.0) -> None:
        self.path = path
        self._reason: str | None = None  # why the last try failed; None once all is saved
        self._reps_waiting = 0
        self._retry_first_s, self._retry_max_s = retry_s
        self._tick, self._tick_s = tick, tick_s
        self._queue: queue.SimpleQueue[Job | _Flush | _Stop] = queue.SimpleQueue()
        self._dropped_inputs = 0
        self._thread = threading.Thread(target=self._run, args=(conn,), name="trackside-store",
                                        daemon=True)
        self._thread.start()

    @property
    def problem(self) -> str | None:
        """'NOT SAVING: disk full, 3 reps waiting', or None while everything is saved."""
        if self._reason is None:
            return None
        reps = self._reps_waiting
        return f"NOT SAVING: {self._reason}" + (
            f", {reps} rep{'s' * (reps != 1)} waiting" if reps else "")

    def put(self, job: Job) -> None:
        self._queue.put(job)

    def flush(self, timeout_s: float) -> bool:
        """Try now to write everything queued so far; True once tried (`problem` says how
        it went), False if the writer is still busy after `timeout_s`."""
        request = _Flush()
        self._queue.put(request)
        return request.done.wait(timeout_s)

    def stop(self, timeout_s: float) -> None:
        """Write what waits (retrying until `timeout_s` is nearly up), then close."""
        self._queue.put(_Stop(time.monotonic() + timeout_s * 0.9))
        self._thread.join(timeout_s)
        if self._thread.is_alive():
            log.error("session store %s: writes still pending after %g s at exit", self.path,
                      timeout_s)

    # --- the thread -------------------------------------------------------------------

    def _run(self, conn: sqlite3.Connection) -> None:
        waiting: list[Job] = []
        backoff, retry_at = self._retry_first_s, None
        next_tick = time.monotonic() + self._tick_s
        stop: _Stop | None = None
        try:
            while True:
                wake = min(t for t in (retry_at, next_tick if self._tick else None,
                                       stop.deadline if stop else None, float("inf"))
                           if t is not None)
                items = self._take(wake)
                flushes = [item for item in items if isinstance(item, _Flush)]
                stop = stop or next((item for item in items if isinstance(item, _Stop)), None)
                self._keep(waiting, [item for item in items if isinstance(item, Job)])
                now = time.monotonic()
                if waiting and (retry_at is None or now >= retry_at or flushes or stop):
                    if self._commit(conn, waiting):
                        waiting.clear()
                        backoff, retry_at = self._retry_first_s, None
                    else:
                        retry_at = time.monotonic() + backoff
                        backoff = min(backoff * 2, self._retry_max_s)
                self._reps_waiting = sum(job.kind is Kind.REP for job in waiting)
                for request in flushes:
                    request.done.set()
                if stop and (not waiting or time.monotonic() >= stop.deadline):
                    return
                if self._tick and time.monotonic() >= next_tick:
                    try:
                        self._tick()
                    except Exception:  # noqa: BLE001 - a check must never end the writer
                        log.exception("session store: the wall-clock check failed")
                    next_tick = time.monotonic() + self._tick_s
        finally:
            if waiting:
                reps = sum(job.kind is Kind.REP for job in waiting)
                log.error("session store %s: %s; %d reps and %d other writes were never "
                          "saved", self.path, self._reason, reps, len(waiting) - reps)
            conn.close()

    def _take(self, until: float) -> list[Job | _Flush | _Stop]:
        """Wait for the next item (at most until `until`), then take all that wait."""
        try:
            items = [self._queue.get(timeout=max(0.0, min(until - time.monotonic(), 3600)))]
        except queue.Empty:
            return []
        while True:
            try:
                items.append(self._queue.get_nowait())
            except queue.Empty:
                return items

    def _keep(self, waiting: list[Job], jobs: list[Job]) -> None:
        """Queue `jobs` behind those waiting; past the cap, raw inputs are dropped."""
        inputs = sum(job.kind is Kind.INPUT for job in waiting)
        for job in jobs:
            if job.kind is Kind.INPUT and inputs >= MAX_WAITING_INPUTS:
                if self._dropped_inputs == 0:
                    log.error("session store %s: %d raw inputs wait to be saved; later ones "
                              "are not kept (every rep still is)", self.path, inputs)
                self._dropped_inputs += 1
                continue
            inputs += job.kind is Kind.INPUT
            waiting.append(job)

    def _commit(self, conn: sqlite3.Connection, jobs: list[Job]) -> bool:
        try:
            conn.execute("BEGIN IMMEDIATE")
            for job in jobs:
                _apply(conn, job)
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(conn)
            for job in jobs:
                if job.undo is not None:
                    job.undo()
            first = self._reason is None
            self._reason = reason(exc)
            log.log(logging.ERROR if first else logging.DEBUG,
                    "session store %s: %s (%r); keeping %d writes to retry", self.path,
                    reason(exc), exc, len(jobs))
            return False
        if self._reason is not None:
            log.warning("session store %s: saving again; the %d writes that waited are "
                        "saved", self.path, len(jobs))
            self._reason = None
        return True


def _apply(conn: sqlite3.Connection, job: Job) -> None:
    try:
        job.write(conn)
    except sqlite3.IntegrityError as exc:  # only this statement is undone
        log.warning("session store: a write was refused: %s", exc)
    except sqlite3.Error:
        raise  # the database's trouble, not the write's: retry the lot
    except Exception:  # noqa: BLE001 - rule 3: a bug in one write never blocks the rest
        log.exception("session store: a write failed and was dropped")


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # the transaction is gone either way


def reason(exc: BaseException) -> str:
    """What went wrong, in the few words the screen has room for."""
    if isinstance(exc, NewerSchemaError):
        return "database from a newer trackside"
    if isinstance(exc, OSError):  # making the database's folder
        if exc.errno == errno.ENOSPC:
            return "disk full"
        return f"cannot create folder: {(exc.strerror or str(exc)).lower()}"
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in _REASONS:
        return _REASONS[code & 0xFF]
    return str(exc)
