"""Options shared by `run`, `demo` and `doctor`: where to show the timer, how to time it,
and the beam sensor.

Each converter raises argparse.ArgumentTypeError, so a bad value is one line and exit 2.
"""

from __future__ import annotations

import argparse
import re

from pydantic import ValidationError

from trackside.config import CONFIG_SCHEMA, BeamConfig
from trackside.core.errors import UserError
from trackside.core.problems import first_problem
from trackside.core.units import parse_duration

_BEAM_OPTIONS = {"port": "--serial", "baud": "--baud", "protocol": "--protocol",
                 "pattern": "--pattern", "channels": "--channels"}


def seconds(text: str) -> float:
    try:
        value = parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def screen_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{2,5})[x×](\d{2,5})", text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size (write 1920x1080)")
    return int(match.group(1)), int(match.group(2))


def add_display_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("display")
    where = group.add_mutually_exclusive_group()
    where.add_argument("--fullscreen", action="store_const", dest="display", const="fullscreen",
                       help="full screen (the default on a Pi without a desktop: SDL kmsdrm)")
    where.add_argument("--windowed", action="store_const", dest="display", const="window",
                       help="a window on a desktop")
    where.add_argument("--terminal", action="store_const", dest="display", const="terminal",
                       help="big digits in this terminal (e.g. over SSH)")
    where.add_argument("--headless", action="store_const", dest="display", const="headless",
                       help="no display: a status line, and control lines on stdin "
                            "(press, hold, end, lap, quit)")
    group.add_argument("--size", type=screen_size, metavar="WxH", help="window size")
    group.add_argument("--theme", choices=("day", "night"),
                       help="day: maximum contrast for sunlight (default); night")


def add_timing_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("timing")
    group.add_argument("--lead-in", type=seconds, metavar="S",
                       help="get-ready countdown after a start press (default 5 s)")
    group.add_argument("--min-lap", type=seconds, default=None, metavar="S",
                       help="ignore crossings sooner than S after GO or the last crossing "
                            "(default: half the target)")


def display_mode(args: argparse.Namespace) -> str:
    return args.display or "auto"


def add_beam_options(parser: argparse.ArgumentParser) -> None:
    """The beam sensor's serial port; each left out comes from the config's [beam]."""
    group = parser.add_argument_group("beam sensor")
    group.add_argument("--serial", metavar="PORT",
                       help="the sensor's serial port: /dev/serial/by-id/..., or auto")
    group.add_argument("--baud", type=int, metavar="N", help="baud rate (default 9600)")
    group.add_argument("--protocol", choices=("line", "stamped", "alge"),
                       help="line: any line is a crossing; stamped: our T <us> format with "
                            "the sensor's clock; alge: an ALGE Timy")
    group.add_argument("--pattern", metavar="REGEX",
                       help="line: only lines matching REGEX are crossings")
    group.add_argument("--channels", metavar="LIST",
                       help="alge: the Timy channels that count (c1, c1,c1M, c0-c8); "
                            "stamped: the beam ids that count (1,2)")


def beam_settings(args: argparse.Namespace, configured: BeamConfig) -> BeamConfig:
    """The config's [beam] with the beam options given over it, checked as the file's is:
    a misfit is one line naming the option."""
    given = {key: value for key, value in
             (("port", args.serial), ("baud", args.baud), ("protocol", args.protocol))
             if value is not None}
    if args.protocol is not None and args.protocol != configured.protocol:
        given |= {"pattern": None, "channels": None}  # the config's were for its protocol
    if args.pattern is not None:
        given["pattern"] = args.pattern
    if args.channels is not None:
        given["channels"] = tuple(part.strip() for part in args.channels.split(","))
    if not given:
        return configured
    try:
        return BeamConfig.model_validate(configured.model_dump() | given)
    except ValidationError as exc:
        problem = first_problem(exc, CONFIG_SCHEMA)
        option = _BEAM_OPTIONS.get(problem.key or "", "beam")
        raise UserError(f"{option}: {problem.message}") from None
