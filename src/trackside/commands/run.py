"""`trackside run [PLAN]`: run a workout for real."""

from __future__ import annotations

import argparse

from trackside.app import RunConfig, run_session
from trackside.commands.options import (
    add_beam_options,
    add_display_options,
    add_timing_options,
)
from trackside.commands.plan_arguments import add_plan_arguments
from trackside.config import Config, load_config
from trackside.core.sensor_lines import build_protocol
from trackside.plan_source import load_plan


def add_to(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "run", help="run a workout",
        description="Run a workout with the button, the buzzer and (optionally) a beam. "
        "Options given here win over the configuration file.")
    add_plan_arguments(parser, default="", default_help="the config's plan.default")
    parser.add_argument("--config", metavar="FILE", help="the configuration file to read")
    add_display_options(parser)
    add_timing_options(parser)
    add_beam_options(parser)
    parser.add_argument("--events", metavar="FILE", help="append a JSON Lines event log to FILE")
    parser.add_argument("--db", metavar="FILE",
                        help="the session database (default: the config's, else "
                             "~/.local/share/trackside/trackside.db)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the newest unfinished session (after a crash, a kill "
                             "or a power cut); with none, run PLAN")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    return run_session(run_config(args, config))


def run_config(args: argparse.Namespace, config: Config) -> RunConfig:
    """The settings for this run: the command line over the config file over the defaults."""
    spec = args.plan or config.plan.default
    plan = load_plan(spec, pace=args.pace or config.plan.pace,
                     max_speed=args.max_speed or config.plan.max_speed)
    given = {key: value for key, value in
             (("port", args.serial), ("baud", args.baud), ("protocol", args.protocol))
             if value is not None}
    if args.protocol is not None and args.protocol != config.beam.protocol:
        given |= {"pattern": None, "channels": None,  # the config's were for its protocol
                  "max_drift_ppm": None}
    if args.pattern is not None:
        given["pattern"] = args.pattern
    if args.channels is not None:
        given["channels"] = tuple(part.strip() for part in args.channels.split(","))
    if given:  # the same check as the config file's [beam]: one line, exit 2
        build_protocol(given.get("protocol", config.beam.protocol),
                       pattern=given.get("pattern", config.beam.pattern),
                       channels=given.get("channels", config.beam.channels),
                       max_drift_ppm=given.get("max_drift_ppm", config.beam.max_drift_ppm))
    if given:
        config = config.model_copy(update={"beam": config.beam.model_copy(update=given)})
    return RunConfig(
        plan=plan, plan_spec=spec, config=config,
        display=args.display or config.display.mode,
        size=args.size or config.display.size,
        theme=args.theme or config.display.theme,
        lead_in_s=config.timing.lead_in_s if args.lead_in is None else args.lead_in,
        min_lap_s=config.timing.min_lap_s if args.min_lap is None else args.min_lap,
        events_path=args.events, db_path=args.db, resume=args.resume,
    )
