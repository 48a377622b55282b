"""`trackside export ID`: one session's reps as CSV (for a spreadsheet) or JSON (everything)."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

from trackside.adapters.store_reader import SessionExport
from trackside.commands.sessions import add_db_options, reader, seconds, session_fields
from trackside.core.errors import UserError
from trackside.core.events import RepRecorded

CSV_COLUMNS = ("index", "set", "rep", "duration_s", "target_s", "delta_s", "splits", "source")


def add_to(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export", help="write one session's reps as CSV or JSON",
        description="Write every rep of one session (set, rep, duration, target, difference, "
                    "splits, what ended it). JSON adds the session, its plan, its summary and "
                    "the raw inputs.",
    )
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
    print(f"{len(session.reps)} reps of session {args.id} written to {args.out}")
    return 0


def as_csv(session: SessionExport) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for rep in session.reps:
        fields = _rep_fields(rep)
        writer.writerow({**fields, "splits": " ".join(map(str, fields["splits"]))})
    return out.getvalue()


def as_json(session: SessionExport) -> dict[str, Any]:
    summary = {key: seconds(value) if key.endswith("_s") else value
               for key, value in dataclasses.asdict(session.summary).items()}
    return {
        **session_fields(session.session),
        "summary": summary,
        "reps": [_rep_fields(rep) for rep in session.reps],
        "plan_definition": json.loads(session.plan_json),
        "schedule": json.loads(session.schedule_json),
        "inputs": [
            {"run": logged.run, "kind": type(logged.item).__name__,
             "mono_ns": logged.mono_ns, **dataclasses.asdict(logged.item)}
            for logged in session.inputs
        ],
    }


def _rep_fields(rep: RepRecorded) -> dict[str, Any]:
    return {
        "index": rep.index,
        "set": rep.set_no,
        "rep": rep.rep_no,
        "duration_s": seconds(rep.duration_s),
        "target_s": seconds(rep.target_s),
        "delta_s": seconds(rep.delta_s),
        "splits": [seconds(split) for split in rep.splits_s],
        "source": rep.source.value,
        "started_at": rep.started_at,  # monotonic seconds of the run that timed it
        "ended_at": rep.ended_at,
    }
