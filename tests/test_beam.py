"""The serial beam sensor end to end, on pseudo-terminals standing in for the USB adapter."""

from __future__ import annotations

import fcntl
import os
import random
import struct
import termios
import time
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import serial

from trackside.adapters import beam
from trackside.adapters.beam import BeamSensor, PortOpener, open_serial, try_open
from trackside.core.events import Crossing, Input, SensorBack, SensorLost, SensorNoise
from trackside.core.sensor_lines import build_protocol
from trackside.runtime.clock import Clock, FakeClock, MonotonicClock
from trackside.runtime.inbox import Inbox

CLOCK = MonotonicClock()


class FakeSensorPort:
    """The sensor's end of a pseudo-terminal: what it writes, the reader reads at the path."""

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def wait_until_read(self, timeout: float = 2.0) -> None:
        """Until the reader has taken every byte written so far."""
        deadline = time.monotonic() + timeout
        while _unread(self._slave) and time.monotonic() < deadline:
            time.sleep(0.001)

    def unplug(self) -> None:
        for fd in (self.master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass  # already closed


def _unread(fd: int) -> int:
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]


@pytest.fixture
def ports() -> Iterator[Callable[[], FakeSensorPort]]:
    made: list[FakeSensorPort] = []

    def make() -> FakeSensorPort:
        made.append(FakeSensorPort())
        return made[-1]

    yield make
    for port in made:
        port.unplug()


@pytest.fixture
def sensors() -> Iterator[Callable[..., tuple[BeamSensor, Inbox]]]:
    made: list[BeamSensor] = []

    def make(path: str, *, protocol: str = "line", pattern: str | None = None,
             baud: int = 9600, open_port: PortOpener = open_serial,
             reconnect_s: float = 0.05, clock: Clock = CLOCK) -> tuple[BeamSensor, Inbox]:
        inbox = Inbox()
        sensor = BeamSensor(path, inbox.put, clock, baud=baud, open_port=open_port,
                            protocol=build_protocol(protocol, pattern=pattern),
                            reconnect_s=reconnect_s)
        made.append(sensor)
        return sensor, inbox

    yield make
    for sensor in made:
        sensor.close()


@pytest.fixture
def looped(sensors) -> Callable[..., tuple[serial.SerialBase, Inbox]]:  # noqa: ANN001
    """A sensor on pyserial's loop:// port, where a real device is not the point (its bytes
    reach the reader one by one, so not for timing): what the test writes, the reader reads."""

    def make(**options: object) -> tuple[serial.SerialBase, Inbox]:
        opened: list[serial.SerialBase] = []

        def open_port(path: str, baud: int) -> serial.SerialBase:
            opened.append(serial.serial_for_url(path, baud, timeout=None))
            return opened[-1]

        sensor, inbox = sensors("loop://", open_port=open_port, **options)
        wait_connected(sensor)
        return opened[0], inbox

    return make


