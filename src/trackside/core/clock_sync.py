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
  3. The clocks drift apart (an Arduino's ceramic resonator runs up to 0.2 % off, a quartz
     timer a few ppm). The drift is estimated from the lower envelope of the samples once there
     are enough of them over a long enough span (Moon, Skelly and Towsley's linear-programming
     estimator: the edge of the lower convex hull above the samples' mean time); until then it
     is only bounded by `max_drift`. A steadier clock (a smaller `max_drift`) keeps its samples
     longer: a resonator's for two minutes, a crystal's for an hour, so a sensor that sends a
     line a minute is still mapped from dozens of them.
  4. A line whose time is only probably the sensor's clock (an ALGE Timy's running time)
     `confirms_only`: it refines the mapping when it agrees with it, and is otherwise ignored.
     Before the first sure line such lines build a candidate mapping, which that line adopts
     if it agrees with it; they never replace a mapping.
  5. The sensor's counter wraps (`wrap_s`: 2**32 us for `micros()`, 24 h for a time of day) and
     the sensor may restart or have its clock set. A sample that disagrees with the mapping by
     more than `tolerance_s` is placed at its arrival and starts a candidate mapping; when the
     next sample agrees with the candidate rather than the old mapping, the candidate takes over.
  6. A line read late by a stalled reader (`late`) is mapped by what was learnt before and
     teaches nothing: its delay is the stall's, not the line's, and would look like a jump.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

_BUCKETS = 120  # samples kept over the window: each bucket keeps its lowest, the one that matters
_MIN_SAMPLES = 8  # buckets before the drift is estimated...
_MIN_SPAN_S = 10.0  # ...spanning at least this many sensor seconds
_STEADY_S = 0.6  # samples are kept this / max_drift seconds (a 0.5 % resonator: 2 min)...
_MAX_WINDOW_S = 3600.0  # ...and an hour at most (a crystal warming up changes its rate)
_WANDER = 6e-4  # a rate may move this share of max_drift within the window (temperature)...
_MIN_WANDER = 1e-6  # ...and at least 1 ppm: an estimated drift is never trusted closer
_SLACK_SCALE = 20.0  # slope error ~ jitter / (buckets * span); tuned by simulation


@dataclass(frozen=True, slots=True)
class _Drift:
    slope: float  # offset change per sensor second (the sensor runs slow: positive)
    slack: float  # how far `slope` may be off


@dataclass(frozen=True, slots=True)
class _Model:
    """What is known of a sensor's clock before its lines say more."""

    wrap_s: float | None
    max_drift: float
    window_s: float  # how long a sample is kept
    bucket_s: float  # one sample kept per bucket of sensor time: its lowest
    wander: float  # how far the rate may move within the window

    @classmethod
    def of(cls, wrap_s: float | None, max_drift: float) -> _Model:
        window_s = min(_MAX_WINDOW_S, max(2 * _MIN_SPAN_S, _STEADY_S / max_drift))
        wander = max(_MIN_WANDER, _WANDER * max_drift)
        return cls(wrap_s, max_drift, window_s, window_s / _BUCKETS, wander)


