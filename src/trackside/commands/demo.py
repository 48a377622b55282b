"""`trackside demo [PLAN]`: a whole session with a simulated athlete, sped up."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from trackside.app import RunConfig, run_session
from trackside.commands.options import (
    add_display_options,
    display_mode,
    seconds_up_to,
    whole_number,
)
from trackside.commands.plan_arguments import add_plan_arguments, plan_from_args, plan_warned
from trackside.commands.simulate import SimulatedAthlete, SimulatedGroup
from trackside.core.athletes import Profile
from trackside.core.errors import UserError
from trackside.core.events import Input
from trackside.core.group import MAX_ATHLETES, MAX_STAGGER_S, GroupSettings, Roster
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.plan_source import load_plan
from trackside.runtime.clock import Clock

DEFAULT_PLAN = "hard-kick-500"
DEMO_LENGTH_S = 75.0  # real seconds a demo should take at the default speed
DEMO_WARMUP_S = 30.0  # the simulated athlete cuts the warmup and cooldown to this
DEMO_SUMMARY_S = 6.0  # real seconds the summary stays up (a press closes it sooner)
DEMO_NAMES = ("Ana", "Ben", "Cam", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jon", "Kai", "Lea")
DEMO_PACE = 0.27  # s/m, 4:30/km: a made-up group's middle pace when the plan has none
DEMO_TOP_SPEED = 8.0  # m/s, likewise for percentage targets
DEMO_SPREAD = 0.04  # the made-up athletes' paces, this far apart


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Run a whole session with a simulated athlete (near target, a little "
        "noise; it presses the button at set breaks) on a sped-up clock. Nothing is saved "
        "to the session database.")
    add_plan_arguments(parser, default=DEFAULT_PLAN)
    parser.add_argument("--speed", type=_speed, default=None, metavar="X",
                        help=f"clock speed-up (default: the session lasts about "
                             f"{DEMO_LENGTH_S:.0f} s)")
    parser.add_argument("--seed", type=int, default=1, help="the simulated athlete's luck")
    parser.add_argument("--athletes", type=_athletes, default=1, metavar="N",
                        help=f"a group of N simulated athletes (2-{MAX_ATHLETES}) at their "
                             "own paces, on one beam; some reps they pass each other")
    parser.add_argument("--stagger", type=seconds_up_to(MAX_STAGGER_S), metavar="S",
                        help="with --athletes: start athlete i at GO + i x S")
    add_display_options(parser)
    parser.add_argument("--events", metavar="FILE", help="append a JSON Lines event log to FILE")
    parser.set_defaults(run=_run)


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0.1 <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a speed-up between 0.1 and 10000")
    return value


def _run(args: argparse.Namespace) -> int:
    if args.athletes > 1:
        plan, roster = _group(args)
    elif args.stagger is not None:
        raise UserError("--stagger: for a group (--athletes N)")
    else:
        plan, roster = plan_from_args(args), None
    cut = sum(max(0.0, (length or 0.0) - DEMO_WARMUP_S) for length in (plan.warmup, plan.cooldown))
    speed = args.speed or max(1.0, (expand(plan).estimated_total_s - cut) / DEMO_LENGTH_S)

    def athlete(put: Callable[[Input], None], clock: Clock) -> SimulatedAthlete:
        return SimulatedAthlete(put, clock, seed=args.seed, warmup_s=DEMO_WARMUP_S,
                                runs=roster is None)

    def group(put: Callable[[Input], None], clock: Clock) -> SimulatedGroup:
        return SimulatedGroup(put, clock, seed=args.seed)

    return run_session(RunConfig(
        plan=plan, plan_spec=args.plan, display=display_mode(args), size=args.size,
        theme=args.theme or "day", events_path=args.events, speed=speed, simulate=True,
        record=False, summary_s=DEMO_SUMMARY_S, roster=roster,
    ), participants=[athlete, *([group] if roster else [])])


def _group(args: argparse.Namespace) -> tuple[Plan, Roster]:
    """N made-up athletes, 4 % apart in pace (and top speed) around the plan's own, else
    4:30/km (and 8 m/s), fastest first; the plan as the first of them runs it."""
    try:
        own = load_plan(args.plan, pace=args.pace, max_speed=args.max_speed)
        middle, top = own.pace or DEMO_PACE, own.max_speed or DEMO_TOP_SPEED
    except UserError:  # its targets need an athlete's references: the made-up ones'
        middle, top = DEMO_PACE, DEMO_TOP_SPEED
    plans = []
    for number in range(args.athletes):
        factor = 1 + DEMO_SPREAD * (number - (args.athletes - 1) / 2)
        profile = Profile(name=DEMO_NAMES[number], pace=middle * factor,
                          races=(("5k", middle * factor * 5000),), max_speed=top / factor)
        read = plan_warned if number == 0 else load_plan  # the warnings once
        plans.append(read(args.plan, pace=args.pace, max_speed=args.max_speed,
                          athlete=profile))
    settings = GroupSettings.staggered(args.stagger) if args.stagger else GroupSettings()
    return plans[0], Roster(DEMO_NAMES[:args.athletes], tuple(expand(plan) for plan in plans),
                            settings)


def _athletes(text: str) -> int:
    count = whole_number(text)
    if not 1 <= count <= MAX_ATHLETES:
        raise argparse.ArgumentTypeError(f"a demo group is 1 to {MAX_ATHLETES} athletes")
    return count
