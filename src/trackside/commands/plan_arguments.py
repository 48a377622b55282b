"""The PLAN argument and the options that fit a plan to the athlete, for every command that
takes a plan (show, run, demo): one spelling, one way of reading it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from trackside.core.athletes import Profile
from trackside.core.plan import LoadedPlan, Plan
from trackside.plan_source import read_plan

PLAN_HELP = (
    "a plan file (.toml), a workout file (FIT .fit, intervals.icu text .txt), a built-in "
    "plan (see `trackside plans`) or a notation such as '3x(4x400m @4:55/km r60,45,30) "
    "sb3:00' (quote it when it holds ';' or brackets)"
)


class _Words(argparse.Action):
    """PLAN may come as several words: `trackside show 4x400m @75s r60` needs no quotes."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        words = [values] if isinstance(values, str) else list(values or [])
        setattr(namespace, self.dest, " ".join(words))


def add_plan_arguments(parser: argparse.ArgumentParser, default: str | None = None,
                       default_help: str | None = None) -> None:
    """Add PLAN (optional when there is a `default`), --pace and --max-speed.

    `plan_from_args` reads them back; `args.plan` is the PLAN text as one string ("" when
    it was left out and the default is "": the caller then chooses, e.g. from the config).
    """
    if default is None:
        parser.add_argument("plan", metavar="PLAN", nargs="+", action=_Words, help=PLAN_HELP)
    else:
        parser.add_argument("plan", metavar="PLAN", nargs="*", action=_Words, default=default,
                            help=f"{PLAN_HELP}; default {default_help or default}")
    parser.add_argument(
        "--pace",
        metavar="PACE",
        help="the athlete's race pace, for 'pace' targets: 4:30/km, 7:15/mi or 15s/100m",
    )
    parser.add_argument(
        "--max-speed",
        metavar="SPEED",
        help="top speed, the 100 %% of percentage targets: 8.5m/s or 11.8s/100m",
    )


def plan_from_args(args: argparse.Namespace) -> Plan:
    """The plan the user asked for (`args.plan` is the PLAN text as one string)."""
    return plan_warned(args.plan, pace=args.pace, max_speed=args.max_speed)


def plan_warned(spec: str, *, pace: str | None, max_speed: str | None,
                athlete: Profile | None = None) -> Plan:
    """The plan `spec` names (as `athlete` runs it, if given); what in it will not be used is
    said on stderr, one line each."""
    return warned(read_plan(spec, pace=pace, max_speed=max_speed, athlete=athlete))


def warned(loaded: LoadedPlan) -> Plan:
    """The plan, what in it will not be used said on stderr, one line each."""
    for warning in loaded.warnings:
        print(f"trackside: warning: {warning}", file=sys.stderr)
    return loaded.plan
