"""What the commands about saved sessions and athletes share: the database options, the
reader and the athlete book they give, and what a session id may be.

The store and the config are imported when used, not with this module: `show` takes --db
only for --athlete, and starts without them.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trackside.adapters.athlete_book import AthleteBook
    from trackside.adapters.store_reader import SessionReader


def session_id(text: str) -> int:
    """An argparse type: a session's id, as `trackside history` lists them."""
    from trackside.adapters.store_reader import LARGEST_ID

    if not re.fullmatch(r"[0-9]{1,19}", text) or not 0 < int(text) <= LARGEST_ID:
        raise argparse.ArgumentTypeError(
            f"{text[:30]!r} is not a session id (a number that trackside history lists)")
    return int(text)


def add_db_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, metavar="FILE",
        help="the session database (default: $TRACKSIDE_DB, else the config's "
             "database.path, else /var/lib/trackside under systemd, else "
             "~/.local/share/trackside/trackside.db)",
    )
    parser.add_argument("--config", metavar="FILE",
                        help="the configuration file that names the database")


def database(args: argparse.Namespace) -> Path:
    """The database `--db` names, else the config's, else the default."""
    from trackside.adapters.store_schema import default_path
    from trackside.config import load_config

    if args.db:
        return Path(args.db).expanduser()
    return default_path(load_config(args.config).database.path)


def reader(args: argparse.Namespace) -> SessionReader:
    from trackside.adapters.store_reader import SessionReader

    return SessionReader(database(args))


def book(args: argparse.Namespace) -> AthleteBook:
    """The athletes, groups and fixes in that database."""
    from trackside.adapters.athlete_book import AthleteBook

    return AthleteBook(database(args))
