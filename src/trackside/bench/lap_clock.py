"""Lap-time error with a sensor's own clock, while the lines arrive 0-16 ms late.

Simulated time, the product's pure parts: each sensor line is written in its wire format,
parsed by the protocol (`core.sensor_lines`) and its time mapped onto the host clock by the
protocol's own `SensorClock`, exactly as the beam adapter's reader thread does with each
line it reads. A line reaches the host 0-16 ms after the sensor stamped it (an FTDI
adapter's default latency timer), in order.

The session: reps of 4 laps (a crossing about every 70 s), 2-minute rests, for 3 hours.
A rep's time is GO (a host deadline) to its last crossing; a lap is crossing to crossing.
Both are judged against the true times; the figure is the absolute error.

  - stamped: our firmware on an Arduino, `T <us>` per crossing and `H <us>` ten times a
    second, its resonator 0.2 % slow, micros() wrapping every 71.6 minutes;
  - alge PC-Timer: an ALGE Timy whose crystal runs 30 ppm fast against the Pi's, one
    ` 0001 c1 HH:MM:SS.zhtq 00` line per crossing and its running time (`HH:MM:SS.z`,
    truncated, sent as each tenth ticks) in between: the dense case;
  - alge impulses only: the same Timy sending nothing but its crossings, one a minute or
    so: the sparse case.

References, same lines: stamping each line on arrival (what the `line` protocol does),
the sensor's own clock unmapped (its drift), and the floor of any mapping: an ideal one
that knows the drift exactly and each line's true time, and adds the least delay of every
line so far. Beside them, for comparison, the mapping
when the lines arrive only 0-1 ms late (an FTDI adapter whose latency timer is at 1 ms).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from trackside.bench.result import Figure, Result, Spread
from trackside.bench.suite import Options
from trackside.core.sensor_lines import (
    DAY_S,
    MICROS_WRAP_S,
    Crossed,
    Heartbeat,
    build_protocol,
)

_JITTER_S = 0.016  # an FTDI adapter's default latency timer
_LOW_LATENCY_JITTER_S = 0.001  # with its latency timer at 1 ms (the adapter asks for it)
_LAP_S = (65.0, 75.0)
_LAPS_PER_REP = 4
_REST_S = 120.0
_MS = 1000.0
_TICK_SEND_S = 0.0002  # a line of the sensor's clock leaves this long after the clock ticks


@dataclass(frozen=True, slots=True)
class _Sensor:
    name: str  # what the figures call it
    protocol: str
    drift: float  # its clock runs this much fast (negative: slow)
    start_s: float  # its clock's reading at host time 0
    wrap_s: float
    line: Callable[[float, bool], str]  # (its time, a crossing?) -> the line it sends
    tick_s: float | None  # how often it sends a line of its clock alone (None: never)
    goal: str  # what its mapped figure must reach, beside stamping on arrival

    def time_at(self, host: float) -> float:
        return (self.start_s + host * (1 + self.drift)) % self.wrap_s

    def host_at(self, sensor_s: float) -> float:
        """When (host time) the sensor's clock reads `sensor_s`, the first time."""
        return (sensor_s - self.start_s) / (1 + self.drift)


def _stamped_line(sensor_s: float, crossing: bool) -> str:
    return f"{'T' if crossing else 'H'} {int(sensor_s * 1e6)}"


def _alge_line(sensor_s: float, crossing: bool) -> str:
    """An impulse to the ten-thousandth, or the running time to the tenth; both truncated."""
    places = 4 if crossing else 1
    ticks = int(sensor_s * 10**places)
    seconds, fraction = divmod(ticks, 10**places)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    clock = f"{hours:02d}:{minutes:02d}:{seconds:02d}.{fraction:0{places}d}"
    return f" 0001 c1 {clock} 00" if crossing else clock


_TIMY_START_S = 15 * 3600 + 43 * 60
SENSORS = (
    _Sensor("stamped", "stamped", -2000e-6, MICROS_WRAP_S - 1800, MICROS_WRAP_S,
            _stamped_line, 0.1, "p99 <= 1 ms"),
    _Sensor("alge PC-Timer", "alge", 30e-6, _TIMY_START_S, DAY_S, _alge_line, 0.1,
            "p99 <= 1 ms"),
    _Sensor("alge impulses only", "alge", 30e-6, _TIMY_START_S, DAY_S, _alge_line, None,
            "p99 <= naive"),
)


@dataclass
class _Errors:
    mapped: list[float]
    on_arrival: list[float]
    sensor_clock: list[float]
    ideal: list[float]


