"""`trackside athletes`: the athletes on the list, with what their paces come from; add one,
edit one, remove one (their sessions keep them)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from trackside.adapters.athlete_book import AthleteBook
from trackside.commands.sessions import add_db_options, book
from trackside.core.athletes import Profile, profile_data, profile_line
from trackside.core.errors import UserError
from trackside.core.plan_limits import check_pace, check_speed
from trackside.core.printable import one_line
from trackside.core.problems import first_problem
from trackside.core.races import RACES, Race, check_race_time
from trackside.core.units import parse_duration, parse_pace, parse_speed

_ACTIONS = ("list", "add", "edit", "remove")


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "The athletes on the list and what their paces come from: race times (a race they "
        "have not run is worked out from the nearest one they have, by Riegel's formula), "
        "the race pace of @pace targets and the top speed of percentage targets. "
        "`athletes add NAME --10k 38:30 --max-speed 8.5m/s`, `athletes edit NAME --5k 18:40`, "
        "`athletes remove NAME` (their sessions keep them).")
    parser.add_argument("action", nargs="?", choices=_ACTIONS, default="list",
                        help="list (the default), add, edit or remove")
    parser.add_argument("name", nargs="?", metavar="NAME", help="the athlete (add, edit, remove)")
    races = parser.add_argument_group("race times (add, edit)")
    for race in RACES.values():
        races.add_argument(f"--{race.name}", dest=f"race_{race.name}", metavar="TIME",
                           type=_race_time(race), help=f"their {race.label} time")
    paces = parser.add_argument_group("paces (add, edit)")
    paces.add_argument("--pace", type=_checked(parse_pace, check_pace), metavar="PACE",
                       help="the race pace of @pace targets: 4:30/km, 7:15/mi")
    paces.add_argument("--max-speed", type=_checked(parse_speed, check_speed), metavar="SPEED",
                       help="the top speed of percentage targets: 8.5m/s or 11.8s/100m")
    paces.add_argument("--name", dest="rename", metavar="NEW", help="edit: a new name")
    paces.add_argument("--forget", metavar="WHAT", help="edit: drop these, comma-separated: "
                                                        f"{', '.join(RACES)}, pace, max-speed")
    parser.add_argument("--json", action="store_true", help="list: print a JSON list instead")
    add_db_options(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    athletes = book(args)
    if args.action == "list":
        return _list(args, athletes)
    if not args.name:
        raise UserError(f"athletes {args.action}: give the athlete's NAME")
    if args.action == "add":
        profile = _profile({"name": args.name, **_given(args)})
        athletes.add(profile)
        print(f"added {profile_line(profile)}")
    elif args.action == "edit":
        athlete = athletes.find(args.name)
        forgotten, given = _forgotten(args.forget), _given(args)
        races = {race: time for race, time in athlete.profile.races if race not in forgotten}
        data = (athlete.profile.model_dump() | {key: None for key in forgotten - set(RACES)}
                | given | {"races": races | given["races"]})
        profile = _profile(data | ({"name": args.rename} if args.rename else {}))
        athletes.update(athlete, profile)
        print(f"now {profile_line(profile)}")
    else:
        name, left = athletes.remove(args.name)
        groups = f", and from the groups {', '.join(left)}" if left else ""
        print(f"removed {one_line(name)} from the list{groups}; their sessions keep them")
    return 0


def _list(args: argparse.Namespace, athletes: AthleteBook) -> int:
    everyone = athletes.athletes()
    if args.json:
        print(json.dumps([profile_data(athlete.profile) for athlete in everyone], indent=2))
    elif not everyone:
        print("no athletes yet: trackside athletes add NAME --5k 21:30")
    else:
        print("\n".join(profile_line(athlete.profile) for athlete in everyone))
    return 0


def _given(args: argparse.Namespace) -> dict[str, Any]:
    given: dict[str, Any] = {"races": {race: getattr(args, f"race_{race}") for race in RACES
                                       if getattr(args, f"race_{race}") is not None}}
    if args.pace is not None:
        given["pace"] = args.pace
    if args.max_speed is not None:
        given["max_speed"] = args.max_speed
    return given


def _forgotten(text: str | None) -> set[str]:
    keys = {part.strip().lower().replace("-", "_") for part in (text or "").split(",")} - {""}
    unknown = keys - {"pace", "max_speed", *RACES}
    if unknown:
        raise UserError(f"--forget: {', '.join(sorted(unknown))} is not a race, pace or "
                        "max-speed")
    return keys


def _profile(data: dict[str, Any]) -> Profile:
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        problem = first_problem(exc)
        raise UserError(f"{problem.key or 'athlete'}: {problem.message}") from None


def _race_time(race: Race) -> Callable[[str], float]:
    def convert(text: str) -> float:
        try:
            return check_race_time(race, parse_duration(text))
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def _checked(parse: Callable[[str], float], check: Callable[[float], float]
             ) -> Callable[[str], float]:
    def convert(text: str) -> float:
        try:
            return check(parse(text))
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert
