"""What one line from a beam sensor means: a crossing, the sensor's clock, or noise.

Three wire protocols (hardware.md, "Beam sensors", describes them for builders):
  line     any non-empty line is one crossing, optionally only lines matching a pattern;
  stamped  ours: `T <us> [<beam>]` a crossing at the sensor's microsecond counter,
           `H <us>` a heartbeat that only keeps the clock mapping fresh;
  alge     an ALGE Timy's RS232 output, `yNNNNxCCCxHH:MM:SS.zhtqxGGRRRR`.

Rules for this module:
  1. Pure: no serial, clock or threads. A line (bytes, its terminator removed) goes in, a
     `Reading` comes out.
  2. Nothing raises on what a sensor sends. Any byte string gives a Reading; bad settings
     (a pattern that is not a regular expression, an unknown channel) raise UserError once,
     when the protocol is built.
  3. Only a live crossing is a `Crossed`. A line that is not one is `Noise` with a reason a
     coach can read in the event log; if it still carries the sensor's live time (another
     Timy channel, a keypad impulse), `sensor_s` says so, because it still calibrates the
     clock mapping. A line that carries nothing but the sensor's clock (a heartbeat, a Timy's
     running time) is a `Heartbeat`: it only feeds the mapping and is not logged.
  4. Each protocol knows how far its sensor's clock may drift from the Pi's (`max_drift`): an
     Arduino's ceramic resonator 0.5 %, a Timy's quartz a few ppm plus the Pi's own crystal,
     which without network time may be tens of ppm off. `max_drift_ppm` overrides it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import ClassVar

from trackside.core.clock_sync import SensorClock
from trackside.core.errors import UserError

MICROS_WRAP_S = 2**32 / 1e6  # Arduino micros() wraps every 71.6 minutes
DAY_S = 86400.0
RESONATOR_DRIFT = 0.005  # a hobby board's ceramic resonator: within 0.5 %
QUARTZ_DRIFT = 50e-6  # a quartz timer (a few ppm) against a Pi's crystal with no network time
_MAX_DRIFT_PPM = 100_000  # 10 %: beyond that it is not a clock


class ProtocolName(Enum):
    LINE = "line"
    STAMPED = "stamped"
    ALGE = "alge"


@dataclass(frozen=True, slots=True)
class Crossed:
    """The line reports a crossing; `sensor_s` is when, on the sensor's clock, if it says."""

    sensor_s: float | None = None


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """The sensor's clock and nothing else: keeps the mapping exact between crossings.

    `confirms_only`: the time is probably the sensor's clock, so it may refine the mapping
    but never start or replace one (`SensorClock.learn`).
    """

    sensor_s: float
    confirms_only: bool = False


@dataclass(frozen=True, slots=True)
class Noise:
    """Not a crossing. `sensor_s`: a live time on it that can still calibrate the clock."""

    reason: str
    sensor_s: float | None = None


