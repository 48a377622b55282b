"""`trackside export ID`: one session's reps as CSV (for a spreadsheet), JSON (everything) or
a FIT activity (for Garmin Connect, Strava, intervals.icu)."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from trackside.commands.sessions import add_db_options, reader, session_id
from trackside.core.errors import UserError
from trackside.core.rep_words import counted
from trackside.output_file import write_whole
from trackside.session_files import as_csv, as_fit, as_json

log = logging.getLogger(__name__)


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write every rep of one session: when it started, set, rep, what it was, "
        "target, time, difference, pace, splits, what ended it and its precision. "
        "JSON adds the session, its plan, its summary, the stopped reps and the "
        "raw inputs. FIT is an activity for Garmin Connect, Strava or "
        "intervals.icu: a lap per rep and per rest.")
    parser.add_argument("id", type=session_id, metavar="ID",
                        help="the session (see trackside history)")
    parser.add_argument("--format", choices=("csv", "json", "fit"),
                        help="default: from --out's suffix (.json, .fit), else csv; fit "
                             "needs --out")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write to FILE, not the screen")
    parser.add_argument("--athlete", metavar="NAME",
                        help="a group's session: only this athlete's reps, on their own "
                             "targets (a FIT activity is always one athlete's)")
    add_db_options(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    suffix = args.out.suffix.lower().lstrip(".") if args.out is not None else ""
    kind = args.format or (suffix if suffix in ("json", "fit") else "csv")
    if kind == "fit" and args.out is None:
        raise UserError("--format fit writes a binary file: give --out FILE.fit")
    session = reader(args).export(args.id)
    for problem in session.problems:
        log.warning("session %d is damaged: %s; left out", args.id, problem)
    if args.athlete is not None:
        try:
            session = session.of_athlete(args.athlete)
        except UserError as exc:
            raise UserError(f"--athlete: {exc}") from None
    if kind == "fit":
        data = as_fit(session)
    else:
        text = json.dumps(as_json(session), indent=2) + "\n" if kind == "json" else as_csv(session)
        if args.out is None:
            print(text, end="")
            return 0
        data = text.encode("utf-8")
    write_whole(args.out, data)
    what = " (FIT activity)" if kind == "fit" else ""
    whose = f"{session.group.names[session.athlete]}'s " if session.athlete is not None else ""
    print(f"{whose}{counted(len(session.reps), 'rep')} of session {args.id} written to "
          f"{args.out}{what}")
    return 0
