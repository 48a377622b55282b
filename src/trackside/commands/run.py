"""`trackside run [PLAN]`: run a workout for real."""

from __future__ import annotations

import argparse

from trackside.app import RunConfig, run_session
from trackside.commands.group_options import add_group_options, roster_from_args
from trackside.commands.options import (
    add_beam_options,
    add_display_options,
    add_timing_options,
    beam_settings,
    like_setting,
    web_address,
    web_settings,
)
from trackside.commands.plan_arguments import add_plan_arguments
from trackside.commands.sessions import book, session_id
from trackside.config import Config, DatabaseConfig, load_config


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Run a workout with the button, the buzzer and (optionally) a beam. "
        "Options given here win over the configuration file.")
    add_plan_arguments(parser, default="", default_help="the config's plan.default")
    parser.add_argument("--config", metavar="FILE", help="the configuration file to read")
    add_display_options(parser)
    add_timing_options(parser)
    add_beam_options(parser)
    add_group_options(parser)
    parser.add_argument("--events", metavar="FILE", help="append a JSON Lines event log to FILE")
    parser.add_argument("--db", type=like_setting(DatabaseConfig, "path"), metavar="FILE",
                        help="the session database (default: the config's, else "
                             "~/.local/share/trackside/trackside.db)")
    parser.add_argument("--web", type=web_address, metavar="[HOST:]PORT",
                        help="serve the coach's phone page on PORT (of HOST: default every "
                             "address, 0.0.0.0), as the config's [web] does")
    parser.add_argument("--resume", nargs="?", const=0, type=session_id, metavar="ID",
                        help="continue session ID, else the newest unfinished one (after a "
                             "crash, a kill or a power cut); with none, run PLAN (give PLAN "
                             "before --resume)")
    parser.add_argument("--again", action="store_true",
                        help="after each session, wait at READY for the next one (the same "
                             "plan, or one a phone picks) instead of exiting: only a quit "
                             "ends the run (the appliance's service runs so)")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    return run_session(run_config(args, config))


def run_config(args: argparse.Namespace, config: Config) -> RunConfig:
    """The settings for this run: the command line over the config file over the defaults."""
    spec = args.plan or config.plan.default
    plan, roster = roster_from_args(
        args, book(args), spec, pace=args.pace or config.plan.pace,
        max_speed=args.max_speed or config.plan.max_speed, lap_m=config.timing.lap_m,
        double_break_s=config.timing.double_break_s)
    if (beam := beam_settings(args, config.beam)) is not config.beam:
        config = config.model_copy(update={"beam": beam})
    if (web := web_settings(args, config.web)) is not config.web:
        config = config.model_copy(update={"web": web})
    return RunConfig(
        plan=plan, plan_spec=spec, config=config,
        display=args.display or config.display.mode,
        size=args.size or config.display.size,
        theme=args.theme or config.display.theme,
        lead_in_s=config.timing.lead_in_s if args.lead_in is None else args.lead_in,
        min_lap_s=config.timing.min_lap_s if args.min_lap is None else args.min_lap,
        events_path=args.events, db_path=args.db, resume=args.resume is not None,
        resume_id=args.resume or None, again=args.again, roster=roster,
    )

