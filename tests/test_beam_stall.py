"""A beam reader held up (the process stopped, swapped out): a line it reads late is flagged,
placed by the sensor's own time where the line has one, else doubted.

The stall is simulated in the port: the read that hands over the line moves the clock on by
the stall's length first, as a stopped process finds when it runs again. The sensor's
clock runs on the same clock, so its stamps stay true across the stall.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from serial.urlhandler.protocol_loop import Serial as LoopSerial

from trackside.adapters.beam import BeamSensor
from trackside.core.events import Crossing, Input
from trackside.core.sensor_lines import build_protocol
from trackside.runtime.clock import MonotonicClock
from trackside.runtime.inbox import Inbox

STALL_S = 10.0


@dataclass
class JumpClock(MonotonicClock):
    """The monotonic clock, moved on by hand: a stall passes in no time."""

    offset: float = 0.0

    def now(self) -> float:
        return super().now() + self.offset


class StallingPort(LoopSerial):
    """pyserial's loop://: what is written is read back; `stall()` makes the next read that
    returns bytes come back STALL_S later on `clock`."""

    clock: JumpClock
    armed = False

    def stall(self) -> None:
        self.armed = True

    def read(self, size: int = 1) -> bytes:
        data = super().read(size)
        if data and self.armed:
            self.armed = False
            self.clock.offset += STALL_S
        return data


@pytest.fixture
def reader() -> Iterator[Callable[[str], tuple[StallingPort, Inbox, JumpClock]]]:
    sensors: list[BeamSensor] = []

    def make(protocol: str) -> tuple[StallingPort, Inbox, JumpClock]:
        clock, inbox = JumpClock(), Inbox()
        port = StallingPort(None)
        port.clock = clock

        def open_port(path: str, baud: int) -> StallingPort:
            port.port = path
            port.open()
            return port

        sensors.append(BeamSensor("loop://", inbox.put, clock, baud=115200,
                                  protocol=build_protocol(protocol), open_port=open_port))
        deadline = time.monotonic() + 2
        while not sensors[-1].connected and time.monotonic() < deadline:
            time.sleep(0.002)
        return port, inbox, clock

    yield make
    for sensor in sensors:
        sensor.close()


def crossings(inbox: Inbox, clock: JumpClock, wanted: int = 1) -> list[Crossing]:
    got: list[Input] = []
    deadline = clock.now() + 2
    while sum(isinstance(i, Crossing) for i in got) < wanted and clock.now() < deadline:
        inbox.wait_until(deadline, clock)
        got += inbox.take_due(clock.now())
    return [i for i in got if isinstance(i, Crossing)]


def test_a_line_read_after_a_stall_with_no_time_of_its_own_is_uncertain(reader) -> None:
    port, inbox, clock = reader("line")
    written = clock.now()
    port.stall()
    port.write(b"BRK\n")
    [crossing] = crossings(inbox, clock)
    assert crossing.at == pytest.approx(written + STALL_S, abs=0.2)  # as read: all there is
    assert crossing.stalled_s == pytest.approx(STALL_S, abs=0.2)
    assert crossing.uncertain and not crossing.sensor_time


def test_a_line_read_as_it_came_is_not_flagged(reader) -> None:
    port, inbox, clock = reader("line")
    time.sleep(0.25)  # the reader has woken from a few empty waits meanwhile
    port.write(b"BRK\n")
    [crossing] = crossings(inbox, clock)
    assert crossing.stalled_s == 0.0 and not crossing.uncertain


def test_a_stamped_line_read_after_a_stall_is_placed_by_the_sensors_clock(
        reader, caplog: pytest.LogCaptureFixture) -> None:
    port, inbox, clock = reader("stamped")
    boot = clock.now() - 600.0  # the sensor's micros() counts from its power-on

    def line(kind: str, at: float) -> bytes:
        return f"{kind} {round((at - boot) * 1e6)}\n".encode()

    for _ in range(5):
        port.write(line("H", clock.now()))
        time.sleep(0.002)
    crossed = clock.now()
    # Stopped for 10 s: its heartbeats (ten a second) and the crossing, 4 s in, wait in the
    # port and are read at once when the reader runs again.
    queued = [line("H", crossed - 4.0 + tenth / 10) for tenth in range(100)]
    queued.insert(40, line("T", crossed))
    port.stall()
    port.write(b"".join(queued))
    [late] = crossings(inbox, clock)
    assert late.at == pytest.approx(crossed, abs=0.01)  # not 10 s later, when it was read
    assert late.sensor_time and late.stalled_s >= 5 and not late.uncertain
    after = clock.now()
    port.write(line("T", after))  # the mapping is as good after the stall as before it
    [next_one] = crossings(inbox, clock)
    assert next_one.at == pytest.approx(after, abs=0.01) and next_one.stalled_s == 0.0
    assert "jumped" not in caplog.text


def test_a_stamped_line_whose_time_the_mapping_cannot_place_after_a_stall_is_uncertain(
        reader) -> None:
    port, inbox, clock = reader("stamped")
    boot = clock.now() - 600.0
    for _ in range(5):
        port.write(f"H {round((clock.now() - boot) * 1e6)}\n".encode())
        time.sleep(0.002)
    port.stall()
    port.write(b"T 1500000\n")  # the sensor restarted during the stall: 1.5 s after power-on
    [crossing] = crossings(inbox, clock)
    assert crossing.uncertain and crossing.stalled_s >= 5