Reading = Crossed | Heartbeat | Noise

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def decode(raw: bytes) -> tuple[str, Noise | None]:
    """The line as text for the log, and the Noise it is before any protocol looks at it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), Noise("invalid UTF-8 (wrong baud rate?)")
    if _CONTROL.search(text):
        return text, Noise("control characters (wrong baud rate?)")
    if not text.strip():
        return text, Noise("empty line")
    return text, None


@dataclass(frozen=True, slots=True)
class LineProtocol:
    """Any non-empty line is a crossing; with a pattern, only lines it matches (re.search)."""

    pattern: re.Pattern[str] | None = None

    wire_time_known: ClassVar[bool] = False  # no sensor time to correct

    def new_clock(self) -> None:
        return None  # the line carries no time: a crossing is when it arrived

    def parse(self, text: str) -> Reading:
        if self.pattern is not None and not self.pattern.search(text):
            return Noise(f"does not match the pattern {self.pattern.pattern!r}")
        return Crossed()


_STAMPED = re.compile(r"^\s*([TtHh])\s+(\d{1,20})(?:\s+(\d{1,3}))?\s*$", re.ASCII)


@dataclass(frozen=True, slots=True)
class StampedProtocol:
    """`T <us> [<beam>]`: a crossing; `H <us>`: a heartbeat. `beams`: which count (all: None).

    `<us>` is the sensor's free-running microsecond counter, unsigned decimal. It may wrap at
    2**32 (Arduino `micros()`); a 64-bit counter never wraps. Any other jump back is read as a
    restart and the clock mapping starts again.
    """

    beams: frozenset[int] | None = None
    max_drift: float = RESONATOR_DRIFT  # a board with a crystal may say 100 ppm in the config

    wire_time_known: ClassVar[bool] = False  # a Leonardo or Pico speaks USB, not at the baud

    def new_clock(self) -> SensorClock:
        return SensorClock(wrap_s=MICROS_WRAP_S, max_drift=self.max_drift)

    def parse(self, text: str) -> Reading:
        match = _STAMPED.match(text)
        if match is None:
            return Noise("not a stamped line (T <microseconds> or H <microseconds>)")
        kind, micros, beam = match.groups()
        sensor_s = int(micros) / 1e6
        if kind in "Hh":
            return Heartbeat(sensor_s)
        if self.beams is not None and int(beam or 1) not in self.beams:
            return Noise(f"beam {int(beam or 1)} is not a crossing beam", sensor_s)
        return Crossed(sensor_s)


# ALGE Timy flags (the first column): only a blank or '?' (no valid start number) is a live
# impulse. The others re-send or edit a time already sent, so they are never a new crossing.
_ALGE_FLAGS = {
    "m": "a time from the Timy's memory",
    "c": "a time cleared on the Timy",
    "d": "a disqualification",
    "i": "a time typed in by hand",
    "n": "a new start number for a time",
}
_ALGE_LINE = re.compile(
    r"""^\s*
    (?:(?P<flag>[^\s\d])\s*)?             # y: blank or a flag
    (?:\d{1,5}\s+)?                       # NNNN: start number
    [cC](?P<channel>[0-8])(?P<keypad>[mM])?  # CCC: c0..c8, M for a keypad impulse
    \s+(?P<time>\S+)                      # HH:MM:SS.zhtq
    (?P<trailer>(?:\s+[0-9A-Za-z]{1,4}){0,3})  # GG group, RRRR rank, a checksum: ignored
    \s*$""",
    re.VERBOSE | re.ASCII,
)
_ALGE_TIME = re.compile(r"^(\d{1,2}):([0-5]\d):([0-5]\d)(?:[.,:](\d{1,4}))?$", re.ASCII)


@dataclass(frozen=True, order=True, slots=True)
class AlgeChannel:
    number: int  # 0 start, 1 finish, 2-8 intermediate or other photocells
    keypad: bool = False  # an impulse from the Timy's keys, 1/100 s and hand-timed

    def __str__(self) -> str:
        return f"c{self.number}{'M' if self.keypad else ''}"


_FINISH = frozenset({AlgeChannel(1)})


@dataclass(frozen=True, slots=True)
class AlgeProtocol:
    """An ALGE Timy in any mode that prints impulses (PC-Timer, TrackTimer, printer output)."""

    channels: frozenset[AlgeChannel] = _FINISH
    max_drift: float = QUARTZ_DRIFT

    wire_time_known: ClassVar[bool] = True  # RS232: every byte took 10 bit times after the stamp

    def new_clock(self) -> SensorClock:
        return SensorClock(wrap_s=DAY_S, max_drift=self.max_drift)  # a time of day

    def parse(self, text: str) -> Reading:
        match = _ALGE_LINE.match(text)
        if match is None:
            if (running := _time_of_day(text.strip())) is not None:
                # PC-Timer's running time, to the tenth as the Timy shows it (truncated, sent
                # as it ticks): most likely its time of day, so it may only confirm the mapping.
                return Heartbeat(running, confirms_only=True)
            return Noise("not an ALGE time line")
        sensor_s = _time_of_day(match["time"])
        if sensor_s is None:
            return Noise(f"not a time of day: {match['time']!r}")
        channel = AlgeChannel(int(match["channel"]), match["keypad"] is not None)
        flag = (match["flag"] or "").lower()
        if flag and flag != "?":
            return Noise(_ALGE_FLAGS.get(flag, f"flag {flag!r}") + ", not a live impulse")
        if channel not in self.channels:
            return Noise(f"channel {channel} is not a crossing channel", sensor_s)
        return Crossed(sensor_s)


def _time_of_day(text: str) -> float | None:
    match = _ALGE_TIME.match(text)
    if match is None or int(match[1]) > 23:
        return None
    hours, minutes, seconds, fraction = match.groups()
    return (
        int(hours) * 3600 + int(minutes) * 60 + int(seconds) + float(f"0.{fraction or 0}")
    )


SensorProtocol = LineProtocol | StampedProtocol | AlgeProtocol


def build_protocol(
    name: str, *, pattern: str | None = None, channels: str | Sequence[str] | None = None,
    max_drift_ppm: float | None = None,
) -> SensorProtocol:
    """The protocol named on the command line or in the config; UserError if it makes no sense.

    `pattern` (line only): a regular expression a crossing line must contain.
    `channels`: which ALGE channels (`c1`, `c1M`, `c0-c8`) or stamped beams (`1`, `2`) count
    as crossings, as a list or comma-separated. None: ALGE c1, the finish; stamped every beam.
    `max_drift_ppm`: how far the sensor's clock may drift from the Pi's (None: the protocol's
    own bound, rule 4).
    """
    if channels is not None and not isinstance(channels, str):
        channels = ",".join(channels)
    try:
        protocol = ProtocolName(name)
    except ValueError:
        choices = ", ".join(p.value for p in ProtocolName)
        raise UserError(f"beam protocol: unknown protocol {name!r} (choose {choices})") from None
    if pattern is not None and protocol is not ProtocolName.LINE:
        raise UserError("beam pattern: only the line protocol takes a pattern")
    if channels is not None and protocol is ProtocolName.LINE:
        raise UserError("beam channels: the line protocol has no channels (it takes a pattern)")
    if max_drift_ppm is not None and protocol is ProtocolName.LINE:
        raise UserError("beam max_drift_ppm: the line protocol carries no sensor clock")
    if max_drift_ppm is not None and not 0 < max_drift_ppm <= _MAX_DRIFT_PPM:
        raise UserError(f"beam max_drift_ppm: {max_drift_ppm:g} is not a clock's drift "
                        f"(write parts per million, more than 0 and at most {_MAX_DRIFT_PPM})")
    match protocol:
        case ProtocolName.LINE:
            return LineProtocol(_compile(pattern) if pattern is not None else None)
        case ProtocolName.STAMPED:
            return StampedProtocol(
                _beams(channels) if channels is not None else None,
                RESONATOR_DRIFT if max_drift_ppm is None else max_drift_ppm / 1e6)
        case ProtocolName.ALGE:
            return AlgeProtocol(
                _alge_channels(channels) if channels is not None else _FINISH,
                QUARTZ_DRIFT if max_drift_ppm is None else max_drift_ppm / 1e6)


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise UserError(f"beam pattern: {pattern!r} is not a regular expression: {exc}") from None


def _beams(spec: str) -> frozenset[int]:
    beams = {item.strip() for item in spec.split(",")}
    if not all(b.isascii() and b.isdigit() and 0 < int(b) < 1000 for b in beams):
        raise UserError(f"beam channels: {spec!r} is not a list of beam numbers (write 1 or 1,2)")
    return frozenset(int(b) for b in beams)


_CHANNEL = re.compile(r"^c([0-8])(m?)$", re.IGNORECASE)
_CHANNEL_RANGE = re.compile(r"^c([0-8])-c([0-8])$", re.IGNORECASE)


def _alge_channels(spec: str) -> frozenset[AlgeChannel]:
    channels: set[AlgeChannel] = set()
    for item in (part.strip() for part in spec.split(",")):
        if match := _CHANNEL.match(item):
            channels.add(AlgeChannel(int(match[1]), bool(match[2])))
        elif (match := _CHANNEL_RANGE.match(item)) and int(match[1]) <= int(match[2]):
            channels.update(AlgeChannel(n) for n in range(int(match[1]), int(match[2]) + 1))
        else:
            raise UserError(
                f"beam channels: {item!r} is not an ALGE channel (write c1, c1M, c0-c8 or c0,c1)"
            )
    return frozenset(channels)
