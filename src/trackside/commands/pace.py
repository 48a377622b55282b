"""`trackside pace`: a pace and a distance give the time; a time and a distance give the
pace and the even splits."""

from __future__ import annotations

import argparse

from trackside.core.errors import UserError
from trackside.core.units import (
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


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "`trackside pace 4:55/km 400m` prints the time (1:58.0); "
        "`trackside pace 50s 400m` prints the pace and the even splits.")
    parser.add_argument(
        "pace_or_time", metavar="PACE|TIME", help="a pace (4:55/km, 7:50/mi, 12.5s/100m) "
        "or a time (50s, 1:58, 49.9)"
    )
    parser.add_argument("distance", metavar="DISTANCE", help="400m, 1.2km, 1mi")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    distance = _read(parse_distance, args.distance, "DISTANCE")
    if "/" in args.pace_or_time:
        pace = _read(parse_pace, args.pace_or_time, "PACE")
        print(format_duration(round(pace * distance, 1), 1))
        return 0
    seconds = _read(parse_duration, args.pace_or_time, "TIME")
    if seconds <= 0:
        raise UserError(f"TIME: {args.pace_or_time!r} must be longer than zero")
    for line in pace_lines(seconds, distance):
        print(line)
    return 0


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


def _read(parse, text: str, name: str) -> float:  # noqa: ANN001 - a units parser
    try:
        return parse(text)
    except ValueError as error:
        raise UserError(f"{name}: {error}") from None