@dataclass(slots=True)
class _Mapping:
    """One unbroken run of the sensor's clock, and the samples (s, arrival - s) that pin it."""

    model: _Model
    last_s: float  # the newest sensor time seen, unwrapped
    last_arrival: float
    samples: deque[tuple[float, float]] = field(default_factory=deque)
    drift: _Drift = field(init=False)

    def __post_init__(self) -> None:
        self.drift = _Drift(0.0, self.model.max_drift)

    def unwrap(self, sensor_s: float, arrival: float) -> float:
        """The sensor time plus as many wraps as the host clock says have passed."""
        wrap_s = self.model.wrap_s
        if wrap_s is None:
            return sensor_s
        predicted = self.last_s + (arrival - self.last_arrival)
        return sensor_s + round((predicted - sensor_s) / wrap_s) * wrap_s

    def lag(self, s: float, arrival: float) -> tuple[float, float]:
        """(this line's delay as the mapping sees it, how far that may be off)."""
        slope = self.drift.slope
        offset = min(o + slope * (s - si) for si, o in self.samples)
        return arrival - s - offset, self.drift.slack * abs(s - self.last_s)

    def add(self, s: float, arrival: float) -> None:
        """Keep the sample if it is the lowest of its bucket (seen along the drift so far);
        estimate the drift again when a bucket is opened (drift changes slowly: lines stay
        cheap, and a sparse sensor's every line opens one)."""
        sample = (s, arrival - s)
        bucket_s = self.model.bucket_s
        bucket = s // bucket_s
        index = len(self.samples)
        while index and self.samples[index - 1][0] // bucket_s > bucket:
            index -= 1  # a crossing stamped before the heartbeat sent just ahead of it
        opened = not index or self.samples[index - 1][0] // bucket_s != bucket
        if opened:
            self.samples.insert(index, sample)
        elif self._below(sample, self.samples[index - 1]):
            self.samples[index - 1] = sample
        if s > self.last_s:
            self.last_s, self.last_arrival = s, arrival
        while self.samples[0][0] < self.last_s - self.model.window_s:
            self.samples.popleft()
        if opened:
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
        limit = self.model.max_drift
        if len(points) < _MIN_SAMPLES or span < _MIN_SPAN_S:
            return _Drift(0.0, limit)
        slope = _lower_hull_slope(points)
        base = min(o - slope * s for s, o in points)
        residuals = sorted(o - slope * s - base for s, o in points)
        spread = residuals[len(residuals) // 2]  # the typical delay above the floor
        slack = self.model.wander + _SLACK_SCALE * spread / (len(points) * span)
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

    `observe(sensor_s, arrival)` takes a crossing, learns from it and returns the host time of
    `sensor_s`; `learn` takes every other line that carries the sensor's time (heartbeats,
    other channels, running time).
    `max_drift`: how far the sensor's rate may be from the host's (a resonator 0.5 %, a quartz
    timer against a Pi's own crystal 50 ppm); `wrap_s`: where its counter wraps, if it does.
    """

    def __init__(
        self,
        *,
        wrap_s: float | None = None,
        max_drift: float = 0.005,
        tolerance_s: float = 0.25,
    ) -> None:
        self._model = _Model.of(wrap_s, max_drift)
        self._tolerance_s = tolerance_s
        self._current: _Mapping | None = None
        self._candidate: _Mapping | None = None
        self.jumps = 0  # how often the sensor's clock jumped (a restart, its clock set) for good

    def observe(self, sensor_s: float, arrival: float, *, confirms_only: bool = False) -> float:
        """The host time of `sensor_s`, never later than `arrival`, having learnt from it."""
        if (found := self._learn(sensor_s, arrival, confirms_only)) is None:
            return arrival
        mapping, s = found
        return min(arrival, mapping.host_time(s))

    def learn(self, sensor_s: float, arrival: float, *, confirms_only: bool = False) -> None:
        """`observe` for a line that is not a crossing: only the mapping needs it."""
        self._learn(sensor_s, arrival, confirms_only)

    def _learn(self, sensor_s: float, arrival: float, confirms_only: bool
               ) -> tuple[_Mapping, float] | None:
        """(the mapping that places the line, its unwrapped time), or None: at its arrival.
        `confirms_only`: learn from the line only if it agrees with the mapping (rule 4)."""
        if self._current is not None:
            if (s := self._agreeing(self._current, sensor_s, arrival)) is not None:
                self._candidate = None
                return self._current, s
            if confirms_only:
                return None  # its time may not be the sensor's clock after all
        # No mapping yet, or the line disagrees with it (a restart, the clock set): a candidate.
        candidate = self._candidate
        s = None if candidate is None else self._agreeing(candidate, sensor_s, arrival)
        if candidate is not None and s is not None:
            if confirms_only:
                return None  # only a sure line adopts a candidate
            if self._current is not None:
                self.jumps += 1
            self._current, self._candidate = candidate, None
            return candidate, s
        if self._current is None and not confirms_only:
            self._current, self._candidate = self._start(sensor_s, arrival), None
        else:
            self._candidate = self._start(sensor_s, arrival)
        return None

    def late(self, sensor_s: float, since: float, arrival: float) -> float | None:
        """The host time of a line read at `arrival` by a reader held up since `since` (rule
        6); None with no mapping yet, or when that time is not in [since, arrival] give or
        take the tolerance (the sensor restarted during the stall?)."""
        if self._current is None:
            return None
        host_time = self._current.host_time(self._current.unwrap(sensor_s, arrival))
        if not since - self._tolerance_s <= host_time <= arrival + self._tolerance_s:
            return None
        return min(arrival, host_time)

    def _start(self, sensor_s: float, arrival: float) -> _Mapping:
        mapping = _Mapping(self._model, sensor_s, arrival)
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
