"""A session as the files a coach takes away: CSV for a spreadsheet, JSON with everything,
FIT for Garmin Connect, Strava or intervals.icu.

`trackside export`, `trackside history --json` and the phone page all write them from here.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import TYPE_CHECKING, Any

from trackside.adapters.store_reader import SessionExport, SessionRow
from trackside.core.errors import UserError
from trackside.core.events import RepRecorded
from trackside.core.plan import Plan
from trackside.core.readout import legs_text
from trackside.core.schedule import expand
from trackside.core.summary import Summary

if TYPE_CHECKING:
    from trackside.core.activity import ClockAnchor

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
        "mean_delta_s": row.vs_target.seconds if row.vs_target else None,
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
    return {
        **session_fields(session.session),
        "summary": summary_fields(session.summary),
        "reps": [_rep_fields(rep) for rep in session.reps],
        "stopped_reps": [
            {"index": stopped.index, "set": stopped.set_no, "rep": stopped.rep_no,
             "elapsed_s": seconds(stopped.stopped_at - stopped.started_at)}
            for stopped in session.stopped],
        "plan_definition": json.loads(session.plan_json),
        "schedule": json.loads(session.schedule_json),
        "inputs": [
            {"run": logged.run, "kind": type(logged.item).__name__,
             "mono_ns": logged.mono_ns, **dataclasses.asdict(logged.item)}
            for logged in session.inputs
        ],
    }


def summary_fields(summary: Summary) -> dict[str, Any]:
    """The grouped summary (core/summary) as JSON: the finish screen's figures, as shown."""
    vs = summary.vs_target
    return {
        "reps": summary.reps,
        "vs_target_s": vs.seconds if vs else None,
        "precision_s": 10.0**-vs.decimals if vs else None,
        "groups": [
            {
                "what": legs_text(group.step) if group.step else None,
                "reps": list(group.indexes),
                "precision_s": 10.0**-group.decimals,
                "target_s": group.target_s,
                "mean_s": group.mean_s,
                "best_s": group.best_s,
                "worst_s": group.worst_s,
                "spread_s": group.spread_s,
                "fade_s": group.fade_s,
                "vs_target_s": group.vs_target_s,
            }
            for group in summary.groups
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


def as_fit(session: SessionExport) -> bytes:
    """The session as a FIT activity: a lap per rep and per rest (see `core.activity`)."""
    # Imported here: every command starts quicker without them (the FIT SDK most of all).
    from trackside.core.activity import activity_of
    from trackside.formats.fit_activity import activity_file

    where = f"session {session.session.id}"
    try:
        steps = expand(Plan.model_validate_json(session.plan_json)).steps
    except ValueError:  # pydantic's ValidationError is one
        raise UserError(f"{where}: its stored plan cannot be read") from None
    runs: dict[int, list[float]] = {}
    for logged in session.inputs:
        runs.setdefault(logged.run, []).append(logged.item.at)
    spans = [(min(stamps), max(stamps)) for _, stamps in sorted(runs.items())]
    activity = activity_of(session.reps, steps, spans, where)
    return activity_file(activity, clock_anchor(session, activity.start_s))


def clock_anchor(session: SessionExport, first_rep_s: float) -> ClockAnchor:
    """Where the session's clock stands against the wall clock.

    The session's recorded start (the system clock when it was opened, before the first
    press) is taken to be the first input of its first run; without inputs (an older
    database), the first rep's start. Its source is not on record: 'unknown'.
    """
    from trackside.core.activity import ClockAnchor

    first_run = [logged.item.at for logged in session.inputs if logged.run == 1]
    return ClockAnchor(session.session.started_utc, min(first_run, default=first_rep_s),
                       "unknown")
