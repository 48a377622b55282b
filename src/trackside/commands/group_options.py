"""The options that run a plan with named athletes (`run`), and the roster they give: who, in
which start order, each with their own targets, how they start and rest."""

from __future__ import annotations

import argparse

from trackside.adapters.athlete_book import Athlete, AthleteBook
from trackside.commands.options import like_setting, seconds_up_to
from trackside.commands.plan_arguments import plan_warned
from trackside.config import TimingConfig
from trackside.core.errors import UserError
from trackside.core.group import MAX_ATHLETES, GroupSettings, RestFrom, Roster
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.plan_source import load_plan, on_track

MAX_STAGGER_S = 120.0


def add_group_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("athletes (from trackside athletes and groups)")
    who = group.add_mutually_exclusive_group()
    who.add_argument("--athletes", metavar="NAMES",
                     help="athletes on the list, comma-separated, in start order: Ana,Ben,Cam "
                          "(each with their own targets; one athlete runs as anyone alone)")
    who.add_argument("--group", metavar="NAME", help="a saved group (trackside groups)")
    group.add_argument("--stagger", type=seconds_up_to(MAX_STAGGER_S), metavar="S",
                       help="start athlete i at GO + i x S (10s); default: all together")
    group.add_argument("--rest-from", choices=[rest.value for rest in RestFrom],
                       help="a group started together rests from the first finisher, the last "
                            "(default: nobody rests less) or each one's own finish; a "
                            "staggered one from each one's own")
    group.add_argument("--double-break", metavar="S",
                       type=like_setting(TimingConfig, "double_break_s"),
                       help="beam breaks closer than S are one body's, one crossing (default "
                            "the config's, 0.3 s)")


def roster_from_args(args: argparse.Namespace, athletes: AthleteBook, spec: str, *,
                     pace: str | None, max_speed: str | None, lap_m: float,
                     double_break_s: float) -> tuple[Plan, Roster | None]:
    """The plan to run and its athletes (None: nobody named): each athlete's plan is `spec`
    read with their own references, on the configured lap; a group's is its first one's."""
    chosen = _chosen(args, athletes)
    group_options = [option for option, value in (
        ("--stagger", args.stagger), ("--rest-from", args.rest_from),
        ("--double-break", args.double_break)) if value is not None]
    if group_options and len(chosen) < 2:
        raise UserError(f"{group_options[0]}: for a group of athletes (--athletes Ana,Ben or "
                        "--group NAME)")
    if not chosen:
        return on_track(plan_warned(spec, pace=pace, max_speed=max_speed), spec, lap_m), None
    plans = []
    for number, athlete in enumerate(chosen):
        try:  # the warnings about the plan once, with the first athlete's
            plan = (plan_warned if number == 0 else load_plan)(
                spec, pace=pace, max_speed=max_speed, athlete=athlete.profile)
        except UserError as exc:
            raise UserError(f"{athlete.name}: {exc}") from None
        plans.append(on_track(plan, spec, lap_m))
    try:
        settings = _settings(args, double_break_s)
        roster = Roster(tuple(athlete.name for athlete in chosen),
                        tuple(expand(plan) for plan in plans), settings,
                        tuple(athlete.id for athlete in chosen))
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return plans[0], roster


def _chosen(args: argparse.Namespace, athletes: AthleteBook) -> list[Athlete]:
    if args.group is not None:
        chosen = athletes.group(args.group)
        if not chosen:
            raise UserError(f"--group {args.group}: nobody is left in it (trackside groups "
                            "save it again)")
        return chosen
    names = [name.strip() for name in (args.athletes or "").split(",") if name.strip()]
    if len(names) > MAX_ATHLETES:
        raise UserError(f"--athletes: at most {MAX_ATHLETES} athletes run as a group "
                        f"(got {len(names)})")
    chosen = [athletes.find(name) for name in names]
    if len({athlete.id for athlete in chosen}) != len(chosen):
        raise UserError("--athletes: an athlete is named twice")
    return chosen


def _settings(args: argparse.Namespace, double_break_s: float) -> GroupSettings:
    double_break = double_break_s if args.double_break is None else args.double_break
    if args.stagger:
        rest_from = RestFrom(args.rest_from or RestFrom.EACH.value)
        return GroupSettings(args.stagger, rest_from, double_break)
    return GroupSettings(0.0, RestFrom(args.rest_from or RestFrom.LAST.value), double_break)
