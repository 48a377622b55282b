"""The event log (`--events`): a full disk never stops it for good, a torn line from a crash
is ended, and a stall's traces (missed cues, late starts, doubted crossings) are in it."""

from __future__ import annotations

import errno
import io
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trackside.adapters import eventlog
from trackside.adapters.eventlog import EventLog
from trackside.adapters.headless import StatusLine
from trackside.core.engine import Engine
from trackside.core.events import (
    ButtonPressed,
    Crossing,
    CrossingJudged,
    Cue,
    CueMissed,
    RepRecorded,
    Source,
)
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.core.wall_anchor import ClockSource, WallAnchor
from trackside.runtime.clock import FakeClock
from trackside.runtime.inbox import Inbox
from trackside.runtime.loop import MAX_SLEEP_S, Loop
from trackside.runtime.sinks import Sinks


class Disk:
    """A file system that fills up: `room` bytes more fit, then ENOSPC until it is freed."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.room: int | None = None  # None: room enough

    def write(self, data: bytes) -> int:
        if self.room is not None:
            if self.room == 0:
                raise OSError(errno.ENOSPC, "No space left on device")
            data = data[:self.room]
            self.room -= len(data)
        self.data += data
        return len(data)

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.data.decode().splitlines()]


def presses(log: EventLog, *stamps: float) -> None:
    for at in stamps:
        log.input(ButtonPressed(at))


def test_a_full_disk_keeps_the_lines_in_order_says_how_many_wait_and_writes_them_later(
        caplog: pytest.LogCaptureFixture) -> None:
    disk = Disk()
    log = EventLog(disk.write, name="events.jsonl")
    presses(log, 1.0)
    disk.room = 20  # the next line is cut short by the full disk
    presses(log, 2.0, 3.0, 4.0)
    assert log.problem == "NOT LOGGING: disk full, 3 lines waiting"
    assert disk.data.decode().endswith('\n{"type": "press", "m')  # half a line...
    disk.room = None  # space is freed
    presses(log, 5.0)
    assert log.problem is None
    assert [line["mono_ns"] for line in disk.lines()] == [1e9, 2e9, 3e9, 4e9, 5e9]  # ...finished
    assert [r.levelname for r in caplog.records] == ["ERROR", "WARNING"]  # said once, each


def test_past_the_backlog_lines_are_counted_and_a_line_stands_where_they_are_missing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eventlog, "MAX_WAITING", 3)
    disk = Disk()
    disk.room = 0
    log = EventLog(disk.write)
    presses(log, 1.0, 2.0, 3.0, 4.0, 5.0)
    assert log.problem == "NOT LOGGING: disk full, 3 lines waiting, 2 lost"
    disk.room = None
    presses(log, 6.0)
    assert [(line["type"], line["mono_ns"] / 1e9, line.get("lines")) for line in disk.lines()] == [
        ("press", 1.0, None), ("press", 2.0, None), ("press", 3.0, None),
        ("lines_lost", 6.0, 2), ("press", 6.0, None)]


def test_what_still_waits_at_the_end_is_said_once(caplog: pytest.LogCaptureFixture) -> None:
    disk = Disk()
    disk.room = 0
    log = EventLog(disk.write, name="events.jsonl")
    presses(log, 1.0, 2.0)
    log.close()
    log.close()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR][-1] == (
        "events.jsonl: 2 lines were never written (disk full)")


def test_dev_full_opens_and_every_line_waits(caplog: pytest.LogCaptureFixture) -> None:
    log = EventLog.open("/dev/full")
    presses(log, 1.0, 2.0)
    assert log.problem == "NOT LOGGING: disk full, 2 lines waiting"
    log.close()


def test_a_line_a_crash_cut_short_is_ended_before_this_run_appends(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(b'{"type": "press", "mono_ns": 1}\n{"type": "rep", "mono_n')  # power cut
    log = EventLog.open(str(path))
    presses(log, 2.0)
    log.close()
    lines = path.read_bytes().splitlines()
    assert lines[1] == b'{"type": "rep", "mono_n'  # left as it was, ended
    assert json.loads(lines[2]) == {"type": "press", "mono_ns": 2_000_000_000}


def test_a_whole_file_is_appended_to_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(b'{"type": "press", "mono_ns": 1}\n')
    log = EventLog.open(str(path))
    presses(log, 2.0)
    log.close()
    assert len(path.read_bytes().splitlines()) == 2


def test_a_stalls_traces_are_in_the_log() -> None:
    disk = Disk()
    log = EventLog(disk.write)
    log.effect(CueMissed(Cue.COUNT, due=137.0, at=145.0, count=3))
    late = Crossing(91.0, raw="BRK", stalled_s=10.0)
    log.input(late)
    log.effect(CrossingJudged(91.0, accepted=True))
    log.effect(RepRecorded(1, 1, 1, 5.0, 91.0, 75.0, (), Source.BEAM, late_start_s=2.5,
                           uncertain=True))
    missed, crossing, rep = disk.lines()
    assert missed == {"type": "cue_missed", "mono_ns": 145_000_000_000, "cue": "count",
                      "due_ns": 137_000_000_000, "count": 3}
    assert (crossing["stalled_s"], crossing["sensor_time"], crossing["uncertain"]) == (
        10.0, False, True)
    assert (rep["late_start_s"], rep["uncertain"]) == (2.5, True)


def test_at_an_idle_ready_a_disk_that_clears_is_noticed_by_the_loop_alone() -> None:
    disk, clock, status = Disk(), FakeClock(), io.StringIO()
    disk.room = 0
    log = EventLog(disk.write, name="events.jsonl")
    sinks = Sinks(clock)
    anchor = WallAnchor(datetime(2026, 5, 2, tzinfo=UTC), 0.0, ClockSource.UNSYNCHRONISED)
    sinks.add_recorder(log, first=lambda: log.run_started(anchor, None, 0), retry=log.retry)
    engine = Engine(expand(Plan.model_validate(
        {"name": "one", "blocks": [{"reps": 1, "distance": "400m"}]})))
    loop = Loop(engine, Inbox(), clock, sinks, screen=StatusLine(status))
    loop.run_once()
    assert status.getvalue().splitlines()[-1].endswith("NOT LOGGING: disk full, 1 line waiting")
    disk.room = None  # space is freed; nothing new happens at READY
    assert clock.now() == MAX_SLEEP_S  # the next pass, which the loop makes by itself
    loop.run_once()
    assert "NOT LOGGING" not in status.getvalue().splitlines()[-1]
    assert [line["type"] for line in disk.lines()] == ["run_started"]
