"""`trackside groups`: the saved groups (`run --group NAME`): list them, save one (its
athletes in start order), remove one."""

from __future__ import annotations

import argparse

from trackside.commands.sessions import add_db_options, book
from trackside.core.errors import UserError
from trackside.rosters import group_name, save_group

_ACTIONS = ("list", "save", "remove")


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Saved groups of athletes, for `run --group NAME`: `groups save tuesday Ana,Ben,Cam` "
        "(the start order, for a staggered start too), `groups remove tuesday`, `groups` "
        "lists them.")
    parser.add_argument("action", nargs="?", choices=_ACTIONS, default="list",
                        help="list (the default), save or remove")
    parser.add_argument("name", nargs="?", metavar="NAME", help="the group (save, remove)")
    parser.add_argument("athletes", nargs="?", metavar="NAMES",
                        help="save: the athletes on the list, comma-separated, in start order")
    add_db_options(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    athletes = book(args)
    if args.action == "list":
        saved = athletes.groups()
        for name, members in saved:
            print(f"{name}: {', '.join(athlete.name for athlete in members) or 'nobody left'}")
        if not saved:
            print("no groups yet: trackside groups save NAME Ana,Ben,Cam")
        return 0
    if not args.name:
        raise UserError(f"groups {args.action}: give the group's NAME")
    if args.action == "remove":
        name = group_name(args.name)
        athletes.remove_group(name)
        print(f"removed the group {name}; the athletes stay on the list")
        return 0
    name, members = save_group(athletes, args.name, (args.athletes or "").split(","))
    print(f"saved {name}: {', '.join(athlete.name for athlete in members)}")
    return 0
