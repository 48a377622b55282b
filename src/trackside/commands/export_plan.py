"""`trackside export-plan PLAN --out FILE.fit`: a plan as a FIT workout file for a watch."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from trackside.commands.plan_arguments import add_plan_arguments, plan_from_args
from trackside.output_file import write_whole


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write a plan as a FIT workout: every rep, rest and set break a step, "
        "targets as the athlete's speed range. Copy it to the watch's "
        "GARMIN/NewFiles folder. Trackside reads it back as the same plan.")
    add_plan_arguments(parser)
    parser.add_argument("--format", choices=("fit",), default="fit",
                        help="the file's format (fit: the only one so far)")
    parser.add_argument("--out", type=Path, metavar="FILE", required=True,
                        help="the file to write, e.g. workout.fit")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    # Imported here: every other command starts quicker without them (the FIT SDK above all).
    from trackside.core.plan_as_workout import workout_of
    from trackside.formats.fit_workout import workout_file

    plan = plan_from_args(args)
    data, notes = workout_file(workout_of(plan), datetime.now(UTC))
    for note in notes:
        print(f"trackside: warning: {note}", file=sys.stderr)
    write_whole(args.out, data)
    print(f"workout {plan.name!r} written to {args.out} (FIT)")
    return 0
