"""Race times: the races an athlete's paces come from, and Riegel's formula for a missing one.

Rules for this module:
  1. A race is one of `RACES`, named as a coach writes it in a target ('@5k', '@hm',
     '@mile'); its time is in seconds, no faster than the world record and no slower than
     a pace anyone times (plan_limits).
  2. A race time the athlete does not have is worked out from the nearest one they do
     (nearest by the ratio of the distances, the shorter on a tie) with Riegel's formula,
     T2 = T1 x (D2/D1)^1.06, and says so: `RaceTime.derived_from` names the race it came
     from, so every screen can tell an athlete's own time from a derived one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from trackside.core import plan_limits as limits
from trackside.core.units import METRES_PER_MILE, format_duration, format_pace, parse_duration

RIEGEL_EXPONENT = 1.06


@dataclass(frozen=True, slots=True)
class Race:
    name: str  # as written in a target and an option: '5k', 'hm'
    metres: float
    label: str  # as said: '5K', 'half marathon'
    record_s: float  # the world record, rounded down: no athlete's time is faster


RACES: dict[str, Race] = {race.name: race for race in (
    Race("400m", 400.0, "400 m", 43.0),
    Race("800m", 800.0, "800 m", 100.0),
    Race("1500m", 1500.0, "1500 m", 206.0),
    Race("mile", METRES_PER_MILE, "mile", 223.0),
    Race("5k", 5000.0, "5K", 755.0),
    Race("10k", 10_000.0, "10K", 1571.0),
    Race("hm", 21_097.5, "half marathon", 3451.0),
    Race("marathon", 42_195.0, "marathon", 7235.0),
)}
_ALIASES = {"5km": "5k", "10km": "10k", "half": "hm"}


def race_named(text: str) -> Race | None:
    """The race `text` names ('5k', '5K', 'half'), or None."""
    name = text.strip().lower()
    return RACES.get(_ALIASES.get(name, name))


@dataclass(frozen=True, slots=True)
class RaceTime:
    race: Race
    seconds: float
    derived_from: RaceTime | None = None  # None: the athlete's own time

    @property
    def pace_s_per_m(self) -> float:
        return self.seconds / self.race.metres

    def __str__(self) -> str:
        """'10K 39:57 (from the 5K 19:10 by Riegel)', '5K 19:10'."""
        pace = format_pace(self.pace_s_per_m)
        own = f"{self.race.label} {format_duration(self.seconds)} ({pace})"
        if self.derived_from is None:
            return own
        source = self.derived_from
        return f"{own}, from the {source.race.label} {format_duration(source.seconds)} by Riegel"


def riegel_s(seconds: float, from_m: float, to_m: float) -> float:
    """The time for `to_m` predicted from `seconds` over `from_m` (Riegel, 1977)."""
    return seconds * (to_m / from_m) ** RIEGEL_EXPONENT


def race_time(times: Iterable[tuple[str, float]], name: str) -> RaceTime | None:
    """The athlete's time for race `name`: their own, else derived from their nearest race
    (rule 2); None when they have no race time at all."""
    known = {RACES[race]: seconds for race, seconds in times}
    wanted = RACES[name]
    if wanted in known:
        return RaceTime(wanted, known[wanted])
    if not known:
        return None
    nearest = min(known, key=lambda race: (abs(math.log(wanted.metres / race.metres)),
                                           race.metres))
    return RaceTime(wanted, riegel_s(known[nearest], nearest.metres, wanted.metres),
                    RaceTime(nearest, known[nearest]))


def check_race_time(race: Race, seconds: float) -> float:
    """A race time no faster than the world record and no slower than a pace anyone times
    (plan_limits), or ValueError saying why."""
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"a {race.label} time must be above zero")
    if seconds < race.record_s:
        raise ValueError(f"{race.label} in {format_duration(seconds, 1)} is faster than the "
                         f"world record ({format_duration(race.record_s)})")
    try:
        limits.check_pace(seconds / race.metres)
    except ValueError as exc:
        raise ValueError(f"{race.label} in {format_duration(seconds)}: {exc}") from None
    return seconds


def race_times(value: Any) -> tuple[tuple[str, float], ...]:
    """Race times as written ({'5k': '19:10'}) or as stored ([['5k', 1150.0]]) -> checked
    (name, seconds) pairs in the order of `RACES`. Raises ValueError naming the bad one."""
    pairs = value.items() if isinstance(value, Mapping) else value
    if not isinstance(pairs, Iterable) or isinstance(pairs, str | bytes):
        raise ValueError("race times are a table of race = time ('5k' = '19:10')")
    found: dict[Race, float] = {}
    for pair in pairs:
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise ValueError("race times are a table of race = time ('5k' = '19:10')")
        name, time = pair
        race = race_named(str(name))
        if race is None:
            raise ValueError(f"{str(name)[:20]!r} is not a race (the races: "
                             f"{', '.join(RACES)})")
        if isinstance(time, str):
            time = parse_duration(time)
        if isinstance(time, bool) or not isinstance(time, int | float):
            raise ValueError(f"{race.name}: a race time is a time such as '19:10'")
        found[race] = check_race_time(race, float(time))
    return tuple((race.name, found[race]) for race in RACES.values() if race in found)
