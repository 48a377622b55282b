"""A made-up group, for `demo` and `screenshot` (`--athletes N [--stagger S]`): N athletes
4 % apart in pace around the plan's own, each running it on their own targets.

Rules for this module:
  1. The athletes are named Ana, Ben, Cam, ... fastest first; their paces (and top speeds)
     spread around the plan's references, else 4:30/km (and 8 m/s), so a plan whose
     targets need an athlete (@pace, @5k) runs too.
  2. One athlete is no group: the plan as given, no roster; `--stagger` without a group
     is refused, one line.
"""

from __future__ import annotations

import argparse

from trackside.commands.options import seconds_up_to, whole_number
from trackside.commands.plan_arguments import plan_from_args, plan_warned
from trackside.core.athletes import Profile
from trackside.core.errors import UserError
from trackside.core.group import MAX_ATHLETES, MAX_STAGGER_S, GroupSettings, Roster
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.plan_source import load_plan

NAMES = ("Ana", "Ben", "Cam", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jon", "Kai", "Lea")
PACE = 0.27  # s/m, 4:30/km: a made-up group's middle pace when the plan has none
TOP_SPEED = 8.0  # m/s, likewise for percentage targets
SPREAD = 0.04  # the made-up athletes' paces, this far apart


def add_group_options(parser: argparse.ArgumentParser, what: str) -> None:
    """--athletes N and --stagger S; `what`: how the group is used ('own paces, on one
    beam; some reps they pass each other')."""
    parser.add_argument("--athletes", type=_athletes, default=1, metavar="N",
                        help=f"a group of N simulated athletes (2-{MAX_ATHLETES}) at their {what}")
    parser.add_argument("--stagger", type=seconds_up_to(MAX_STAGGER_S), metavar="S",
                        help="with --athletes: start athlete i at GO + i x S")


def plan_and_group(args: argparse.Namespace) -> tuple[Plan, Roster | None]:
    """The plan as the first athlete runs it, and the made-up group (None: one athlete)."""
    if args.athletes > 1:
        return _group(args)
    if args.stagger is not None:
        raise UserError("--stagger: for a group (--athletes N)")
    return plan_from_args(args), None


def _group(args: argparse.Namespace) -> tuple[Plan, Roster]:
    try:
        own = load_plan(args.plan, pace=args.pace, max_speed=args.max_speed)
        middle, top = own.pace or PACE, own.max_speed or TOP_SPEED
    except UserError:  # its targets need an athlete's references: the made-up ones'
        middle, top = PACE, TOP_SPEED
    plans = []
    for number in range(args.athletes):
        factor = 1 + SPREAD * (number - (args.athletes - 1) / 2)
        profile = Profile(name=NAMES[number], pace=middle * factor,
                          races=(("5k", middle * factor * 5000),), max_speed=top / factor)
        read = plan_warned if number == 0 else load_plan  # the warnings once
        plans.append(read(args.plan, pace=args.pace, max_speed=args.max_speed,
                          athlete=profile))
    settings = GroupSettings.staggered(args.stagger) if args.stagger else GroupSettings()
    return plans[0], Roster(NAMES[:args.athletes], tuple(expand(plan) for plan in plans),
                            settings)


def _athletes(text: str) -> int:
    count = whole_number(text)
    if not 1 <= count <= MAX_ATHLETES:
        raise argparse.ArgumentTypeError(f"a group is 1 to {MAX_ATHLETES} athletes")
    return count
