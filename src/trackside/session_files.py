"""A session as the files a coach takes away: CSV for a spreadsheet, JSON with everything,
FIT for Garmin Connect, Strava or intervals.icu.

`trackside export`, `trackside history --json` and the phone page all write them from here.

Rules:
  1. Times are the exact values (to the millisecond: finer than any stamp we take), each
     rep with its `precision_s` beside it (core/precision): what a screen shows is that
     time rounded up to it.
  2. Wall-clock times are ISO 8601 in local time with the UTC offset, each with the clock
     it came from (`clock`: synchronised, phone, or unsynchronised: not known to be right).
  3. What a rep was (label, distance, count, duration, where it crossed the line) comes
     from the schedule stored with the session: what was run, not today's reading of it.
  4. A FIT activity puts every run of a session on one time line, each run placed by its
     own wall-clock anchor: runs of one boot share one anchor (the store sees to it), so
     they keep their monotonic stamps; a run after a restart of the Pi is placed by its
     clock. The file names the least sure clock it used.
  5. In CSV only, text that a spreadsheet would run as a formula (a plan name or label
     beginning with = + - @, a tab or a carriage return) is written after a `'`, which
     spreadsheets show as text; numbers are written as they are. JSON keeps the text as
     written.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import datetime
from typing import Any

from trackside.adapters.store_values import SessionExport, SessionRow
from trackside.core.errors import UserError
from trackside.core.events import RepRecorded
from trackside.core.precision import precision_s
from trackside.core.rep_words import legs_text
from trackside.core.summary import Summary
from trackside.core.units import format_pace
from trackside.core.wall_anchor import ClockSource, WallAnchor

CSV_COLUMNS = ("session", "plan", "started_at", "clock", "set", "rep", "label", "distance_m",
               "count", "duration_s", "target_s", "time_s", "delta_s", "pace_per_km",
               "splits", "source", "precision_s", "late_start_s", "uncertain")


def session_fields(row: SessionRow) -> dict[str, Any]:
    """A session as JSON: the keys scripts rely on first; its athletes, when it named any."""
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
        "mean_delta_s": row.vs_target.seconds if row.vs_target else None,  # as shown
        "problem": row.problem,  # what in the record is damaged, if anything
    } | ({"athletes": list(row.athletes)} if row.athletes else {})


def seconds(value: float | None) -> float | None:
    """To the millisecond: finer than any stamp we take, and no float noise."""
    return None if value is None else round(value, 3)


def wall_text(moment: datetime | None) -> str | None:
    """'2026-05-02T19:30:05+02:00': local time with its offset (rule 2)."""
    return None if moment is None else moment.astimezone().isoformat(timespec="seconds")


def as_csv(session: SessionExport) -> str:
    """A row a rep; a session of named athletes has an `athlete` column after `plan`."""
    out = io.StringIO()
    columns = CSV_COLUMNS if session.group is None else (*CSV_COLUMNS[:2], "athlete",
                                                           *CSV_COLUMNS[2:])
    writer = csv.DictWriter(out, columns, extrasaction="ignore")  # CRLF (RFC 4180): a
    # carriage return in a plan name is quoted too, so it cannot end a row
    writer.writeheader()
    views = _athletes(session)
    for rep in session.reps:
        fields = rep_fields(views.get(rep.athlete, session), rep)
        splits = ";".join(  # 400m=61.2: the time as exported, every digit of it
            f"{split['distance_m']:g}m={split['time_s']}" if split["distance_m"] is not None
            else f"{split['time_s']}" for split in fields["splits"])
        row = {**fields, "session": session.session.id, "plan": session.session.plan_name,
               "splits": splits, "uncertain": "true" if rep.uncertain else "false"}
        writer.writerow({key: _as_text(value) for key, value in row.items()})
    return out.getvalue()


def _as_text(value: object) -> object:
    """A CSV cell a spreadsheet shows and never runs (rule 5)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_json(session: SessionExport) -> dict[str, Any]:
    """Everything; a group's session: each athlete's summary, and its marks, the finishes
    not seen and the fixes (core.fixes) too."""
    views = _athletes(session)
    return {
        **session_fields(session.session),
        "summary": summary_fields(session.summary) if not views else {"athletes": [
            {"athlete": name, **summary_fields(views[lane].summary)}
            for lane, name in enumerate(_names(session))]},
        "reps": [rep_fields(views.get(rep.athlete, session), rep) for rep in session.reps],
        "stopped_reps": [
            _named(session, stopped.athlete) | {
                "index": stopped.index, "set": stopped.set_no, "rep": stopped.rep_no,
                "elapsed_s": seconds(stopped.stopped_at - stopped.started_at)}
            for stopped in session.stopped],
        **(group_fields(session) if views else {}),
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


def rep_fields(session: SessionExport, rep: RepRecorded) -> dict[str, Any]:
    """One rep: what it was (rule 3), when (rule 2) and its times (rule 1)."""
    planned = session.planned(rep)
    wall = session.wall_start(rep)
    distance = planned.distance_m if planned else None
    crossings = planned.crossing_m if planned else ()
    labels = [leg.label for leg in planned.legs if leg.label] if planned else []
    return _named(session, rep.athlete) | {
        "index": rep.index,
        "set": rep.set_no,
        "rep": rep.rep_no,
        "started_at": wall_text(wall[0]) if wall else None,
        "clock": wall[1].value if wall else None,
        "label": " + ".join(labels) or None,  # each segment's, for a rep of several
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
        "late_start_s": seconds(rep.late_start_s),  # GO sounded this late (a stall): timed from it
        "uncertain": rep.uncertain,  # a time of it was read after a stall: it may be off
        "run": session.rep_runs.get(rep.index),
        "mono_started_s": rep.started_at,  # the monotonic clock of the run that timed it
        "mono_ended_s": rep.ended_at,
    }


def group_fields(session: SessionExport) -> dict[str, Any]:
    """A group's own record: how it started and rested, its finishes not seen, every mark
    (as recorded, and whose it is after the fixes) and every fix."""
    group = session.group
    assert group is not None and group.settings is not None
    names = _names(session)
    settings = group.settings
    return {
        "group": {"stagger_s": settings.stagger_s, "rest_from": settings.rest_from.value,
                  "double_break_s": settings.double_break_s},
        "not_seen": [{"athlete": names[rep.athlete], "index": rep.index, "set": rep.set_no,
                      "rep": rep.rep_no} for rep in group.record.missed],
        "marks": [
            {"id": mark.id, "run": mark.run, "mono_s": mark.judged.at,
             "source": mark.judged.source.value, "role": mark.judged.role.value,
             "athlete": None if mark.judged.athlete is None else names[mark.judged.athlete],
             "index": mark.judged.index, "crossing": mark.judged.crossing,
             "as_recorded": recorded.judged.role.value}
            for mark, recorded in zip(group.record.marks, group.recorded.marks, strict=True)],
        "fixes": [{"id": fix.id, "action": fix.action.value, "made_at": fix.made_utc,
                   "made_by": fix.made_by, "index": fix.index,
                   "athletes": [names[lane] for lane in fix.athletes], "mark": fix.mark,
                   "undoes": fix.undoes} for fix in group.fixes],
    }


def _athletes(session: SessionExport) -> dict[int | None, SessionExport]:
    """A group's session as each athlete's export (their own targets), by place; {} for a
    session of one."""
    if not session.is_group:
        return {}
    return {lane: session.for_athlete(lane) for lane in range(len(_names(session)))}


def _names(session: SessionExport) -> tuple[str, ...]:
    return session.group.names if session.group else ()


def _named(session: SessionExport, athlete: int | None) -> dict[str, Any]:
    """{'athlete': their name} in a session of named athletes, else {}."""
    names = _names(session)
    return {"athlete": names[athlete or 0]} if names else {}


def as_fit(session: SessionExport) -> bytes:
    """The session as a FIT activity: a lap per rep and per rest (see `core.activity`)."""
    # Imported here: every command starts quicker without them (the FIT SDK most of all).
    from trackside.core.activity import activity_of
    from trackside.formats.fit_activity import activity_file

    where = f"session {session.session.id}"
    if session.is_group:
        raise UserError(f"{where}: a FIT activity is one athlete's: give --athlete NAME")
    if session.steps is None:
        raise UserError(f"{where}: its stored schedule cannot be read, so nor can the "
                        "distance of its reps (export it as CSV or JSON)")
    anchor, shifts = _time_line(session)
    reps = [_shifted(rep, shifts.get(session.rep_runs.get(rep.index, 1), 0.0))
            for rep in session.reps]
    runs: dict[int, list[float]] = {}
    for logged in session.inputs:
        runs.setdefault(logged.run, []).append(logged.item.at + shifts.get(logged.run, 0.0))
    spans = [(min(stamps), max(stamps)) for _, stamps in sorted(runs.items())]
    return activity_file(activity_of(reps, session.steps.steps, spans, where), anchor)


def _time_line(session: SessionExport) -> tuple[WallAnchor, dict[int, float]]:
    """One time line for every run of the session (rule 4): the seconds to add to each
    run's stamps to put them on the first run's clock, and that clock's wall-clock anchor.

    A session recorded before runs kept their anchors has one time line as stamped, its
    recorded start taken as its first input, on a clock not known to be right.
    """
    runs = sorted({*session.rep_runs.values(), *(logged.run for logged in session.inputs)})
    anchors = [anchor for run in runs if (anchor := session.anchors.get(run)) is not None]
    every_rep_has_a_run = all(rep.index in session.rep_runs for rep in session.reps)
    if not runs or not every_rep_has_a_run or len(anchors) < len(runs):
        first_run = [logged.item.at for logged in session.inputs if logged.run == 1]
        first_rep = session.reps[0].started_at if session.reps else 0.0
        started = session.session.started_utc
        if started is None:
            raise UserError(f"session {session.session.id}: its start time cannot be read")
        return WallAnchor(started, min(first_run, default=first_rep),
                          ClockSource.UNSYNCHRONISED), {}
    first = anchors[0]
    shifts: dict[int, float] = {}
    least_sure = first.source
    for run, anchor in zip(runs, anchors, strict=True):
        shifts[run] = ((anchor.wall - first.wall).total_seconds()
                       - (anchor.mono_s - first.mono_s))
        if least_sure.better_than(anchor.source):
            least_sure = anchor.source
    return WallAnchor(first.wall, first.mono_s, least_sure), shifts


def _shifted(rep: RepRecorded, by_s: float) -> RepRecorded:
    if not by_s:  # a run of the first run's boot: its stamps as they are
        return rep
    return dataclasses.replace(rep, started_at=rep.started_at + by_s,
                               ended_at=rep.ended_at + by_s)
