"""`trackside config`: print a commented example, or check a configuration file."""

from __future__ import annotations

import argparse
from importlib import resources

from trackside.config import config_path, load_config
from trackside.core.errors import UserError
from trackside.plan_source import load_plan, on_track


def example_text() -> str:
    return resources.files("trackside").joinpath("config.example.toml").read_text("utf-8")


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print a fully commented example configuration (--example), or check "
        "a configuration file, and the default plan it names, and print the settings it "
        "gives (--check).")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--example", action="store_true", help="print a commented example")
    what.add_argument("--check", nargs="?", const="", metavar="FILE",
                      help="check FILE (default: the file trackside would read)")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    if args.example:
        print(example_text(), end="")
        return 0
    path = config_path(args.check or None)
    config = load_config(args.check or None)
    try:  # what `trackside run` runs with no PLAN, on the track's lap: said now, not there
        plan = load_plan(config.plan.default, pace=config.plan.pace,
                         max_speed=config.plan.max_speed)
        on_track(plan, config.plan.default, config.timing.lap_m)
    except UserError as exc:
        raise UserError(f"{path or 'the defaults'}, plan.default: {exc}") from None
    print(f"{path or 'no configuration file'}: OK")
    for section, values in config.model_dump().items():
        settings = ", ".join(f"{key}={value!r}" for key, value in values.items())
        print(f"  [{section}] {settings}")
    return 0
