"""The real loop on a fake clock that stalls (one wait overshoots by seconds, as under
SIGSTOP), and an event log whose disk fills and is freed: the timer says what happened."""

from __future__ import annotations

import errno
import io
import json
import threading
from dataclasses import dataclass, field

from trackside.adapters.eventlog import EventLog
from trackside.adapters.headless import StatusLine
from trackside.core.engine import Engine
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Crossing,
    Cue,
    Effect,
    QuitRequested,
    RepRecorded,
)
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.core.settings import EngineSettings
from trackside.core.view import View
from trackside.runtime.clock import FakeClock
from trackside.runtime.inbox import Inbox
from trackside.runtime.loop import Loop
from trackside.runtime.sinks import Sinks

TWO_400S = Plan.model_validate(
    {"name": "two", "blocks": [{"reps": 2, "distance": "400m", "target": "60s", "rest": 30}]})


@dataclass
class StallingClock(FakeClock):
    """A fake clock whose first wait past `at` wakes `stall_s` late: the process was stopped."""

    at: float = 0.0
    stall_s: float = 0.0

    def wait(self, condition: threading.Condition, until: float) -> None:
        if self.stall_s and until >= self.at:
            until, self.stall_s = until + self.stall_s, 0.0
        super().wait(condition, until)


@dataclass
class Player:
    clock: FakeClock
    played: list[tuple[Cue, float]] = field(default_factory=list)

    def play(self, cue: Cue, *, count: int | None = None) -> None:
        self.played.append((cue, self.clock.t))


class Disk:
    """Full (ENOSPC) until `free` is called."""

    def __init__(self) -> None:
        self.data, self.full = bytearray(), True

    def write(self, data: bytes) -> int:
        if self.full:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.data += data
        return len(data)


@dataclass
class FreedAfterFirstRep:
    """A subscriber that frees the disk once the first rep is shown."""

    disk: Disk

    def publish(self, view: View, effects: list[Effect]) -> None:
        if any(isinstance(effect, RepRecorded) for effect in effects):
            self.disk.full = False


def run(clock: FakeClock, sinks: Sinks, *inputs: object) -> Loop:
    """Press to start, then `inputs`; a quit long after, should a test go wrong."""
    inbox = Inbox()
    for item in (ButtonPressed(0.0), ButtonReleased(0.1), *inputs, QuitRequested(1000.0)):
        inbox.put(item)  # type: ignore[arg-type]
    loop = Loop(Engine(expand(TWO_400S), EngineSettings(min_lap_s=1.0)), inbox, clock, sinks)
    loop.run()
    return loop


def test_a_stall_through_go_misses_the_count_and_times_the_rep_from_the_late_go() -> None:
    clock = StallingClock(at=3.0, stall_s=10.0)  # stopped from 3 s (count 2) to 13 s
    sinks, stream, status = Sinks(clock), io.BytesIO(), io.StringIO()
    player = Player(clock)
    sinks.add_player(player, "BUZZER OFF")
    sinks.add_recorder(EventLog(stream.write))
    sinks.add_display(StatusLine(status), "STATUS OFF")
    loop = run(clock, sinks, Crossing(15.0), Crossing(80.0))
    assert player.played[:3] == [(Cue.COUNT, 2.0), (Cue.GO, 13.0), (Cue.REP_DONE, 15.0)]
    first = loop.engine.results[0]
    assert (first.duration_s, first.late_start_s) == (2.0, 8.0)  # not 10.00 from GO's due
    logged = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(line["cue"], line["due_ns"] / 1e9) for line in logged
            if line["type"] == "cue_missed"] == [("count", 3.0), ("count", 4.0)]
    assert [line["late_start_s"] for line in logged if line["type"] == "rep"] == [8.0, 0.0]
    assert "LAST 2.00 -58.00 LATE START" in status.getvalue()
    assert "1.1 2.00 1:00.0 -58.00 LATE START" in status.getvalue()  # the summary


def test_an_event_log_whose_disk_fills_says_what_waits_then_writes_it_all_when_freed() -> None:
    clock, disk, status = FakeClock(), Disk(), io.StringIO()
    sinks = Sinks(clock)
    sinks.add_recorder(EventLog(disk.write))
    sinks.add_display(StatusLine(status), "STATUS OFF")
    sinks.add_subscriber(FreedAfterFirstRep(disk), "TEST")
    run(clock, sinks, Crossing(65.0), Crossing(155.0))
    shown = status.getvalue().splitlines()
    assert "NOT LOGGING: disk full, 1 line waiting" in shown[0]  # READY: the press line
    assert "NOT LOGGING" not in shown[-1]  # the summary: all of it written
    logged = [json.loads(line) for line in disk.data.decode().splitlines()]
    assert [line.get("phase") for line in logged if line["type"] == "phase"] == [
        "lead_in", "rep", "rest", "rep", "finished"]
    assert [line["type"] for line in logged][-1] == "session_finished"
