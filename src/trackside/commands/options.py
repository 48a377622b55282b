"""Options shared by `run`, `demo`, `doctor`, `screenshot` and `forget-phones`, and the types
that read them: where to show the timer, how to time it, the beam sensor and the phone page.

Rules:
  1. Each type raises argparse.ArgumentTypeError, so a bad value is one line naming the
     option, and exit 2.
  2. An option that sets what a config key sets is checked by that key's field
     (`like_setting`): `--baud` is capped exactly as `[beam] baud` is.
  3. Every number is finite and within a stated range.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from trackside.config import (
    CONFIG_SCHEMA,
    BeamConfig,
    DisplayConfig,
    TimingConfig,
    WebConfig,
)
from trackside.core.errors import UserError
from trackside.core.problems import first_problem
from trackside.core.units import format_duration, parse_duration

DAY_S = 86_400.0  # the longest time any option takes

_BEAM_OPTIONS = {"port": "--serial", "baud": "--baud", "protocol": "--protocol",
                 "pattern": "--pattern", "channels": "--channels"}


def whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        if text.strip().lstrip("+-").isdigit():  # over the 4300 digits int() reads
            raise argparse.ArgumentTypeError(
                f"a number of {len(text.strip())} digits is far too large") from None
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def like_setting(section: type[BaseModel], key: str,
                 read: Callable[[str], Any] = str) -> Callable[[str], Any]:
    """The type of an option that sets what `key` of the config's `section` sets: the text,
    `read` (e.g. as a whole number), then checked by that key's own field."""
    def convert(text: str) -> Any:
        try:
            return getattr(section.model_validate({key: read(text)}), key)
        except ValidationError as exc:
            raise argparse.ArgumentTypeError(first_problem(exc, CONFIG_SCHEMA).message) from None

    return convert


def seconds_up_to(most_s: float) -> Callable[[str], float]:
    """The type of a time option (90, 1:30, 2min) of at most `most_s`."""
    def convert(text: str) -> float:
        try:
            value = parse_duration(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        if not value <= most_s:  # inf and nan too
            raise argparse.ArgumentTypeError(
                f"must be {format_duration(most_s)} ({most_s:g} s) or less")
        return value

    return convert


seconds = seconds_up_to(DAY_S)
screen_size = like_setting(DisplayConfig, "size")


def web_address(text: str) -> tuple[str | None, int]:
    """'8080', '10.42.0.1:8080' or '[::]:8080' -> (the host, None if not given; the port),
    each checked as `[web] host` and `port` are."""
    host, colon, port = text.strip().rpartition(":")
    bracketed = host.startswith("[") and host.endswith("]")
    if not port.strip().isdigit() or (":" in host and not bracketed):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a port or HOST:PORT (write 8080, 10.42.0.1:8080 or [::]:8080)")
    number = like_setting(WebConfig, "port", whole_number)(port)
    host = host.removeprefix("[").removesuffix("]") if bracketed else host
    return (like_setting(WebConfig, "host")(host) if colon and host else None), number


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
    group.add_argument("--lead-in", type=like_setting(TimingConfig, "lead_in_s"), metavar="S",
                       help="get-ready countdown after a start press (default 5 s)")
    group.add_argument("--min-lap", type=like_setting(TimingConfig, "min_lap_s"), metavar="S",
                       help="ignore crossings sooner than S after GO or the last crossing "
                            "(default: half the target)")


def display_mode(args: argparse.Namespace) -> str:
    return args.display or "auto"


def add_beam_options(parser: argparse.ArgumentParser) -> None:
    """The beam sensor's serial port; each left out comes from the config's [beam]."""
    group = parser.add_argument_group("beam sensor")
    group.add_argument("--serial", type=like_setting(BeamConfig, "port"), metavar="PORT",
                       help="the sensor's serial port: /dev/serial/by-id/..., or auto")
    group.add_argument("--baud", type=like_setting(BeamConfig, "baud", whole_number),
                       metavar="N", help="baud rate (default 9600)")
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
        given |= {"pattern": None, "channels": None,  # the config's were for its protocol
                  "max_drift_ppm": None}
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


def web_settings(args: argparse.Namespace, configured: WebConfig) -> WebConfig:
    """The config's [web], turned on where `--web [HOST:]PORT` asks (the host: as configured
    when not given)."""
    if args.web is None:
        return configured
    host, port = args.web
    return configured.model_copy(update={"enabled": True, "port": port,
                                         "host": host or configured.host})
