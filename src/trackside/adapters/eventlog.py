"""The JSON Lines event log (`--events FILE`): one line per thing that happened.

Every line has "type" and "mono_ns" (the monotonic clock in nanoseconds: for an input,
when it was read; for a cue, when the output was driven). A crossing is one line, written
when the engine's judgement follows it, with the sensor's raw line.

Rules for this module:
  1. Lines are appended as they happen, never fsynced: a page-cache write, cheap enough for
     the timing path; the session store is what survives a power cut.
  2. A write that fails (a full disk, /dev/full, an I/O error) never stops the timer and
     never loses its place: the lines wait in memory, in order, and are tried again with
     every new line and at every pass of the loop (`retry`), so a disk that clears at an
     idle READY is noticed within a second; `problem` says so ('NOT LOGGING: disk full, 12 lines waiting'). A
     line cut short by the failure is finished, not written twice. At most `MAX_WAITING`
     lines wait; later ones are counted, and a `lines_lost` line stands where they were.
  3. A file whose last line a crash cut short is ended with a newline before a new run
     appends, so every line this run writes is whole.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import stat
from collections import deque
from collections.abc import Callable
from typing import Any

from trackside.core.events import (
    AthleteStarted,
    ButtonPressed,
    ButtonReleased,
    Commanded,
    Crossing,
    CrossingJudged,
    CueDue,
    CueMissed,
    Effect,
    Input,
    MarkJudged,
    PhaseStarted,
    QuitRequested,
    RepMissed,
    RepRecorded,
    RepStopped,
    SensorBack,
    SensorLost,
    SensorNoise,
    SessionFinished,
    SessionStarted,
    Source,
)
from trackside.core.wall_anchor import WallAnchor

log = logging.getLogger(__name__)

MAX_WAITING = 10_000  # lines kept while the log cannot be written: about 1.5 MB, hours of them

Write = Callable[[bytes], int]
"""Writes some of the bytes given (at least one), returns how many; raises OSError."""


def ns(seconds: float) -> int:
    return round(seconds * 1e9)


class EventLog:
    """Lines go to `write` (the file's, from `open`; a test's buffer). `close`: the file's."""

    def __init__(self, write: Write, close: Callable[[], None] = lambda: None,
                 name: str = "the event log") -> None:
        self._write_bytes = write
        self._close = close
        self._name = name
        self._judging: Crossing | None = None  # the crossing the engine is judging
        self._waiting: deque[bytes] = deque()  # lines not yet written, oldest first
        self._written = 0  # bytes of the first waiting line already written (rule 2)
        self._lost = 0  # lines not kept since the backlog was full
        self._reason: str | None = None  # why the last write failed; None once all is written
        self._closed = False

    @classmethod
    def open(cls, path: str) -> EventLog:
        """The log at `path`, opened for appending. Raises OSError (a folder that is not
        there, a folder given as the file, a read-only place) or ValueError (a NUL in it)."""
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o666)
        events = cls(lambda data: os.write(fd, data), lambda: os.close(fd), path)
        if _ends_mid_line(fd, path):  # rule 3
            log.warning("%s: its last line was cut short (a crash?): ending it", path)
            events._waiting.append(b"\n")
            events._flush()
        return events

    @property
    def problem(self) -> str | None:
        """'NOT LOGGING: disk full, 12 lines waiting', or None while every line is written."""
        if self._reason is None:
            return None
        waiting = len(self._waiting)
        text = f"NOT LOGGING: {self._reason}, {waiting} line{'s' * (waiting != 1)} waiting"
        return text + (f", {self._lost} lost" if self._lost else "")

    def run_started(self, anchor: WallAnchor, resumed_id: int | None, reps_done: int) -> None:
        """The first line of a run: the wall-clock time (once), and the session it resumes."""
        self._line("run_started", anchor.mono_s,
                   wall_time=anchor.wall.astimezone().isoformat(timespec="milliseconds"),
                   clock=anchor.source.value, resumed=resumed_id is not None,
                   session=resumed_id, reps_done=reps_done)

    def input(self, item: Input) -> None:
        match item:
            case ButtonPressed(at=at):
                self._line("press", at)
            case ButtonReleased(at=at):
                self._line("release", at)
            case Commanded(at=at, command=command, source=source):
                self._line("command", at, command=command.value, source=source.value)
            case SensorNoise(at=at, raw=raw, reason=reason):
                self._line("sensor_line", at, raw=raw, reason=reason)
            case SensorLost(at=at, reason=reason):
                self._line("sensor_lost", at, reason=reason)
            case SensorBack(at=at):
                self._line("sensor_back", at)
            case QuitRequested(at=at):
                self._line("quit", at)
            case Crossing():
                self._judging = item  # logged once judged: "crossing", a group's "mark"

    def effect(self, effect: Effect, driven_at: float | None = None) -> None:
        match effect:
            case PhaseStarted(phase=phase, at=at, step=step):
                self._line("phase", at, phase=phase.value, set=step.set_no if step else None,
                           rep=step.rep_no if step else None)
            case CueDue(cue=cue, due=due, name=name):
                self._line("cue", due if driven_at is None else driven_at, cue=cue.value,
                           due_ns=ns(due), **_called(name))
            case CueMissed(cue=cue, due=due, at=at, count=count, name=name):
                self._line("cue_missed", at, cue=cue.value, due_ns=ns(due), count=count,
                           **_called(name))
            case CrossingJudged(at=at, accepted=accepted):
                crossing, self._judging = self._judging, None
                if crossing is None or crossing.at != at:
                    crossing = Crossing(at)
                self._line("crossing", at, accepted=accepted, **_read(crossing))
            case RepRecorded():
                self._line(
                    "rep", effect.ended_at, set=effect.set_no, rep=effect.rep_no,
                    index=effect.index, duration_s=round(effect.duration_s, 4),
                    target_s=effect.target_s,
                    splits_s=[round(split, 4) for split in effect.splits_s],
                    source=effect.source.value, late_start_s=round(effect.late_start_s, 4),
                    uncertain=effect.uncertain, **_athlete(effect.athlete),
                )
            case MarkJudged(at=at, source=source, role=role):
                crossing, self._judging = self._judging, None
                read = {}  # a crossing's: its raw line and what a stall did to it
                if source is Source.BEAM:
                    if crossing is None or crossing.at != at:
                        crossing = Crossing(at)
                    read = _read(crossing)
                self._line("mark", at, source=source.value, role=role.value,
                           athlete=effect.athlete, index=effect.index,
                           crossing=effect.crossing, **read)
            case RepMissed(started_at=at):
                self._line("rep_missed", at, athlete=effect.athlete, set=effect.set_no,
                           rep=effect.rep_no, index=effect.index)
            case AthleteStarted(at=at, step=step):
                self._line("athlete_started", at, athlete=effect.athlete, set=step.set_no,
                           rep=step.rep_no)
            case RepStopped(stopped_at=at):
                self._line("rep_stopped", at, set=effect.set_no, rep=effect.rep_no,
                           index=effect.index, elapsed_s=round(at - effect.started_at, 4),
                           **_athlete(effect.athlete))
            case SessionStarted(at=at):
                self._line("session_started", at)
            case SessionFinished(at=at, outcome=outcome):
                self._line("session_finished", at, outcome=outcome.value)

    def retry(self) -> None:
        """Try again to write what waits (rule 2); nothing to do while all is written."""
        self._flush()

    def close(self) -> None:
        """Write what waits (one last try), then close; idempotent."""
        if self._closed:
            return
        self._closed = True
        self._flush()
        if self._waiting or self._lost:
            log.error("%s: %d lines were never written (%s)", self._name,
                      len(self._waiting) + self._lost, self._reason)
        try:
            self._close()
        except OSError:
            pass  # every failed write was reported as it failed

    def _line(self, kind: str, at: float, **fields: Any) -> None:
        self._flush()  # what waits first: it may make room
        if len(self._waiting) >= MAX_WAITING:
            self._lost += 1
            return
        if self._lost:  # the first line kept after a gap says how many are not there
            self._waiting.append(_encoded("lines_lost", at, lines=self._lost))
            self._lost = 0
        self._waiting.append(_encoded(kind, at, **fields))
        self._flush()

    def _flush(self) -> None:
        """Write what waits, in order, until it is all written or a write fails."""
        while self._waiting:
            line = self._waiting[0]
            try:
                self._written += self._write_bytes(memoryview(line)[self._written:])
            except OSError as exc:
                self._failed(exc)
                return
            if self._written >= len(line):
                self._waiting.popleft()
                self._written = 0
        if self._reason is not None:
            log.warning("%s: writing again; every line that waited is written", self._name)
            self._reason = None

    def _failed(self, exc: OSError) -> None:
        reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc)).lower()
        if self._reason is None:
            log.error("%s: %s; keeping the lines to write them when it works again "
                      "(the timer runs on)", self._name, reason)
        self._reason = reason


