"""What `history` and `export` share: the database options and a session as JSON."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from trackside.adapters.store_reader import SessionReader, SessionRow
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


def session_fields(row: SessionRow) -> dict[str, Any]:
    """A session as JSON: the keys scripts rely on first."""
    return {
        "id": row.id,
        "plan": row.plan_name,
        "started_at": row.started_utc.isoformat(timespec="seconds"),
        "status": row.status.value,
        "reps_done": row.reps_done,
        "reps_planned": row.reps_planned,
        "finished_at": (row.finished_utc.isoformat(timespec="seconds")
                        if row.finished_utc else None),
        "plan_spec": row.plan_spec,
        "mean_delta_s": seconds(row.mean_delta_s),
    }


def seconds(value: float | None) -> float | None:
    """To the millisecond: finer than any stamp we take, and no float noise."""
    return None if value is None else round(value, 3)
