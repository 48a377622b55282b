"""`trackside history`: the saved sessions, newest first."""

from __future__ import annotations

import argparse
import json
import logging

from trackside.adapters.store_values import SessionRow
from trackside.commands.sessions import add_db_options, reader
from trackside.core.printable import columns, one_line, padded
from trackside.core.rep_words import signed
from trackside.core.wall_anchor import ClockSource
from trackside.session_files import session_fields

log = logging.getLogger(__name__)

_HEADINGS = ("ID", "PLAN", "STARTED", "STATUS", "REPS", "AVG +/-")
_UNSURE = "*"  # after a start time from a clock not known to be right
_NAMES_SHOWN = 3  # a group's first athletes; '+3' for the others


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
    """Columns as wide as what is printed in them (a name's escapes, its wide characters);
    a column for the athletes only when a session named any."""
    named = any(row.athletes for row in rows)
    lines = [_columns(_HEADINGS, named, "ATHLETES"),
             *(_columns(_cells(row), named, _athletes(row)) for row in rows)]
    headings = lines[0]
    widths = [max(columns(line[column]) for line in lines) for column in range(len(headings))]
    right = {0, len(headings) - 2, len(headings) - 1}  # numbers line up on the right
    return "\n".join(
        "  ".join(padded(cell, width, right=column in right)
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
        one_line(row.plan_name),
        started,
        row.status.value.replace("_", " ") if row.status else "?",
        f"{row.reps_done}/{row.reps_planned}",
        delta,
    )


def _columns(cells: tuple[str, ...], named: bool, athletes: str) -> tuple[str, ...]:
    return (*cells[:2], athletes, *cells[2:]) if named else cells


def _athletes(row: SessionRow) -> str:
    """'Ana, Ben, Cam +3'."""
    shown = ", ".join(row.athletes[:_NAMES_SHOWN])
    more = len(row.athletes) - _NAMES_SHOWN
    return shown + (f" +{more}" if more > 0 else "")


def _unsure(row: SessionRow) -> bool:
    return row.started_utc is not None and row.clock is ClockSource.UNSYNCHRONISED
