"""`trackside plans`: the built-in plans, one a line."""

from __future__ import annotations

import argparse

from trackside.plan_source import builtin_plans


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "The built-in plans: give a name as PLAN to show, run or demo.")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    plans = builtin_plans()
    width = max(len(name) for name, _ in plans)
    for name, description in plans:
        print(f"{name:<{width}}  {description}")
    return 0
