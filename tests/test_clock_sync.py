import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trackside.core.clock_sync import SensorClock
from trackside.core.sensor_lines import DAY_S, MICROS_WRAP_S, build_protocol

JITTER_S = 0.016  # an FTDI adapter at its default latency timer


class Sensor:
    """A sensor clock that runs `drift` fast (negative: slow) and wraps, seen from the host."""

    def __init__(self, *, start_s: float, drift: float, wrap_s: float) -> None:
        self.start_s, self.drift, self.wrap_s = start_s, drift, wrap_s

    def time_at(self, host: float) -> float:
        return (self.start_s + host * (1 + self.drift)) % self.wrap_s


def session(clock: SensorClock, sensor: Sensor, *, seed: int, heartbeat_s: float | None):
    """Heartbeats, then reps: GO at a host time, a crossing `lap` later. Yields (lap, measured)."""
    rng = random.Random(seed)

    def arrive(host: float) -> float:
        return clock.observe(sensor.time_at(host), host + rng.uniform(0, JITTER_S))

    host = 0.0
    for _ in range(8):
        rest_end = host + rng.uniform(45, 90)
        while heartbeat_s and host + heartbeat_s < rest_end:
            host += heartbeat_s
            arrive(host)
        go = host = rest_end
        lap = rng.uniform(30, 75)
        while heartbeat_s and host + heartbeat_s < go + lap:
            host += heartbeat_s
            arrive(host)
        host = go + lap
        yield lap, arrive(host) - go


@pytest.mark.parametrize(
    ("drift", "start_s"),
    [
        (-2021e-6, MICROS_WRAP_S - 300),  # an Uno's resonator, slow; micros() wraps mid-session
        (+2021e-6, 0.0),  # a resonator as fast, from power-on
        (12e-6, 1000.0),  # a crystal
    ],
)
def test_lap_times_are_within_a_millisecond_while_arrivals_jitter_by_16_ms(
    drift: float, start_s: float
) -> None:
    clock = build_protocol("stamped").new_clock()
    sensor = Sensor(start_s=start_s, drift=drift, wrap_s=MICROS_WRAP_S)
    laps = list(session(clock, sensor, seed=7, heartbeat_s=0.1))  # our firmware: 10 heartbeats/s
    assert len(laps) == 8
    for lap, measured in laps:
        assert measured == pytest.approx(lap, abs=0.001)
    assert clock.jumps == 0


def test_without_heartbeats_a_lap_is_never_worse_than_stamping_on_arrival() -> None:
    clock = build_protocol("stamped").new_clock()
    sensor = Sensor(start_s=5.0, drift=2021e-6, wrap_s=MICROS_WRAP_S)
    for lap, measured in session(clock, sensor, seed=3, heartbeat_s=None):
        assert lap <= measured <= lap + JITTER_S


def test_a_timy_across_midnight_keeps_its_mapping() -> None:
    clock = build_protocol("alge").new_clock()
    sensor = Sensor(start_s=DAY_S - 200, drift=3e-6, wrap_s=DAY_S)  # 23:56:40
    rng = random.Random(1)
    for host in range(0, 600, 20):  # an impulse every 20 s, through 00:00:00
        arrival = host + rng.uniform(0, JITTER_S)
        mapped = clock.observe(sensor.time_at(host), arrival)
        assert host - 0.001 <= mapped <= arrival
    assert clock.jumps == 0


def test_a_restarted_sensor_is_timed_on_arrival_once_then_mapped_afresh() -> None:
    clock = SensorClock(wrap_s=MICROS_WRAP_S)
    for host in range(100):
        clock.observe(1000.0 + host, host + 0.002)
    # Reset: micros() starts again from zero.
    assert clock.observe(0.5, 100.0 + 0.010) == 100.010
    assert clock.observe(1.5, 101.0 + 0.002) == pytest.approx(101.002)
    assert 102.002 <= clock.observe(2.5, 102.0 + 0.009) < 102.009  # learning the new clock
    assert clock.jumps == 1


def test_one_line_held_up_for_a_second_does_not_throw_the_mapping_away() -> None:
    clock = SensorClock(wrap_s=MICROS_WRAP_S)
    for host in range(100):
        clock.observe(1000.0 + host, host + 0.002)
    assert clock.observe(1100.0, 100.0 + 1.0) == 101.0  # a USB stall: placed at its arrival
    assert clock.observe(1101.0, 101.0 + 0.009) == pytest.approx(101.002)  # the old mapping
    assert clock.jumps == 0


def test_the_first_line_is_placed_at_its_arrival() -> None:
    assert SensorClock().observe(12.0, 500.0) == 500.0


@given(
    st.lists(
        st.tuples(st.floats(0, 1e7), st.floats(0, 1e5)),  # sensor time, host time step
        min_size=1,
        max_size=60,
    ),
    st.sampled_from([None, MICROS_WRAP_S, DAY_S]),
)
def test_a_mapped_time_is_never_later_than_its_arrival(
    lines: list[tuple[float, float]], wrap_s: float | None
) -> None:
    clock = SensorClock(wrap_s=wrap_s)
    arrival = 0.0
    for sensor_s, step in lines:
        arrival += step
        assert clock.observe(sensor_s % (wrap_s or 1e7), arrival) <= arrival
