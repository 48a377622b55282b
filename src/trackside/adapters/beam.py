"""The serial beam sensor: a reader thread that owns the port and puts what it reads.

Rules for this module:
  1. pyserial is the only library. The thread stamps each line with `clock.now()` the moment
     the read that brings it returns, before anything that could wait for another thread
     (the rest already waiting is read after the stamp). It parses it with the protocol it
     was given (`core.sensor_lines`, built and checked with the config's [beam]), maps the
     sensor's own time when the line has one (`core.clock_sync`) and `put`s a `Crossing` or
     `SensorNoise`. It touches nothing else.
  2. A read waits at most `READ_WAIT_S`, so the reader knows when it was held up: when more
     than `STALLED_S` past that went by since it last read everything (the process was
     stopped, swapped out), a line it reads may have come any time since. Its crossing says
     so (`Crossing.stalled_s`); the sensor's own time is used where the line has one, else
     the crossing is uncertain. Heartbeats read so late teach the clock mapping nothing.
  3. Nothing raises out of the thread. A port that will not open, or goes away mid-read
     (`SerialException` is an `OSError`), gives one `SensorLost`; the thread retries every
     `reconnect_s` and gives `SensorBack` when the port opens again.
  4. Bounded work per byte: lines are capped (`MAX_LINE_BYTES`), a flood is cut down to
     `FloodGate.rate` lines a second and summed up in one `SensorNoise` a second, heartbeats
     only feed the clock mapping (they would fill the event log, ten a second).
  5. `close()` is idempotent and prompt: it cancels the blocking read and joins the thread.
"""

from __future__ import annotations

import errno
import glob
import logging
import os
import threading
from collections.abc import Callable

import serial
from serial.tools import list_ports

from trackside.core.clock_sync import SensorClock
from trackside.core.events import Crossing, Input, SensorBack, SensorLost, SensorNoise
from trackside.core.flood_gate import FloodGate
from trackside.core.line_splitter import LineSplitter, RawLine
from trackside.core.sensor_lines import Crossed, Heartbeat, Noise, SensorProtocol, decode
from trackside.runtime.clock import Clock

logger = logging.getLogger(__name__)

AUTO = "auto"
MAX_LINE_BYTES = 256
_BY_ID = "/dev/serial/by-id"
_BITS_PER_BYTE = 10  # 8N1: a start bit, eight data bits, a stop bit
_FLOOD_REPORT_S = 1.0
READ_WAIT_S = 0.1  # a read returns by then with nothing to read (ten wake-ups a second)...
STALLED_S = 0.1  # ...so a reader that comes back this much later was held up (rule 2)
# USB serial chips a beam sensor or a Timy's RS232 cable is likely to sit behind, first first:
# FTDI, Arduino, Raspberry Pi (Pico), Silicon Labs CP210x, WCH CH340, Prolific.
_LIKELY_VIDS = (0x0403, 0x2341, 0x2A03, 0x2E8A, 0x10C4, 0x1A86, 0x067B)

PortOpener = Callable[[str, int], serial.SerialBase]
"""Opens the port at a path with a baud rate (the reader sets its `timeout`: rule 2)."""


def open_serial(path: str, baud: int) -> serial.SerialBase:
    """The real port, ours alone while it is open."""
    return serial.Serial(path, baud, timeout=READ_WAIT_S, exclusive=True)


