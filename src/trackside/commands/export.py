"""`trackside export ID`: one session's reps as CSV (for a spreadsheet) or JSON (everything)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import tempfile
from pathlib import Path

from trackside.commands.sessions import add_db_options, reader, session_id
from trackside.core.errors import UserError
from trackside.session_files import as_csv, as_json

log = logging.getLogger(__name__)


def add_to(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export", help="write one session's reps as CSV or JSON",
        description="Write every rep of one session: when it started, set, rep, what it was, "
                    "target, time, difference, pace, splits, what ended it and its precision. "
                    "JSON adds the session, its plan, its summary and the raw inputs.",
    )
    parser.add_argument("id", type=session_id, metavar="ID",
                        help="the session (see trackside history)")
    parser.add_argument("--format", choices=("csv", "json"),
                        help="default: json if --out ends in .json, else csv")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write to FILE, not the screen")
    add_db_options(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    session = reader(args).export(args.id)
    for problem in session.problems:
        log.warning("session %d is damaged: %s; left out", args.id, problem)
    suffix_json = args.out is not None and args.out.suffix.lower() == ".json"
    use_json = args.format == "json" or (args.format is None and suffix_json)
    text = json.dumps(as_json(session), indent=2) + "\n" if use_json else as_csv(session)
    if args.out is None:
        print(text, end="")
        return 0
    _write_whole(args.out, text)
    print(f"{len(session.reps)} reps of session {args.id} written to {args.out}")
    return 0


def _write_whole(path: Path, text: str) -> None:
    """All of `text` in `path`, or `path` untouched: a temporary file beside it, renamed
    over it once complete and on disk (a full disk leaves no partial file). A pipe or a
    device (`--out /dev/stdout`) is written to as it is."""
    try:
        if path.exists() and not path.is_file() and not path.is_dir():
            path.write_text(text, encoding="utf-8", newline="")
            return
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from the coach's group
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {exc.strerror}") from None
