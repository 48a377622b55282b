"""`trackside history`: the saved sessions, newest first."""

from __future__ import annotations

import argparse
import json
import logging

from trackside.adapters.store_values import SessionRow
from trackside.commands.sessions import add_db_options, reader
from trackside.core.rep_words import signed
from trackside.core.wall_anchor import ClockSource
from trackside.session_files import session_fields

log = logging.getLogger(__name__)

_HEADINGS = ("ID", "PLAN", "STARTED", "STATUS", "REPS", "AVG +/-")
_UNSURE = "*"  # after a start time from a clock not known to be right


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "List the saved sessions, newest first: id, plan, start (local time; "
        f"'{_UNSURE}' when the clock was not synchronised), status, reps done of "
        "planned and the average difference to target.")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead")
    add_db_options(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    source = reader(args)
    rows = source.history()
    for row in rows:
        if row.problem:
            log.warning("session %d is damaged: %s", row.id, row.problem)
    if args.json:
        print(json.dumps([session_fields(row) for row in rows], indent=2))
    elif not rows:
        print(f"no sessions yet in {source.path}")
    else:
        print(_table(rows))
        if any(_unsure(row) for row in rows):
            print(f"{_UNSURE} the clock was not synchronised: the date and time may be wrong")
    return 0


def _table(rows: list[SessionRow]) -> str:
    lines = [_HEADINGS, *(_cells(row) for row in rows)]
    widths = [max(len(line[column]) for line in lines) for column in range(len(_HEADINGS))]
    right = {0, 4, 5}  # numbers line up on the right
    return "\n".join(
        "  ".join(cell.rjust(width) if column in right else cell.ljust(width)
                  for column, (cell, width) in enumerate(zip(line, widths, strict=True))).rstrip()
        for line in lines
    )


def _cells(row: SessionRow) -> tuple[str, ...]:
    vs = row.vs_target
    delta = "" if vs is None else f"{signed(vs.seconds, vs.decimals)} s"
    started = "?"
    if row.started_utc is not None:
        started = row.started_utc.astimezone().strftime("%Y-%m-%d %H:%M")
        started += _UNSURE if _unsure(row) else " "
    return (
        str(row.id),
        row.plan_name,
        started,
        row.status.value.replace("_", " ") if row.status else "?",
        f"{row.reps_done}/{row.reps_planned}",
        delta,
    )


def _unsure(row: SessionRow) -> bool:
    return row.started_utc is not None and row.clock is ClockSource.UNSYNCHRONISED
