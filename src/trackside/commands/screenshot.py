"""`trackside screenshot PLAN --at SECONDS --size WxH --out FILE.png`: the display, drawn.

Runs the plan with a simulated athlete exactly on target (on a fake clock, in a moment), or
a made-up group (`--athletes N [--stagger S]`, as the demo's), and draws what the window
would show SECONDS after the first rep started. For the docs and for checking a layout at a
size without the screen at hand. Needs no display.
"""

from __future__ import annotations

import argparse

from trackside.adapters.display import render_png
from trackside.commands.made_up import add_group_options, plan_and_group
from trackside.commands.options import screen_size, seconds
from trackside.commands.plan_arguments import add_plan_arguments
from trackside.commands.simulate import view_at
from trackside.core.errors import UserError
from trackside.core.schedule import expand

DEFAULT_SIZE = (1920, 1080)


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Draw the display as it would be SECONDS after the first rep started, "
        "with a simulated athlete exactly on target, and save it as a PNG.")
    add_plan_arguments(parser)
    add_group_options(parser, "own targets, exactly on them")
    parser.add_argument("--at", type=seconds, required=True, metavar="SECONDS",
                        help="seconds after the first GO (90, 1:30, 2min)")
    parser.add_argument("--size", type=screen_size, default=DEFAULT_SIZE, metavar="WxH",
                        help="picture size (default 1920x1080; 1080x1920 is portrait)")
    parser.add_argument("--out", type=_png, required=True, metavar="FILE.png",
                        help="where to save the picture")
    parser.add_argument("--theme", choices=("day", "night"), default="day",
                        help="day: maximum contrast (default); night")
    parser.set_defaults(run=_run)


def _png(text: str) -> str:
    if not text.lower().endswith(".png"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a .png file name")
    return text


def _run(args: argparse.Namespace) -> int:
    plan, roster = plan_and_group(args)
    view = view_at(expand(plan), args.at, roster=roster)
    try:
        render_png(view, args.at, args.size, args.out, args.theme)
    except (OSError, RuntimeError) as exc:  # pygame.error is a RuntimeError
        raise UserError(f"cannot write {args.out}: {exc}") from None
    print(f"{args.out}: {view.phase.value} at {args.at:g} s, {args.size[0]}x{args.size[1]}")
    return 0
