"""Options shared by `run` and `demo`: where to show the timer and how to time it.

Each converter raises argparse.ArgumentTypeError, so a bad value is one line and exit 2.
"""

from __future__ import annotations

import argparse
import re

from trackside.core.units import parse_duration


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


def web_address(text: str) -> tuple[str, int]:
    """'8080' or '10.42.0.1:8080' or '[::]:8080' -> (host or '', port)."""
    host, _, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if not port.isdigit() or int(port) > 65535 or (":" in host and not text.startswith("[")):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a port or HOST:PORT (write 8080 or 10.42.0.1:8080)")
    return host, int(port)


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