class BeamSensor:
    """A beam sensor on a serial port. Starts reading at once; `close()` when done.

    `port`: a device path (prefer /dev/serial/by-id/...) or "auto" (the likeliest USB serial
    device, looked for again at every reconnect). `protocol`: how to read its lines, as the
    config's [beam] built it. `open_port`: how to open it (tests may give pyserial's loop://).
    """

    def __init__(
        self,
        port: str,
        put: Callable[[Input], None],
        clock: Clock,
        *,
        protocol: SensorProtocol,
        baud: int = 9600,
        open_port: PortOpener = open_serial,
        reconnect_s: float = 2.0,
    ) -> None:
        self._port = port
        self._put = put
        self._clock = clock
        self._protocol = protocol
        self._baud = baud
        self._open_port = open_port
        self._reconnect_s = reconnect_s
        self._gate = FloodGate()
        self._sensor_clock: SensorClock | None = None
        self._jumps = 0
        self._dropped = 0
        self._last_flood_report = float("-inf")
        self._told_no_low_latency = False
        self._lock = threading.Lock()  # guards _serial and the stop decision
        self._serial: serial.SerialBase | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"beam {port}", daemon=True)
        self._thread.start()

    @property
    def connected(self) -> bool:
        """True while the port is open and being read (for status lines and tests)."""
        return self._serial is not None

    def close(self) -> None:
        with self._lock:
            self._stop.set()
            if self._serial is not None:
                self._serial.cancel_read()
        self._thread.join(timeout=2.0)

    # --- the reader thread ----------------------------------------------------------

    def _run(self) -> None:
        lost = False
        while not self._stop.is_set():
            try:
                port, path = self._open()
            except Exception as exc:  # noqa: BLE001 - the thread must outlive any failure
                if not lost:
                    self._put(SensorLost(at=self._clock.now(), reason=_explain(exc)))
                    lost = True
                logger.debug("beam sensor: %s", _explain(exc))
                self._stop.wait(self._reconnect_s)
                continue
            with self._lock:
                if self._stop.is_set():
                    _close_quietly(port)
                    return
                self._serial = port
            if lost:
                self._put(SensorBack(at=self._clock.now()))
                lost = False
            try:
                self._pump(port, path)
            except Exception as exc:  # noqa: BLE001 - OSError: unplugged; anything else: a bug
                unplugged = isinstance(exc, OSError)
                if not unplugged:
                    logger.exception("beam sensor: reader failed")
                if not self._stop.is_set():
                    reason = _explain(exc, path, reading=unplugged)
                    self._put(SensorLost(at=self._clock.now(), reason=reason))
                    lost = True
            finally:
                with self._lock:
                    self._serial = None
                    _close_quietly(port)
            if lost:
                self._stop.wait(self._reconnect_s)

    def _open(self) -> tuple[serial.SerialBase, str]:
        path = find_port() if self._port == AUTO else self._port
        if path is None:
            raise OSError(errno.ENOENT, "no USB serial device found", AUTO)
        try:
            port = self._open_port(path, self._baud)
        except OSError as exc:
            exc.filename = exc.filename or path
            raise
        port.timeout = READ_WAIT_S
        try:
            port.set_low_latency_mode(True)  # FTDI: a 1 ms latency timer instead of 16 ms
        except (OSError, ValueError, AttributeError, NotImplementedError) as exc:
            self._tell_no_low_latency(path, exc)
        return port, path

    def _tell_no_low_latency(self, path: str, exc: Exception) -> None:
        if self._told_no_low_latency:
            return
        self._told_no_low_latency = True
        if "ttyUSB" in os.path.realpath(path):
            logger.warning(
                "%s: could not set low-latency mode (%s): lines may arrive up to 16 ms late; "
                "see hardware.md for the udev rule", path, exc,
            )
        else:
            logger.info("%s: no low-latency mode to set (%s)", path, exc)

    def _pump(self, port: serial.SerialBase, path: str) -> None:
        """Read until the port goes away (OSError) or close() cancels the read."""
        splitter = LineSplitter(MAX_LINE_BYTES)
        self._sensor_clock = self._protocol.new_clock()  # a replugged sensor may have restarted
        logger.info("beam sensor: reading %s", path)
        drained = self._clock.now()  # when the reader last read all there was
        try:
            while not self._stop.is_set():
                data = port.read(1)  # a byte, or nothing after READ_WAIT_S, or cancel_read()
                at = self._clock.now()  # before the next read, which may wait for the GIL
                if waiting := port.in_waiting:
                    data += port.read(waiting)
                stalled_s = at - drained if at - drained > READ_WAIT_S + STALLED_S else 0.0
                lines = splitter.feed(data)
                for number, line in enumerate(lines, start=1):
                    # After a stall they came over its span, not at once: so the gate sees them.
                    if self._gate.admit(at - stalled_s * (len(lines) - number) / len(lines)):
                        self._handle(line, at, stalled_s)
                self._report_flood(at, force=False)
                drained = at
        finally:
            at = self._clock.now()
            if (line := splitter.pending()) is not None:
                text, _ = decode(line.data)
                self._put_noise(at, text, "unfinished line when the port closed")
            self._report_flood(at, force=True)

    def _handle(self, line: RawLine, at: float, stalled_s: float) -> None:
        """One line read at `at`, by a reader held up `stalled_s` before (0: not)."""
        text, noise = decode(line.data)
        if line.overlong:
            self._put_noise(at, text, f"overlong line (over {MAX_LINE_BYTES} bytes), dropped")
            return
        match noise or self._protocol.parse(text):
            case Crossed(sensor_s=None):
                self._put(Crossing(at=at, raw=text, stalled_s=stalled_s))
            case Crossed(sensor_s=sensor_s) if stalled_s:
                assert self._sensor_clock is not None
                mapped = self._sensor_clock.late(sensor_s, at - stalled_s, at)
                self._put(Crossing(at=at if mapped is None else mapped, raw=text,
                                   stalled_s=stalled_s, sensor_time=mapped is not None))
            case Crossed(sensor_s=sensor_s):
                self._put(Crossing(at=self._host_time(sensor_s, line, at), raw=text,
                                   sensor_time=True))
            case Heartbeat(sensor_s=sensor_s, confirms_only=confirms_only) if not stalled_s:
                self._learn(sensor_s, line, at, confirms_only=confirms_only)
            case Noise(reason=reason, sensor_s=sensor_s):
                if sensor_s is not None and not stalled_s:
                    self._learn(sensor_s, line, at)
                self._put_noise(at, text, reason)

    def _host_time(self, sensor_s: float, line: RawLine, at: float) -> float:
        """When the sensor saw it, on our clock (never later than the line's arrival)."""
        assert self._sensor_clock is not None  # only protocols with a clock give sensor times
        host_time = self._sensor_clock.observe(sensor_s, self._sent_by(line, at))
        self._tell_jumps()
        return host_time

    def _learn(self, sensor_s: float, line: RawLine, at: float, *,
               confirms_only: bool = False) -> None:
        """A line with the sensor's time that is not a crossing: it only feeds the mapping."""
        assert self._sensor_clock is not None
        self._sensor_clock.learn(sensor_s, self._sent_by(line, at), confirms_only=confirms_only)
        self._tell_jumps()

    def _sent_by(self, line: RawLine, at: float) -> float:
        """The latest the sensor can have stamped `line`, read at `at`."""
        if self._protocol.wire_time_known:  # the line's bytes left the sensor after its stamp
            return at - (len(line.data) + 1) * _BITS_PER_BYTE / self._baud
        return at

    def _tell_jumps(self) -> None:
        assert self._sensor_clock is not None
        if self._sensor_clock.jumps != self._jumps:
            self._jumps = self._sensor_clock.jumps
            logger.warning("beam sensor: its clock jumped (a restart?): mapping it afresh")

    def _put_noise(self, at: float, text: str, reason: str) -> None:
        self._put(SensorNoise(at=at, raw=text, reason=reason))

    def _report_flood(self, at: float, *, force: bool) -> None:
        self._dropped += self._gate.take_dropped()
        if self._dropped and (force or at - self._last_flood_report >= _FLOOD_REPORT_S):
            reason = f"flood: {self._dropped} lines dropped (over {self._gate.rate:g} a second)"
            self._put_noise(at, "", reason)
            self._dropped = 0
            self._last_flood_report = at


