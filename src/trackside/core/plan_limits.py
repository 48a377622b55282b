"""What no track session needs: the limits a plan is checked against, and how they are said.

A plan beyond one of these is refused when it is read, the limit named in the message, so
expanding, showing or running any plan that was accepted takes little time and memory: at
most `MAX_REPS` reps, each with at most `MAX_DISTANCE_M / MIN_SPLIT_M` split beeps and
`MAX_DISTANCE_M / LAP_M[0]` crossings, and no more split beeps than the plan's distance
allows. The README's "Limits" lists them; keep the two the same.
"""

from __future__ import annotations

from collections.abc import Callable

from trackside.core.units import format_distance, format_duration, format_pace

MAX_TIME_S = 4 * 3600.0  # any time in a plan: a rest, a warmup, a timed rep, a target
MAX_DISTANCE_M = 100_000.0  # one rep, one jog
MAX_PLAN_DISTANCE_M = 200_000.0  # every rep of a plan together
MIN_SPLIT_M = 10.0
LAP_M = (100.0, 10_000.0)
MAX_REPS = 500  # in a plan
MAX_REPS_IN_BLOCK = 200  # catches a typo (4000x for 4x)
MAX_SETS = 50
MAX_SEGMENTS = 20  # in a rep
MAX_COUNT = 1000  # a count rep: 1000 skips
MAX_LABEL = 40  # characters
FASTEST_HUMAN_MPS = 12.5  # faster than anyone has run (Bolt's peak was 12.4 m/s)
SLOWEST_SPEED_MPS = 1.0  # a top speed below this is not one
SLOWEST_PACE_S_PER_M = 3.6  # 60:00/km: slower is not a pace anyone times
MAX_NOTATION_CHARS = 10_000
MAX_PLAN_FILE_BYTES = 1_000_000

REPS_LIMIT = f"a plan has at most {MAX_REPS} reps"
PLAN_DISTANCE_LIMIT = f"a plan covers at most {format_distance(MAX_PLAN_DISTANCE_M)}"


def check_time(seconds: float) -> float:
    return _at_most(seconds, MAX_TIME_S, format_duration, " s")


def check_distance(metres: float) -> float:
    return _at_most(metres, MAX_DISTANCE_M, format_distance, " m")


def check_lap(metres: float) -> float:
    low, high = LAP_M
    if not low <= metres <= high:
        raise ValueError(f"a lap is {format_distance(low)} to {format_distance(high)} "
                         f"(got {format_distance(metres)})")
    return metres


def check_pace(seconds_per_metre: float) -> float:
    if seconds_per_metre > SLOWEST_PACE_S_PER_M:
        raise ValueError(f"{_shown(seconds_per_metre, format_pace, ' s/m')} is slower than "
                         f"{format_pace(SLOWEST_PACE_S_PER_M)}: not a pace anyone times")
    check_humanly_possible(1 / seconds_per_metre, format_pace(seconds_per_metre))
    return seconds_per_metre


def check_speed(metres_per_second: float) -> float:
    """A top speed, the 100 % of percentage targets."""
    if metres_per_second < SLOWEST_SPEED_MPS:
        raise ValueError(f"a top speed is at least {SLOWEST_SPEED_MPS:g} m/s "
                         f"(got {metres_per_second:.3g} m/s)")
    return check_humanly_possible(metres_per_second, f"{metres_per_second:.3g} m/s")


def check_humanly_possible(metres_per_second: float, what: str) -> float:
    if metres_per_second > FASTEST_HUMAN_MPS:
        raise ValueError(f"{what} is faster than anyone has run "
                         f"({FASTEST_HUMAN_MPS:g} m/s, {format_pace(1 / FASTEST_HUMAN_MPS)})")
    return metres_per_second


def _shown(value: float, formatter: Callable[[float], str], unit: str) -> str:
    """A value as the formatter writes it, or in powers of ten when it is huge."""
    return formatter(value) if value < 1e9 else f"{value:.3g}{unit}"


def _at_most(value: float, limit: float, formatter: Callable[[float], str], unit: str) -> float:
    if value > limit:
        raise ValueError(f"must be at most {formatter(limit)} "
                         f"(got {_shown(value, formatter, unit)})")
    return value
