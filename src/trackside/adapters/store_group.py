"""A session's athletes and a group's records: how it started, its marks, the reps whose finish
was not seen, and the fixes made afterwards. Rows, writes and reads, for the store.

Rules for this module:
  1. The session's athletes are written as it starts (store_writes, on the store's writer
     thread), the marks and missed reps as they happen (store_writes), a fix by
     `trackside fix`.
  2. Read as the reader reads (store_reader): a damaged row is skipped and said once.
  3. What a group session shows is its reps after its fixes (core.fixes), worked out here,
     in one place, for history, export and resuming alike.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trackside.adapters.store_schema import schema_version
from trackside.adapters.store_rows import schedule_from_data, schedule_json
from trackside.core.errors import UserError
from trackside.core.events import MarkJudged, MarkRole, RepMissed, RepRecorded, Source
from trackside.core.fixes import Action, Fix, Mark, Record, corrected
from trackside.core.group import GroupSettings, RestFrom, Roster
from trackside.core.schedule import Schedule


@dataclass(frozen=True, slots=True)
class SessionAthlete:
    lane: int  # their place in the start order, from 0
    name: str  # as it was when the session ran
    athlete_id: int | None  # their profile (removed from the list or not)
    schedule: Schedule  # their steps: the plan with their targets


@dataclass(frozen=True, slots=True)
class GroupRecord:
    """A session's athletes; for a group, its marks and fixes too."""

    athletes: tuple[SessionAthlete, ...]
    settings: GroupSettings | None  # None: a session of one (a named athlete)
    recorded: Record  # as recorded
    fixes: tuple[Fix, ...]  # in the order made, undos too
    record: Record  # after the fixes
    runs: Mapping[int, Mapping[int, int]]  # athlete -> rep index -> the run that timed it

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(athlete.name for athlete in self.athletes)

    @property
    def shown_names(self) -> list[str]:
        """As screens and `fix` call them: in capitals."""
        return [name.upper() for name in self.names]

    def after(self, fix: Fix) -> Record:
        """The record with `fix` made too (core.fixes)."""
        recorded = self.recorded
        return corrected(recorded.reps, recorded.missed, recorded.marks, (*self.fixes, fix),
                         _crossings(self.athletes))

    def lane(self, name: str) -> int | None:
        """The place of the athlete called `name` (whatever its case), or None."""
        return next((athlete.lane for athlete in self.athletes
                     if athlete.name.casefold() == name.strip().casefold()), None)

    def ran(self, name: str) -> int:
        """The place of the athlete called `name`; UserError if nobody by that name ran."""
        lane = self.lane(name)
        if lane is None:
            raise UserError(f"no athlete called {name.strip()[:20]!r} ran this session (its "
                            f"athletes: {', '.join(self.names)})")
        return lane

    def roster(self) -> Roster:
        return Roster(self.names, tuple(athlete.schedule for athlete in self.athletes),
                      self.settings or GroupSettings(),
                      tuple(athlete.athlete_id for athlete in self.athletes))


# --- writes ---------------------------------------------------------------------------


def settings_json(settings: GroupSettings | None) -> str | None:
    if settings is None:
        return None
    return json.dumps({"stagger_s": settings.stagger_s, "rest_from": settings.rest_from.value,
                       "double_break_s": settings.double_break_s})


def insert_athletes(session_id: int | None, roster: Roster, conn: sqlite3.Connection) -> None:
    """The session's athletes, and a group's settings (a roster of one has none)."""
    for lane, (name, schedule, athlete_id) in enumerate(zip(
            roster.names, roster.schedules, roster.ids, strict=True)):
        conn.execute("INSERT INTO session_athlete (session_id, lane, athlete_id, name,"
                     " schedule_json) VALUES (?,?,?,?,?)",
                     (session_id, lane, athlete_id, name, schedule_json(schedule)))
    if len(roster.names) > 1:
        conn.execute("UPDATE session SET group_json = ? WHERE id = ?",
                     (settings_json(roster.settings), session_id))


def insert_fix(session_id: int, fix: Fix, conn: sqlite3.Connection) -> int:
    """Record `fix` (its id is ignored); the id it got."""
    cursor = conn.execute(
        "INSERT INTO fix (session_id, made_utc, made_by, action, rep_index, lanes_json,"
        " mark_id, undoes) VALUES (?,?,?,?,?,?,?,?)",
        (session_id, fix.made_utc, fix.made_by, fix.action.value, fix.index,
         json.dumps(fix.athletes) if fix.athletes else None, fix.mark, fix.undoes))
    return int(cursor.lastrowid or 0)


# --- reads ----------------------------------------------------------------------------