def _encoded(kind: str, at: float, **fields: Any) -> bytes:
    return (json.dumps({"type": kind, "mono_ns": ns(at), **fields}) + "\n").encode()


def _ends_mid_line(fd: int, path: str) -> bool:
    """Whether the file at `path` (open as `fd`) is a regular file whose last byte is not a
    newline: a line a crash cut short. Unreadable (write-only): assumed whole."""
    found = os.fstat(fd)
    if not (stat.S_ISREG(found.st_mode) and found.st_size):
        return False
    try:
        with open(path, "rb") as file:
            file.seek(-1, os.SEEK_END)
            return file.read(1) != b"\n"
    except OSError:
        return False


def _athlete(athlete: int | None) -> dict[str, int]:
    """A group's rep says whose it is; a session of one's lines stay as they were."""
    return {} if athlete is None else {"athlete": athlete}


def _called(name: str) -> dict[str, str]:
    """A group's staggered start: the athlete a cue calls."""
    return {"name": name} if name else {}


def _read(crossing: Crossing) -> dict[str, Any]:
    """How a crossing was read: the sensor's line, and what a stall did to it."""
    return {"raw": crossing.raw, "stalled_s": round(crossing.stalled_s, 4),
            "sensor_time": crossing.sensor_time, "uncertain": crossing.uncertain}
