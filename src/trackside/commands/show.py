"""`trackside show PLAN`: the plan read back in plain English, its canonical notation and the
steps it expands to, as text or as one JSON object. Warnings go to stderr (plan_arguments)."""

from __future__ import annotations

import argparse
import json

from trackside.commands.plan_arguments import add_plan_arguments, plan_from_args
from trackside.core.notation_writer import plan_notation
from trackside.core.reading import header_lines, plan_sentences
from trackside.core.schedule import expand
from trackside.core.timeline import schedule_dict, timeline_lines


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print a plan as Trackside reads it: a sentence for each block, the "
        "plan in notation, then every step (reps with their targets and paces, rests, set "
        "breaks) and the estimated total.")
    add_plan_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    plan = plan_from_args(args)
    schedule = expand(plan)
    notation = plan_notation(plan)
    if args.json:
        shown = {**schedule_dict(schedule), "notation": notation, "reading": plan_sentences(plan)}
        print(json.dumps(shown, indent=2))
        return 0
    print("\n".join(header_lines(plan)))
    print()
    print("\n".join(f"  {sentence}." for sentence in plan_sentences(plan)))
    print()
    if notation != plan.name:
        print(f"as notation: {notation}")
        print()
    *steps, total = timeline_lines(schedule)
    print("\n".join(f"  {line}" for line in steps))
    print()
    print(total)
    return 0
