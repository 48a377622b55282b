"""`trackside export ID`: one session's reps as CSV (for a spreadsheet) or JSON (everything)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from trackside.commands.sessions import add_db_options, reader
from trackside.core.errors import UserError
from trackside.core.readout import counted
from trackside.session_files import as_csv, as_json


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write every rep of one session (set, rep, duration, target, difference, "
        "splits, what ended it). JSON adds the session, its plan, its summary and "
        "the raw inputs.")
    parser.add_argument("id", type=int, metavar="ID", help="the session (see trackside history)")
    parser.add_argument("--format", choices=("csv", "json"),
                        help="default: json if --out ends in .json, else csv")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write to FILE, not the screen")
    add_db_options(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    session = reader(args).export(args.id)
    suffix_json = args.out is not None and args.out.suffix.lower() == ".json"
    use_json = args.format == "json" or (args.format is None and suffix_json)
    text = json.dumps(as_json(session), indent=2) + "\n" if use_json else as_csv(session)
    if args.out is None:
        print(text, end="")
        return 0
    try:
        args.out.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise UserError(f"cannot write {args.out}: {exc.strerror}") from None
    print(f"{counted(len(session.reps), 'rep')} of session {args.id} written to {args.out}")
    return 0