def wait_connected(sensor: BeamSensor, timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while not sensor.connected and time.monotonic() < deadline:
        time.sleep(0.002)
    assert sensor.connected


def collect(
    inbox: Inbox, until: Callable[[list[Input]], bool], timeout: float = 2.0
) -> list[Input]:
    """Inputs as they arrive, until `until(inputs)` holds or `timeout` passes."""
    got: list[Input] = []
    deadline = CLOCK.now() + timeout
    while not until(got) and CLOCK.now() < deadline:
        inbox.wait_until(deadline, CLOCK)
        got += inbox.take_due(CLOCK.now())
    return got


def count(kind: type) -> Callable[[list[Input]], int]:
    return lambda inputs: sum(isinstance(i, kind) for i in inputs)


# --- the three protocols ----------------------------------------------------------------


def test_each_line_is_stamped_the_moment_it_is_read(ports, sensors) -> None:
    port = ports()
    sensor, inbox = sensors(port.path)
    wait_connected(sensor)
    written = CLOCK.now()
    port.write(b"BEAM\r\n")
    [crossing] = collect(inbox, lambda got: len(got) >= 1)
    assert crossing == Crossing(at=pytest.approx(written, abs=0.05), raw="BEAM")
    assert written <= crossing.at


def test_a_pattern_lets_only_matching_lines_count(looped) -> None:
    port, inbox = looped(pattern="^BRK")
    port.write(b"hello from the sensor\nBRK 1\n")
    got = collect(inbox, lambda got: len(got) >= 2)
    assert [type(i) for i in got] == [SensorNoise, Crossing]
    assert got[1].raw == "BRK 1"


def test_stamped_crossings_are_placed_by_the_sensors_own_clock(ports, sensors) -> None:
    port = ports()  # a real device's timing: each line arrives whole, at once
    sensor, inbox = sensors(port.path, protocol="stamped", baud=115200)
    wait_connected(sensor)
    boot = CLOCK.now() - 1234.5  # the sensor's micros() counts from its own power-on

    def micros(at: float) -> int:
        return round((at - boot) * 1e6)

    for _ in range(5):
        port.write(f"H {micros(CLOCK.now())}\n".encode())
        time.sleep(0.002)
    broken = CLOCK.now() - 0.030  # its loop took 30 ms to send the crossing it stamped
    port.write(f"T {micros(broken)}\n".encode())
    [crossing] = collect(inbox, lambda got: len(got) >= 1)  # heartbeats are not inputs
    assert crossing.at == pytest.approx(broken, abs=0.002)
    assert crossing.raw == f"T {micros(broken)}"


def test_a_crossing_from_a_sensor_clock_gone_wild_is_timed_on_arrival(looped) -> None:
    port, inbox = looped(protocol="stamped")
    boot = CLOCK.now() - 60
    for _ in range(3):
        port.write(f"H {round((CLOCK.now() - boot) * 1e6)}\n".encode())
        time.sleep(0.002)
    for wild in (10**19, 5):  # hours ahead; back at zero (a restart)
        written = CLOCK.now()
        port.write(f"T {wild}\n".encode())
        [crossing] = collect(inbox, lambda got: len(got) >= 1)
        assert written <= crossing.at <= CLOCK.now()


def timy_line(flag: str, channel: str, at: float, midnight: float) -> bytes:
    """What a Timy prints for an impulse at host time `at` (its clock truncates)."""
    seconds, fraction = divmod(int((at - midnight) * 10_000), 10_000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{flag}0005 {channel} {hours:02}:{minutes:02}:{seconds:02},{fraction:04} 00\r".encode()


def test_an_alge_timy_finish_is_placed_by_the_timys_time_of_day(ports, sensors) -> None:
    port = ports()  # a real device's timing: each line arrives whole, at once
    sensor, inbox = sensors(port.path, protocol="alge", baud=38400)
    wait_connected(sensor)
    midnight = CLOCK.now() - (15 * 3600 + 43 * 60)  # it is 15:43 on the Timy

    line = timy_line(" ", "c1", CLOCK.now(), midnight)
    wire_s = len(line) * 10 / 38400  # on a real RS232 line its bytes take this long
    for _ in range(5):  # start impulses: noise, but they set the clock (one read promptly
        port.write(timy_line(" ", "c0", CLOCK.now(), midnight))  # is enough, on a busy machine)
        time.sleep(0.002)
    port.write(timy_line("m", "c1", CLOCK.now() - 60, midnight))  # recalled: never a crossing
    running = int((CLOCK.now() - midnight) * 10) / 10  # PC-Timer's running time: the clock only
    port.write(f"{int(running // 3600):02}:{int(running % 3600 // 60):02}:"
               f"{running % 60:04.1f}\r".encode())
    finish = CLOCK.now() - 0.010
    port.write(timy_line(" ", "c1", finish, midnight))
    got = collect(inbox, lambda got: len(got) >= 7)
    reasons = [i.reason for i in got if isinstance(i, SensorNoise)]
    assert reasons == [
        *["channel c0 is not a crossing channel"] * 5,
        "a time from the Timy's memory, not a live impulse",
    ]
    [crossing] = [i for i in got if isinstance(i, Crossing)]
    assert crossing.at == pytest.approx(finish - wire_s, abs=0.002)


def test_the_issues_run_start_impulses_set_the_clock_for_the_laps_that_follow(
        ports, sensors, monkeypatch) -> None:
    """12 c0 impulses a second apart read 0-4 ms late, then four finishes 4-6 s apart each
    read 4 ms late (a busy reader), on a clock the test moves: each finish is placed by
    the Timy's time (never early: the Timy truncates to 0.1 ms), within 2 ms, so is each
    lap; the error grows by up to 50 ppm of the time since the last start impulse."""
    # The test's clock leaps seconds between lines, which the reader would take for a stall
    # (lines read late teach the mapping nothing): this run is about the mapping, not stalls.
    monkeypatch.setattr(beam, "STALLED_S", float("inf"))
    port, clock = ports(), FakeClock(t=1000.0)
    sensor, inbox = sensors(port.path, protocol="alge", baud=38400, clock=clock)
    wait_connected(sensor)
    midnight = 1000.0 - (15 * 3600 + 43 * 60)
    chance = random.Random(4)

    def send(channel: str, at: float, late_s: float) -> Input:
        line = timy_line(" ", channel, at, midnight)
        clock.t = at + len(line) * 10 / 38400 + late_s  # when its end is read
        port.write(line)
        [got] = collect(inbox, lambda got: len(got) >= 1)
        return got

    for second in range(12):
        assert isinstance(send("c0", 1000.0 + second, chance.uniform(0, 0.004)), SensorNoise)
    finishes, at = [], 1011.0
    for _ in range(4):
        at += chance.uniform(4, 6)
        crossing = send("c1", at, 0.004)
        assert at - 0.0001 <= crossing.at <= at + 0.002
        finishes.append((at, crossing.at))
    for (start, placed_start), (end, placed_end) in zip(finishes, finishes[1:]):
        assert placed_end - placed_start == pytest.approx(end - start, abs=0.002)


# --- faults -----------------------------------------------------------------------------


def test_garbage_and_invalid_utf8_are_noise_and_the_next_line_still_counts(looped) -> None:
    port, inbox = looped()
    port.write(b"\xff\xfe\x00\x13garbage\n\x80\x81\x82\nBEAM\n")
    got = collect(inbox, lambda got: len(got) >= 3)
    assert [type(i) for i in got] == [SensorNoise, SensorNoise, Crossing]
    assert got[0].reason == "invalid UTF-8 (wrong baud rate?)"
    assert got[0].raw.startswith("\ufffd\ufffd")


def test_an_overlong_line_is_dropped_as_noise(looped) -> None:
    port, inbox = looped()
    port.write(b"x" * 5000 + b"\nBEAM\n")
    got = collect(inbox, lambda got: len(got) >= 2)
    assert [type(i) for i in got] == [SensorNoise, Crossing]
    assert got[0].reason == "overlong line (over 256 bytes), dropped"
    assert len(got[0].raw) == beam.MAX_LINE_BYTES


def settle(inbox: Inbox, quiet_s: float = 0.2, limit_s: float = 5.0) -> list:
    """Everything the reader puts in, until it has been quiet for `quiet_s`."""
    got: list = []
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        more = inbox.take_due(float("inf"))
        got += more
        if not more and got:
            time.sleep(quiet_s)
            more = inbox.take_due(float("inf"))
            got += more
            if not more:
                break
        time.sleep(0.01)
    return got


def test_a_flood_is_cut_down_and_every_dropped_line_is_counted(ports, sensors) -> None:
    port = ports()
    sensor, inbox = sensors(port.path)
    wait_connected(sensor)
    lines = 20_000
    started = CLOCK.now()
    for _ in range(20):
        port.write(b"x\n" * (lines // 20))
    port.wait_until_read()
    got = settle(inbox)  # the reader may still hold bytes it has read (a busy machine)
    elapsed = CLOCK.now() - started
    sensor.close()  # sums up what was dropped since the last report
    got += inbox.take_due(float("inf"))
    crossings = count(Crossing)(got)
    dropped = sum(
        int(i.reason.split()[1]) for i in got if isinstance(i, SensorNoise) and "flood" in i.reason
    )
    assert crossings + dropped == lines
    assert crossings <= 100 + 50 * elapsed + 1  # the burst, then 50 a second
    assert count(SensorNoise)(got) <= 2 + elapsed  # one summary a second, not one a line


def test_unplugging_gives_one_sensor_lost_and_replugging_gives_sensor_back(
    ports, sensors, tmp_path: Path
) -> None:
    by_id = tmp_path / "usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0"  # like /dev/serial/by-id
    first = ports()
    by_id.symlink_to(first.path)
    sensor, inbox = sensors(str(by_id))
    wait_connected(sensor)
    first.write(b"BEAM\n")
    assert count(Crossing)(collect(inbox, count(Crossing))) == 1

    by_id.unlink()  # as udev does: the name goes with the device (and the freed pty number,
    first.unplug()  # which another program may take at once, is not ours to reconnect to)
    [lost] = collect(inbox, count(SensorLost))
    assert isinstance(lost, SensorLost) and str(by_id) in lost.reason
    assert collect(inbox, count(SensorLost), timeout=0.25) == []  # retrying, quietly

    second = ports()
    by_id.symlink_to(second.path)  # udev makes the by-id name again, for the new tty
    [back] = collect(inbox, count(SensorBack))
    assert isinstance(back, SensorBack) and back.at >= lost.at
    wait_connected(sensor)
    second.write(b"BEAM\n")
    assert count(Crossing)(collect(inbox, count(Crossing))) == 1


def test_a_sensor_not_plugged_in_at_start_is_lost_until_it_appears(
    ports, sensors, tmp_path: Path
) -> None:
    path = tmp_path / "usb-Arduino_LLC_Arduino_Leonardo-if00"
    sensor, inbox = sensors(str(path))
    [lost] = collect(inbox, count(SensorLost))
    assert lost.reason.startswith(f"{path} not found: unplugged?")
    path.symlink_to(ports().path)
    assert count(SensorBack)(collect(inbox, count(SensorBack))) == 1


def test_close_is_prompt_and_idempotent_while_reading_or_waiting_to_reconnect(
    ports, sensors, tmp_path: Path
) -> None:
    reading, _ = sensors(ports().path)
    waiting, inbox = sensors(str(tmp_path / "absent"), reconnect_s=60)
    wait_connected(reading)
    collect(inbox, count(SensorLost))
    for sensor in (reading, waiting):
        started = time.monotonic()
        sensor.close()
        sensor.close()
        assert time.monotonic() - started < 0.5
        assert not sensor.connected


# --- for trackside doctor ---------------------------------------------------------------


def test_try_open_says_nothing_when_the_port_opens(ports) -> None:
    assert try_open(ports().path, 9600) is None


def test_try_open_explains_a_missing_port_with_a_fix() -> None:
    reason = try_open("/dev/ttyUSB7", 9600)
    assert reason is not None and reason.startswith("/dev/ttyUSB7 not found: unplugged?")
    assert "/dev/serial/by-id/" in reason


def test_try_open_explains_a_port_another_program_holds(ports) -> None:
    port = ports()
    with serial.Serial(port.path, exclusive=True):
        reason = try_open(port.path, 9600)
    assert reason is not None and reason.startswith(f"{port.path} is busy: another program")


@pytest.mark.skipif(os.geteuid() == 0, reason="root opens any port")
def test_try_open_explains_a_port_the_user_may_not_open(ports) -> None:
    port = ports()
    os.chmod(port.path, 0o600)
    assert "dialout" in (try_open(port.path, 9600) or "")


def test_auto_picks_a_usb_serial_chip_by_its_stable_name(monkeypatch) -> None:
    from serial.tools.list_ports_common import ListPortInfo

    def device(path: str, vid: int | None) -> ListPortInfo:
        info = ListPortInfo(path, skip_link_detection=True)
        info.vid = vid
        return info

    found = [
        device("/dev/ttyS0", None),  # the board's own UART: not a likely sensor
        device("/dev/ttyACM0", 0x1234),  # some USB gadget
        device("/dev/ttyUSB0", 0x0403),  # an FTDI cable
    ]
    stable = {"/dev/ttyUSB0": "/dev/serial/by-id/usb-FTDI"}
    monkeypatch.setattr(beam.list_ports, "comports", lambda: found)
    monkeypatch.setattr(beam, "_stable_names", lambda: stable)
    assert beam.find_port() == "/dev/serial/by-id/usb-FTDI"
    assert beam.list_serial_ports() == ["/dev/serial/by-id/usb-FTDI", "/dev/ttyACM0", "/dev/ttyS0"]
    monkeypatch.setattr(beam.list_ports, "comports", lambda: found[:1])
    assert beam.find_port() is None
    assert try_open("auto", 9600) == (
        "no USB serial device found: is the sensor plugged in? (trackside doctor lists ports)"
    )
