"""`trackside demo [PLAN]`: a whole session with a simulated athlete, sped up."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from trackside.app import RunConfig, run_session
from trackside.commands.made_up import add_group_options, plan_and_group
from trackside.commands.options import add_display_options, display_mode
from trackside.commands.plan_arguments import add_plan_arguments
from trackside.commands.simulate import SimulatedAthlete, SimulatedGroup
from trackside.core.events import Input
from trackside.core.schedule import expand
from trackside.runtime.clock import Clock

DEFAULT_PLAN = "hard-kick-500"
DEMO_LENGTH_S = 75.0  # real seconds a demo should take at the default speed
DEMO_WARMUP_S = 30.0  # the simulated athlete cuts the warmup and cooldown to this
DEMO_SUMMARY_S = 6.0  # real seconds the summary stays up (a press closes it sooner)


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
    add_group_options(parser, "own paces, on one beam; some reps they pass each other")
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
    plan, roster = plan_and_group(args)
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
