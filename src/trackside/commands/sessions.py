"""What `history` and `export` share: the database options and the reader they give."""

from __future__ import annotations

import argparse
from pathlib import Path

from trackside.adapters.store_reader import SessionReader
from trackside.adapters.store_schema import default_path
from trackside.config import load_config


def add_db_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, metavar="FILE",
        help="the session database (default: $TRACKSIDE_DB, else the config's "
             "database.path, else /var/lib/trackside under systemd, else "
             "~/.local/share/trackside/trackside.db)",
    )
    parser.add_argument("--config", metavar="FILE",
                        help="the configuration file that names the database")


def reader(args: argparse.Namespace) -> SessionReader:
    if args.db:
        return SessionReader(args.db.expanduser())
    return SessionReader(default_path(load_config(args.config).database.path))
