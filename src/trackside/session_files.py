"""A session as the files a coach takes away: CSV for a spreadsheet, JSON with everything.

`trackside export`, `trackside history --json` and the phone page all write them from here.

Rules:
  1. Times are the exact values (to the millisecond: finer than any stamp we take), each
     rep with its `precision_s` beside it (core/precision): what a screen shows is that
     time rounded up to it.
  2. Wall-clock times are ISO 8601 in local time with the UTC offset, each with the clock
     it came from (`clock`: synchronised, phone, or unsynchronised: not known to be right).
  3. What a rep was (label, distance, count, duration, where it crossed the line) comes
     from the schedule stored with the session: what was run, not today's reading of it.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import datetime
from typing import Any

from trackside.adapters.store_reader import SessionExport, SessionRow
from trackside.core.events import RepRecorded
from trackside.core.precision import precision_s
from trackside.core.summary import summarise
from trackside.core.units import format_pace

CSV_COLUMNS = ("session", "plan", "started_at", "clock", "set", "rep", "label", "distance_m",
               "count", "duration_s", "target_s", "time_s", "delta_s", "pace_per_km",
               "splits", "source", "precision_s")


def session_fields(row: SessionRow) -> dict[str, Any]:
    """A session as JSON: the keys scripts rely on first."""
    return {
        "id": row.id,
        "plan": row.plan_name,
        "started_at": wall_text(row.started_utc),
        "clock": row.clock.value,
        "status": row.status.value if row.status else None,
        "reps_done": row.reps_done,
        "reps_planned": row.reps_planned,
        "finished_at": wall_text(row.finished_utc),
        "plan_spec": row.plan_spec,  # what it was run from: the notation, a file, a name
        "mean_delta_s": seconds(row.mean_delta_s),
        "problem": row.problem,  # what in the record is damaged, if anything
    }


def seconds(value: float | None) -> float | None:
    """To the millisecond: finer than any stamp we take, and no float noise."""
    return None if value is None else round(value, 3)


def wall_text(moment: datetime | None) -> str | None:
    """'2026-05-02T19:30:05+02:00': local time with its offset (rule 2)."""
    return None if moment is None else moment.astimezone().isoformat(timespec="seconds")


def as_csv(session: SessionExport) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for rep in session.reps:
        fields = rep_fields(session, rep)
        splits = ";".join(  # 400m=61.2: the time as exported, every digit of it
            f"{split['distance_m']:g}m={split['time_s']}" if split["distance_m"] is not None
            else f"{split['time_s']}" for split in fields["splits"])
        writer.writerow({**fields, "session": session.session.id,
                         "plan": session.session.plan_name, "splits": splits})
    return out.getvalue()


def as_json(session: SessionExport) -> dict[str, Any]:
    return {
        **session_fields(session.session),
        "summary": summary_fields(session),
        "reps": [rep_fields(session, rep) for rep in session.reps],
        "plan_definition": session.plan,
        "schedule": session.schedule,
        "inputs": [
            {"run": logged.run, "kind": type(logged.item).__name__, "mono_ns": logged.mono_ns,
             **{key: getattr(value, "value", value)  # exact: a replay needs every digit
                for key, value in dataclasses.asdict(logged.item).items()}}
            for logged in session.inputs
        ],
        "problems": list(session.problems),
    }


def summary_fields(session: SessionExport) -> Any:
    """The session's summary as JSON data: whatever `core.summary` makes of its reps (the
    one place files meet it), every float to the millisecond."""
    return _plain(summarise(session.reps))


def rep_fields(session: SessionExport, rep: RepRecorded) -> dict[str, Any]:
    """One rep: what it was (rule 3), when (rule 2) and its times (rule 1)."""
    planned = session.planned.get(rep.index)
    wall = session.wall_start(rep)
    distance = planned.distance_m if planned else None
    crossings = planned.crossing_m if planned else ()
    return {
        "index": rep.index,
        "set": rep.set_no,
        "rep": rep.rep_no,
        "started_at": wall_text(wall[0]) if wall else None,
        "clock": wall[1].value if wall else None,
        "label": planned.label if planned else None,
        "distance_m": distance,
        "count": planned.count if planned else None,
        "duration_s": planned.duration_s if planned else None,
        "target_s": seconds(rep.target_s),
        "time_s": seconds(rep.duration_s),
        "delta_s": seconds(rep.delta_s),
        "pace_per_km": format_pace(rep.duration_s / distance) if distance else None,
        "splits": [{"distance_m": crossings[number] if number < len(crossings) else None,
                    "time_s": seconds(split)} for number, split in enumerate(rep.splits_s)],
        "source": rep.source.value,
        "precision_s": precision_s(rep.source),
        "run": session.rep_runs.get(rep.index),
        "mono_started_s": rep.started_at,  # the monotonic clock of the run that timed it
        "mono_ended_s": rep.ended_at,
    }


def _plain(data: Any) -> Any:
    """JSON data (from dataclasses, dicts, lists) with every float to the millisecond and
    every enum as its value."""
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return _plain(dataclasses.asdict(data))
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_plain(value) for value in data]
    if isinstance(data, float):
        return seconds(data)
    return getattr(data, "value", data)
