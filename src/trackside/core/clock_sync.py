"""Mapping a sensor's own clock onto the host's monotonic clock.

A line stamped `s` on the sensor's clock arrives at host time `arrival = s + offset + delay`,
with `delay >= 0` (the sensor's loop, the UART, a USB latency timer, the reader thread). So
every line bounds the offset from above: `offset <= arrival - s`. The least bound over recent
lines (the minimum-delay filter of NTP-style clock sync) removes the jitter; only the constant
floor of the delay (a byte time, one USB frame) is left, the same on every line.

Rules for this module:
  1. No clock reads, sleeps, threads or I/O: sensor times and arrivals come in as numbers.
  2. A mapped time is never later than the line's arrival. An older sample counts for less, by
     the drift it may hide per second of age, so the mapping is at least as good as stamping
     on arrival (and far better once a few dozen lines have come in).
  3. The clocks drift apart (an Arduino's ceramic resonator runs up to 0.2 % off). The drift is
     estimated from the lower envelope of the samples once there are enough of them over a
     long enough span (Moon, Skelly and Towsley's linear-programming estimator: the edge of
     the lower convex hull above the samples' mean time); until then it is only bounded by
     `max_drift`.
  4. The sensor's counter wraps (`wrap_s`: 2**32 us for `micros()`, 24 h for a time of day) and
     the sensor may restart or have its clock set. A sample that disagrees with the mapping by
     more than `tolerance_s` is placed at its arrival and starts a candidate mapping; when the
     next sample agrees with the candidate rather than the old mapping, the candidate takes over.
  5. A line read late by a stalled reader (`late`) is mapped by what was learnt before and
     teaches nothing: its delay is the stall's, not the line's, and would look like a jump.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

_BUCKET_S = 1.0  # one sample kept per sensor second: its lowest, the only one that matters
_MIN_SAMPLES = 8  # buckets before the drift is estimated...
_MIN_SPAN_S = 10.0  # ...spanning at least this many sensor seconds
_REFIT_EVERY = 8  # samples between drift estimates (drift changes slowly; lines stay cheap)
_SLACK_FLOOR = 3e-6  # an estimated drift is never trusted closer than 3 ppm
_SLACK_SCALE = 20.0  # slope error ~ jitter / (buckets * span); tuned by simulation


@dataclass(frozen=True, slots=True)
class _Drift:
    slope: float  # offset change per sensor second (the sensor runs slow: positive)
    slack: float  # how far `slope` may be off


@dataclass(slots=True)
class _Mapping:
    """One unbroken run of the sensor's clock, and the samples (s, arrival - s) that pin it."""

    wrap_s: float | None
    window_s: float
    max_drift: float
    last_s: float  # the newest sensor time seen, unwrapped
    last_arrival: float
    samples: deque[tuple[float, float]] = field(default_factory=deque)
    drift: _Drift = field(init=False)
    _since_fit: int = 0

    def __post_init__(self) -> None:
        self.drift = _Drift(0.0, self.max_drift)

    def unwrap(self, sensor_s: float, arrival: float) -> float:
        """The sensor time plus as many wraps as the host clock says have passed."""
        if self.wrap_s is None:
            return sensor_s
        predicted = self.last_s + (arrival - self.last_arrival)
        return sensor_s + round((predicted - sensor_s) / self.wrap_s) * self.wrap_s

    def lag(self, s: float, arrival: float) -> tuple[float, float]:
        """(this line's delay as the mapping sees it, how far that may be off)."""
        slope = self.drift.slope
        offset = min(o + slope * (s - si) for si, o in self.samples)
        return arrival - s - offset, self.drift.slack * abs(s - self.last_s)

    def add(self, s: float, arrival: float) -> None:
        """Keep the sample if it is the lowest of its bucket (seen along the drift so far)."""
        sample = (s, arrival - s)
        bucket = s // _BUCKET_S
        index = len(self.samples)
        while index and self.samples[index - 1][0] // _BUCKET_S > bucket:
            index -= 1  # a crossing stamped before the heartbeat sent just ahead of it
        if index and self.samples[index - 1][0] // _BUCKET_S == bucket:
            kept = self.samples[index - 1]
            if self._below(sample, kept):
                self.samples[index - 1] = sample
        else:
            self.samples.insert(index, sample)
        if s > self.last_s:
            self.last_s, self.last_arrival = s, arrival
        while self.samples[0][0] < self.last_s - self.window_s:
            self.samples.popleft()
        self._since_fit += 1
        if self._since_fit >= _REFIT_EVERY:
            self._since_fit = 0
            self.drift = self._estimate_drift()

    def _below(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        slope = self.drift.slope
        return a[1] - slope * a[0] < b[1] - slope * b[0]

    def host_time(self, s: float) -> float:
        """The latest host time the samples allow for sensor time `s`."""
        slope, slack = self.drift.slope, self.drift.slack
        return s + min(o + slope * (s - si) + slack * abs(s - si) for si, o in self.samples)

    def _estimate_drift(self) -> _Drift:
        points = list(self.samples)  # sorted by sensor time
        span = points[-1][0] - points[0][0]
        if len(points) < _MIN_SAMPLES or span < _MIN_SPAN_S:
            return _Drift(0.0, self.max_drift)
        slope = _lower_hull_slope(points)
        base = min(o - slope * s for s, o in points)
        residuals = sorted(o - slope * s - base for s, o in points)
        spread = residuals[len(residuals) // 2]  # the typical delay above the floor
        slack = _SLACK_FLOOR + _SLACK_SCALE * spread / (len(points) * span)
        limit = self.max_drift
        return _Drift(max(-limit, min(limit, slope)), min(slack, limit))


def _lower_hull_slope(points: list[tuple[float, float]]) -> float:
    """The slope of the lower convex hull's edge above the points' mean time (points sorted)."""
    hull: list[tuple[float, float]] = []
    for p in points:
        while len(hull) >= 2 and _turn(hull[-2], hull[-1], p) <= 0:
            hull.pop()
        hull.append(p)
    mean = sum(s for s, _ in points) / len(points)
    for (s1, o1), (s2, o2) in zip(hull, hull[1:]):
        if s1 <= mean <= s2 and s2 > s1:
            return (o2 - o1) / (s2 - s1)
    return 0.0


def _turn(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
    """Positive when a -> b -> c turns left (counter-clockwise)."""
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


class SensorClock:
    """Turns sensor timestamps into host monotonic times, one sample at a time.

    `observe(sensor_s, arrival)` takes every line that carries the sensor's time (crossings,
    heartbeats, other channels), learns from it and returns the host time of `sensor_s`.
    """

    def __init__(
        self,
        *,
        wrap_s: float | None = None,
        max_drift: float = 0.005,
        window_s: float = 120.0,
        tolerance_s: float = 0.25,
    ) -> None:
        self._wrap_s = wrap_s
        self._max_drift = max_drift
        self._window_s = window_s
        self._tolerance_s = tolerance_s
        self._current: _Mapping | None = None
        self._candidate: _Mapping | None = None
        self.jumps = 0  # how often the sensor's clock jumped (a restart, its clock set) for good

    def observe(self, sensor_s: float, arrival: float) -> float:
        if self._current is None:
            self._current = self._start(sensor_s, arrival)
            return arrival
        if (s := self._agreeing(self._current, sensor_s, arrival)) is not None:
            self._candidate = None
            return min(arrival, self._current.host_time(s))
        if self._candidate is not None:
            if (s := self._agreeing(self._candidate, sensor_s, arrival)) is not None:
                self._current, self._candidate = self._candidate, None
                self.jumps += 1
                return min(arrival, self._current.host_time(s))
        self._candidate = self._start(sensor_s, arrival)
        return arrival

    def late(self, sensor_s: float, since: float, arrival: float) -> float | None:
        """The host time of a line read at `arrival` by a reader held up since `since` (rule
        5); None with no mapping yet, or when that time is not in [since, arrival] give or
        take the tolerance (the sensor restarted during the stall?)."""
        if self._current is None:
            return None
        host_time = self._current.host_time(self._current.unwrap(sensor_s, arrival))
        if not since - self._tolerance_s <= host_time <= arrival + self._tolerance_s:
            return None
        return min(arrival, host_time)

    def _start(self, sensor_s: float, arrival: float) -> _Mapping:
        mapping = _Mapping(self._wrap_s, self._window_s, self._max_drift, sensor_s, arrival)
        mapping.add(sensor_s, arrival)
        return mapping

    def _agreeing(self, mapping: _Mapping, sensor_s: float, arrival: float) -> float | None:
        """The unwrapped sensor time, added to `mapping`, if the line agrees with it."""
        s = mapping.unwrap(sensor_s, arrival)
        lag, uncertainty = mapping.lag(s, arrival)
        if abs(lag) > self._tolerance_s + uncertainty:
            return None
        mapping.add(s, arrival)
        return s
