"""The options that run a plan with named athletes (`run`), and the roster they give: who, in
which start order, each with their own targets, how they start and rest."""

from __future__ import annotations

import argparse

from trackside.adapters.athlete_book import Athlete, AthleteBook
from trackside.commands.options import like_setting, seconds_up_to
from trackside.commands.plan_arguments import plan_warned, warned
from trackside.config import TimingConfig
from trackside.core.errors import UserError
from trackside.core.group import MAX_STAGGER_S, GroupSettings, RestFrom, Roster
from trackside.core.plan import Plan
from trackside.plan_source import on_track
from trackside.rosters import athletes_named, roster_for, saved_group


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
    try:
        settings = GroupSettings.chosen(
            args.stagger, RestFrom(args.rest_from) if args.rest_from else None,
            double_break_s if args.double_break is None else args.double_break)
    except ValueError as exc:
        raise UserError(f"--rest-from {args.rest_from}: {exc}") from None
    loaded, roster = roster_for(chosen, spec, pace=pace, max_speed=max_speed, lap_m=lap_m,
                                settings=settings)
    return warned(loaded), roster


def _chosen(args: argparse.Namespace, athletes: AthleteBook) -> list[Athlete]:
    if args.group is not None:
        try:
            return saved_group(athletes, args.group)
        except UserError as exc:
            raise UserError(f"--group {args.group}: {exc}") from None
    names = (args.athletes or "").split(",")
    if not any(name.strip() for name in names):
        return []
    try:
        return athletes_named(athletes, names)
    except UserError as exc:
        raise UserError(f"--athletes: {exc}") from None