# --- for `trackside doctor` and `--serial auto` -------------------------------------------


def list_serial_ports() -> list[str]:
    """The serial ports present, by their stable /dev/serial/by-id name where they have one."""
    stable = _stable_names()
    return sorted(stable.get(info.device, info.device) for info in list_ports.comports())


def find_port() -> str | None:
    """The likeliest beam sensor: a USB serial device, known chips first; None if none."""
    usb = [info for info in list_ports.comports() if info.vid is not None]
    if not usb:
        return None

    def likeliness(info: list_ports.ListPortInfo) -> tuple[int, str]:
        known = info.vid in _LIKELY_VIDS
        return (_LIKELY_VIDS.index(info.vid) if known else len(_LIKELY_VIDS), info.device)

    best = min(usb, key=likeliness)
    return _stable_names().get(best.device, best.device)


def try_open(port: str, baud: int) -> str | None:
    """None if `port` opens (and closes again), else one line saying why, with a fix."""
    path = find_port() if port == AUTO else port
    if path is None:
        return _explain(OSError(errno.ENOENT, "no USB serial device found", AUTO))
    try:
        serial.Serial(path, baud, timeout=0, exclusive=True).close()
    except OSError as exc:
        exc.filename = exc.filename or path
        return _explain(exc)
    except ValueError as exc:  # pyserial's word for a setting the port refuses
        return f"{path}: {exc}"
    return None


def _stable_names() -> dict[str, str]:
    """/dev/ttyUSB0 -> /dev/serial/by-id/usb-FTDI_..., for every device that has one."""
    return {os.path.realpath(link): link for link in sorted(glob.glob(f"{_BY_ID}/*"))}


def _explain(exc: BaseException, path: str | None = None, *, reading: bool = False) -> str:
    """One line: what went wrong with the port, and what to do about it."""
    path = path or getattr(exc, "filename", None) or "the serial port"
    code = getattr(exc, "errno", None)
    if path == AUTO:
        return (
            "no USB serial device found: is the sensor plugged in? (trackside doctor lists ports)"
        )
    if code == errno.ENOENT:
        hint = "" if path.startswith(_BY_ID) else "; prefer a stable /dev/serial/by-id/ name"
        return f"{path} not found: unplugged? (ls {_BY_ID}/ lists what is plugged in{hint})"
    if code == errno.EACCES:
        return (f"{path}: permission denied: add the user to the dialout group "
                "(sudo usermod -aG dialout $USER, then log in again)")
    if code in (errno.EBUSY, errno.EAGAIN):
        return f"{path} is busy: another program has it open (a second trackside? ModemManager?)"
    if reading:
        return f"{path} went away: unplugged? ({exc})"
    return f"{path}: {exc}"


def _close_quietly(port: serial.SerialBase) -> None:
    try:
        port.close()
    except OSError:
        pass  # the device is already gone; there is nothing left to release
