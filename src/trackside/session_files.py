"""A session as the files a coach takes away: CSV for a spreadsheet, JSON with everything.

`trackside export`, `trackside history --json` and the phone page all write them from here.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from enum import Enum
from typing import Any

from trackside.adapters.store_reader import SessionExport, SessionRow
from trackside.core.events import RepRecorded

CSV_COLUMNS = ("index", "set", "rep", "duration_s", "target_s", "delta_s", "splits", "source")


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
             "mono_ns": logged.mono_ns, **_plain(dataclasses.asdict(logged.item))}
            for logged in session.inputs
        ],
    }


def _plain(fields: dict[str, Any]) -> dict[str, Any]:
    """An input's fields as JSON takes them: an enum (a phone's command) as its value."""
    return {key: value.value if isinstance(value, Enum) else value
            for key, value in fields.items()}


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
