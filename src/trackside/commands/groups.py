"""`trackside groups`: the saved groups (`run --group NAME`): list them, save one (its
athletes in start order), remove one."""

from __future__ import annotations

import argparse

from trackside.commands.sessions import add_db_options, book
from trackside.core.errors import UserError

_ACTIONS = ("list", "save", "remove")
_MAX_NAME = 32


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
    name = (args.name or "").strip()
    if not name or len(name) > _MAX_NAME or not name.replace("-", "").replace("_", "").isalnum():
        raise UserError(f"groups {args.action}: a group's NAME is letters, digits, - and _, "
                        f"at most {_MAX_NAME} characters")
    if args.action == "remove":
        athletes.remove_group(name)
        print(f"removed the group {name}; the athletes stay on the list")
        return 0
    names = [part.strip() for part in (args.athletes or "").split(",") if part.strip()]
    if not names:
        raise UserError("groups save: give the athletes, comma-separated: Ana,Ben,Cam")
    members = [athletes.find(part) for part in names]
    if len({athlete.id for athlete in members}) != len(members):
        raise UserError("groups save: an athlete is named twice")
    athletes.save_group(name, members)
    print(f"saved {name}: {', '.join(athlete.name for athlete in members)}")
    return 0
