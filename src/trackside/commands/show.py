"""`trackside show PLAN`: the plan read back in plain English, its canonical notation and the
steps it expands to, as text or as one JSON object. Warnings go to stderr (plan_arguments)."""

from __future__ import annotations

import argparse
import json

from trackside.commands.plan_arguments import add_plan_arguments, plan_warned
from trackside.commands.sessions import add_db_options, book
from trackside.core.athletes import reference_lines
from trackside.core.errors import UserError
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
    parser.add_argument("--athlete", metavar="NAME",
                        help="with this athlete's paces (trackside athletes), and say which "
                             "target comes from which of them")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    add_db_options(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    profile = book(args).find(args.athlete).profile if args.athlete else None
    try:
        plan = plan_warned(args.plan, pace=args.pace, max_speed=args.max_speed, athlete=profile)
    except UserError as exc:
        raise UserError(f"{profile.name}: {exc}" if profile else str(exc)) from None
    schedule = expand(plan)
    notation = plan_notation(plan)
    if args.json:
        shown = {**schedule_dict(schedule), "notation": notation, "reading": plan_sentences(plan)}
        if profile is not None:
            shown |= {"athlete": profile.name, "references": reference_lines(plan, profile)}
        print(json.dumps(shown, indent=2))
        return 0
    print("\n".join(header_lines(plan)))
    if profile is not None:
        print("\n".join(f"{profile.name}'s targets, {line}" for line in
                        reference_lines(plan, profile)) or f"{profile.name}: no target of "
              "this plan depends on an athlete")
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