def read_group(conn: sqlite3.Connection, session_id: int, reps: Sequence[RepRecorded],
               problems: list[str]) -> GroupRecord | None:
    """The session's athletes and a group's records (`reps`: as read), or None for a session
    run without a named athlete (or before schema 6). What cannot be read is added to
    `problems`, one line a kind."""
    if schema_version(conn) < 6:
        return None
    athletes = _rows(conn, "SELECT lane, name, athlete_id, schedule_json FROM session_athlete"
                           " WHERE session_id = ? ORDER BY lane", session_id, _athlete,
                     "athlete", problems)
    if not athletes:
        return None
    if [athlete.lane for athlete in athletes] != list(range(len(athletes))):
        problems.append("its athletes cannot all be read")
        return None
    (group_json,) = conn.execute("SELECT group_json FROM session WHERE id = ?",
                                 (session_id,)).fetchone()
    settings = _settings(group_json, problems) if group_json is not None else None
    missed = _rows(conn, "SELECT lane, set_no, rep_no, rep_index, started_at, target_s,"
                         " late_start_s FROM missed_rep WHERE session_id = ?"
                         " ORDER BY rep_index, lane", session_id, _missed, "missed rep",
                   problems)
    marks = _rows(conn, "SELECT id, run, at, source, role, lane, rep_index, crossing, uncertain"
                        " FROM mark WHERE session_id = ? ORDER BY id", session_id, _mark,
                  "mark", problems)
    fixes = _rows(conn, "SELECT id, action, made_utc, made_by, rep_index, lanes_json, mark_id,"
                        " undoes FROM fix WHERE session_id = ? ORDER BY id", session_id, _fix,
                  "fix", problems)
    recorded = Record(tuple(reps), tuple(missed), tuple(marks))
    try:
        record = corrected(reps, missed, marks, fixes, _crossings(athletes))
    except (IndexError, KeyError, ValueError):  # a fix or mark that names what is not there
        problems.append("its fixes do not fit its record: shown as recorded")
        record = recorded
    runs: dict[int, dict[int, int]] = {}
    for lane, index, run in conn.execute("SELECT lane, rep_index, run FROM rep WHERE"
                                         " session_id = ? AND run IS NOT NULL", (session_id,)):
        runs.setdefault(lane, {})[index] = run
    return GroupRecord(tuple(athletes), settings, recorded, tuple(fixes), record, runs)


def _crossings(athletes: Sequence[SessionAthlete]) -> list[list[int]]:
    """How many times each athlete's rep crosses the line, as core.fixes counts them."""
    return [[rep.crossings for rep in athlete.schedule.reps] for athlete in athletes]


def _rows(conn: sqlite3.Connection, sql: str, session_id: int, read: Any, what: str,
          problems: list[str]) -> list[Any]:
    values, bad = [], 0
    for row in conn.execute(sql, (session_id,)):
        try:
            values.append(read(*row))
        except (TypeError, ValueError, KeyError):
            bad += 1
    if bad:
        problems.append(f"{bad} {what}{'s' * (bad != 1)} cannot be read")
    return values


def _athlete(lane: Any, name: Any, athlete_id: Any, schedule: Any) -> SessionAthlete:
    return SessionAthlete(_whole(lane), str(name), athlete_id if isinstance(athlete_id, int)
                          else None, schedule_from_data(json.loads(schedule)))


def _settings(text: str, problems: list[str]) -> GroupSettings | None:
    try:
        data = json.loads(text)
        return GroupSettings(float(data["stagger_s"]), RestFrom(data["rest_from"]),
                             float(data["double_break_s"]))
    except (TypeError, ValueError, KeyError):
        problems.append("its group settings cannot be read")
        return None


def _missed(lane: Any, set_no: Any, rep_no: Any, index: Any, started_at: Any,
            target_s: Any, late_start_s: Any) -> RepMissed:
    return RepMissed(_whole(lane), _whole(set_no), _whole(rep_no), _whole(index),
                     _time(started_at), None if target_s is None else _time(target_s),
                     _time(late_start_s))


def _mark(ident: Any, run: Any, at: Any, source: Any, role: Any, lane: Any, index: Any,
          crossing: Any, uncertain: Any) -> Mark:
    optional = [None if value is None else _whole(value) for value in (lane, index, crossing)]
    return Mark(_whole(ident), MarkJudged(_time(at), Source(source), MarkRole(role), *optional,
                                          uncertain=_whole(uncertain) == 1), _whole(run))


def _fix(ident: Any, action: Any, made_utc: Any, made_by: Any, index: Any, lanes: Any,
         mark: Any, undoes: Any) -> Fix:
    athletes = tuple(_whole(lane) for lane in json.loads(lanes)) if lanes else ()
    return Fix(_whole(ident), Action(action), str(made_utc), str(made_by),
               None if index is None else _whole(index), athletes,
               None if mark is None else _whole(mark), None if undoes is None else _whole(undoes))


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not a whole number: {value!r:.20}")
    return value


def _time(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"not a time: {value!r:.20}")
    return float(value)
