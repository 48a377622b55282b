"""`trackside pace`: a pace (or speed) and a distance give the time; a pace alone gives the
times for the common distances; a time and a distance give the pace and the even splits."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from trackside.core.errors import UserError
from trackside.core.plan_limits import check_distance
from trackside.core.units import (
    METRES_PER_MILE,
    format_distance,
    format_duration,
    format_pace,
    parse_distance,
    parse_duration,
    parse_pace,
)

_SHORT_SPLIT_M = 100.0  # up to a kilometre, a split every 100 m
_LONG_SPLIT_M = 400.0  # beyond, one a lap
_SHORT_RACE_M = 1000.0
COMMON_DISTANCES = (
    ("100 m", 100.0), ("200 m", 200.0), ("300 m", 300.0), ("400 m", 400.0),
    ("500 m", 500.0), ("600 m", 600.0), ("800 m", 800.0), ("1 km", 1000.0),
    ("1200 m", 1200.0), ("1500 m", 1500.0), ("1 mile", METRES_PER_MILE), ("2 km", 2000.0),
    ("3 km", 3000.0), ("5 km", 5000.0), ("10 km", 10_000.0),
    ("half marathon", 21_097.5), ("marathon", 42_195.0),
)


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "`trackside pace 4:55/km 400m` prints the time (1:58.0); "
        "`trackside pace 3:45/km` the times for the common distances; "
        "`trackside pace 50s 400m` the pace and the even splits.")
    parser.add_argument(
        "pace_or_time", metavar="PACE|TIME", help="a pace or speed (4:55/km, 7:50/mi, "
        "12.5s/100m, 8.5m/s, 15km/h) or a time (50s, 1:58, 49.9)"
    )
    parser.add_argument("distance", metavar="DISTANCE", nargs="?",
                        help="400m, 1.2km, 1mi (with a pace: leave it out for a table)")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    if "/" in args.pace_or_time:
        pace = _read(parse_pace, args.pace_or_time, "PACE")
        if args.distance is None:
            print("\n".join(pace_table(pace)))
        else:
            print(format_duration(round(pace * _distance(args.distance), 1), 1))
        return 0
    seconds = _read(parse_duration, args.pace_or_time, "TIME")
    if seconds <= 0:
        raise UserError(f"TIME: {args.pace_or_time!r} must be longer than zero")
    if args.distance is None:
        raise UserError(f"DISTANCE: give the distance run in {args.pace_or_time} (e.g. 400m)")
    for line in pace_lines(seconds, _distance(args.distance)):
        print(line)
    return 0


def pace_table(per_metre: float) -> list[str]:
    """'4:55/km, 7:55/mi, 3.39 m/s' and the time for each common distance, one a line."""
    width = max(len(name) for name, _ in COMMON_DISTANCES)
    return [
        f"{format_pace(per_metre)}, {format_pace(per_metre, 'mi')}, {1 / per_metre:.2f} m/s",
        *(f"  {name:<{width}}  {format_duration(round(per_metre * metres, 1), 1):>9}"
          for name, metres in COMMON_DISTANCES),
    ]


def pace_lines(seconds: float, distance: float) -> list[str]:
    """'400 m in 50.0: 2:05/km, 3:21/mi' and '12.5 s per 100 m: 12.5  25.0  37.5  50.0'."""
    per_metre = seconds / distance
    split = _SHORT_SPLIT_M if distance <= _SHORT_RACE_M else _LONG_SPLIT_M
    marks = [split * n for n in range(1, int(distance / split + 1e-9) + 1)]
    if not marks or marks[-1] < distance - 1e-9:
        marks.append(distance)
    splits = "  ".join(format_duration(round(per_metre * mark, 1), 1) for mark in marks)
    each = per_metre * split
    each_text = format_duration(round(each, 1), 1) + " s" * (each < 59.95)
    return [
        f"{format_distance(distance)} in {format_duration(round(seconds, 1), 1)}: "
        f"{format_pace(per_metre)}, {format_pace(per_metre, 'mi')}",
        f"{each_text} per {format_distance(split)}: {splits}",
    ]


def _distance(text: str) -> float:
    """A distance above zero and at most a rep's longest (so the splits are few)."""
    metres = _read(parse_distance, text, "DISTANCE")
    if metres <= 0:
        raise UserError(f"DISTANCE: {text!r} must be longer than zero")
    return _read(check_distance, metres, "DISTANCE")


def _read(parse: Callable, value: str | float, name: str) -> float:  # type: ignore[type-arg]
    try:
        return parse(value)
    except ValueError as error:
        raise UserError(f"{name}: {error}") from None