def run(options: Options) -> Result:
    sessions = 1 if options.quick else 8
    hours = 0.5 if options.quick else 3.0
    figures = []
    for sensor in SENSORS:
        errors, low_latency = _Errors([], [], [], []), _Errors([], [], [], [])
        for seed in range(sessions):
            _session(sensor, hours * 3600, random.Random(seed), _JITTER_S, errors)
            _session(sensor, hours * 3600, random.Random(seed), _LOW_LATENCY_JITTER_S,
                     low_latency)
        mapped = Spread.of(errors.mapped).scaled(_MS)
        arrival = Spread.of(errors.on_arrival).scaled(_MS)
        own = Spread.of(errors.sensor_clock).scaled(_MS)
        limit = 1.0 if sensor.goal == "p99 <= 1 ms" else arrival.p99
        figures += [
            Figure(f"{sensor.name}: mapped ({mapped.count} reps and laps)", "ms", mapped,
                   reference=arrival.p99, reference_name="naive: stamped on arrival, p99",
                   goal=sensor.goal, passed=mapped.p99 <= limit),
            Figure(f"{sensor.name}: naive, stamped on arrival", "ms", arrival),
            Figure(f"{sensor.name}: ideal, the drift known exactly, the least delay so far",
                   "ms", Spread.of(errors.ideal).scaled(_MS)),
            Figure(f"{sensor.name}: the sensor's own clock, unmapped "
                   f"({sensor.drift * 1e6:+.0f} ppm)", "ms", own),
            Figure(f"{sensor.name}: mapped, arrivals only 0-1 ms late (low-latency timer)",
                   "ms", Spread.of(low_latency.mapped).scaled(_MS)),
        ]
    return Result("lap_clock", "Lap-time error with a sensor clock", tuple(figures), notes=(
        f"{sessions} x {hours:g} h per sensor; arrivals 0-{_JITTER_S * _MS:g} ms late; "
        "absolute errors",))


def _session(sensor: _Sensor, seconds: float, chance: random.Random, jitter_s: float,
             errors: _Errors) -> None:
    reps = _reps(seconds, chance)
    crossings = {at for _, laps in reps for at in laps}
    protocol = build_protocol(sensor.protocol)
    clock = protocol.new_clock()
    mapped: dict[float, float] = {}  # a crossing's true host time -> the time it was given
    arrived: dict[float, float] = {}
    ideal: dict[float, float] = {}  # ...and the time an ideal mapping gives it
    least_delay = float("inf")
    last_arrival = 0.0
    for host in _lines(sensor, reps):
        arrival = max(last_arrival, host + chance.uniform(0.0, jitter_s))  # a serial FIFO
        last_arrival = arrival
        reading = protocol.parse(sensor.line(sensor.time_at(host), host in crossings))
        match reading:
            case Crossed(sensor_s=float(stamp)):
                at = clock.observe(stamp, arrival)
            case Heartbeat(sensor_s=stamp, confirms_only=confirms_only):
                clock.learn(stamp, arrival, confirms_only=confirms_only)
                at = arrival
            case _:
                raise AssertionError(f"a {sensor.name} line was not read: {reading}")
        told = host if host in crossings else host - _TICK_SEND_S  # the time the line says
        least_delay = min(least_delay, arrival - told)
        if host in crossings:
            mapped[host], arrived[host], ideal[host] = at, arrival, host + least_delay
    for start, end in _intervals(reps):
        true = end - start
        # GO is a host deadline: exact on every clock
        errors.mapped.append(abs(mapped[end] - mapped.get(start, start) - true))
        errors.on_arrival.append(abs(arrived[end] - arrived.get(start, start) - true))
        errors.ideal.append(abs(ideal[end] - ideal.get(start, start) - true))
        own = (sensor.time_at(end) - sensor.time_at(start)) % sensor.wrap_s
        errors.sensor_clock.append(abs(own - true))


def _reps(seconds: float, chance: random.Random) -> list[tuple[float, list[float]]]:
    """(GO, the crossings) of each rep, a rest before each, for `seconds` of host time."""
    reps, host = [], 0.0
    while host < seconds:
        go = host = host + _REST_S
        laps = []
        for _ in range(_LAPS_PER_REP):
            host += chance.uniform(*_LAP_S)
            laps.append(host)
        reps.append((go, laps))
    return reps


def _lines(sensor: _Sensor, reps: list[tuple[float, list[float]]]) -> Iterator[float]:
    """The host time of every line the sensor sends (its ticks and crossings), in order.

    A tick is sent just after the sensor's own clock passes a multiple of `tick_s`."""
    crossings = [at for _, laps in reps for at in laps]
    if sensor.tick_s is None:
        yield from crossings
        return
    tick = (sensor.start_s // sensor.tick_s + 1) * sensor.tick_s  # sensor time
    for crossing in crossings:
        while (beat := sensor.host_at(tick) + _TICK_SEND_S) < crossing:
            yield beat
            tick += sensor.tick_s
        yield crossing


def _intervals(reps: list[tuple[float, list[float]]]) -> Iterator[tuple[float, float]]:
    """Each rep (GO to its last crossing) and each lap (GO or a crossing to the next)."""
    for go, laps in reps:
        yield go, laps[-1]
        yield from zip([go, *laps], laps)
