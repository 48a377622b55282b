"""`trackside run PLAN`: run a workout for real."""

from __future__ import annotations

import argparse

from trackside.app import RunConfig, run_session
from trackside.commands.options import add_display_options, add_timing_options, display_mode
from trackside.plan_source import load_plan


def add_to(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "run", help="run a workout", description="Run a workout: PLAN is a TOML file, a "
        "built-in plan name or the whiteboard notation (see `trackside plans`).")
    parser.add_argument("plan", metavar="PLAN", help="a .toml file, a built-in name, or notation")
    parser.add_argument("--pace", help="the athlete's race pace for `pace` targets, e.g. 4:30/km")
    parser.add_argument("--max-speed", help="reference speed for %% targets, e.g. 8.5m/s")
    add_display_options(parser)
    add_timing_options(parser)
    parser.add_argument("--events", metavar="FILE", help="append a JSON Lines event log to FILE")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    plan = load_plan(args.plan, pace=args.pace, max_speed=args.max_speed)
    return run_session(RunConfig(
        plan=plan, plan_spec=args.plan, display=display_mode(args), size=args.size,
        theme=args.theme, lead_in_s=args.lead_in, min_lap_s=args.min_lap,
        events_path=args.events,
    ))
