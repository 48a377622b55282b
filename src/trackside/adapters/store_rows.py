"""The session database's rows as values, and back.

Rules for this module:
  1. Values are stored in SI units (seconds); wall-clock times as ISO 8601 UTC text.
  2. A row read back is checked as it becomes a value: a damaged one raises ValueError
     saying what is wrong, for the reader to skip and report.
  3. A rep is its athlete's: `lane` is their place in a group's start order (0 for a
     session of one, whose reps read back with no athlete).
  4. A row from an older schema reads back as what it could know: before schema 5 no rep
     knew of a stall, before 6 every rep was the session's one athlete's.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import Any, get_args, get_type_hints

from pydantic import TypeAdapter

from trackside.core.events import Input, RepRecorded, RepStopped, Source
from trackside.core.schedule import Schedule, Step
from trackside.core.wall_anchor import ClockSource, WallAnchor


def utc_text(moment: datetime) -> str:
    """ISO 8601 in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def utc_from_text(text: Any) -> datetime:
    """`utc_text` read back (rule 2)."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"a time that cannot be read ({text!r:.40})") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def anchor_from_row(mono: Any, utc: Any, clock: Any) -> WallAnchor:
    """A run's wall-clock anchor (`session_run`) read back (rule 2)."""
    if not isinstance(mono, int | float) or not math.isfinite(mono):
        raise ValueError(f"a run's clock cannot be read ({mono!r:.40})")
    try:
        source = ClockSource(clock)
    except ValueError:
        raise ValueError(f"unknown clock {clock!r:.40}") from None
    return WallAnchor(utc_from_text(utc), float(mono), source)


def rep_row(session_id: int | None, rep: RepRecorded) -> tuple[Any, ...]:
    return (session_id, rep.athlete or 0, rep.index, rep.set_no, rep.rep_no, rep.started_at,
            rep.ended_at, rep.duration_s, rep.target_s, rep.delta_s, json.dumps(rep.splits_s),
            rep.source.value, rep.late_start_s, int(rep.uncertain), session_id)


INSERT_REP = (
    "INSERT OR IGNORE INTO rep (session_id, lane, rep_index, set_no, rep_no, started_at,"
    " ended_at, duration_s, target_s, delta_s, splits_json, source, late_start_s, uncertain,"
    " run) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?, (SELECT runs FROM session WHERE id = ?))"
)
REP_COLUMNS = ("rep_index, set_no, rep_no, started_at, ended_at, target_s, splits_json, source,"
               " {stall}, {lane}")


def rep_columns(version: int) -> str:
    """The columns `rep_from_row` reads, from a database at schema `version` (rule 4)."""
    return REP_COLUMNS.format(stall="late_start_s, uncertain" if version >= 5 else "0.0, 0",
                              lane="lane" if version >= 6 else "0")


def rep_from_row(row: sqlite3.Row | tuple[Any, ...], group: bool = False) -> RepRecorded:
    """A row of `rep_columns` back into the value the engine recorded (rule 2); `group`:
    the session is a group's, so its lane is the athlete."""
    (index, set_no, rep_no, started_at, ended_at, target_s, splits_json, source, late_start_s,
     uncertain, lane) = row
    _check_numbers((index, set_no, rep_no, uncertain, lane),
                   (started_at, ended_at, late_start_s,
                    *([] if target_s is None else [target_s])))
    try:
        splits = tuple(float(split) for split in json.loads(splits_json))
    except (TypeError, ValueError):
        raise ValueError(f"its splits cannot be read ({splits_json!r:.40})") from None
    try:
        kind = Source(source)
    except ValueError:
        raise ValueError(f"unknown source {source!r:.40}") from None
    return RepRecorded(set_no=set_no, rep_no=rep_no, index=index, started_at=started_at,
                       ended_at=ended_at, target_s=target_s, splits_s=splits, source=kind,
                       late_start_s=float(late_start_s), uncertain=bool(uncertain),
                       athlete=lane if group else None)


STOPPED_COLUMNS = "rep_index, set_no, rep_no, started_at, stopped_at, {lane}"


def stopped_columns(version: int) -> str:
    """The columns `stopped_from_row` reads, from a database at schema `version`."""
    return STOPPED_COLUMNS.format(lane="lane" if version >= 6 else "0")


def stopped_from_row(row: sqlite3.Row | tuple[Any, ...], group: bool = False) -> RepStopped:
    """A row of `stopped_columns` back into the RepStopped the engine recorded (rule 2)."""
    index, set_no, rep_no, started_at, stopped_at, lane = row
    _check_numbers((index, set_no, rep_no, lane), (started_at, stopped_at))
    return RepStopped(set_no=set_no, rep_no=rep_no, index=index, started_at=started_at,
                      stopped_at=stopped_at, athlete=lane if group else None)


def _check_numbers(whole: tuple[Any, ...], times: tuple[Any, ...]) -> None:
    if not all(isinstance(n, int) for n in whole):
        raise ValueError("its set or rep number is not a number")
    if not all(isinstance(n, int | float) and math.isfinite(n) for n in times):
        raise ValueError("a time is not a number")


INPUT_KINDS: dict[str, type] = {kind.__name__: kind for kind in get_args(Input)}


def input_data(item: Input) -> str:
    """An input's fields other than `at`, as JSON (an enum as its value)."""
    data = {f.name: getattr(item, f.name) for f in dataclasses.fields(item) if f.name != "at"}
    return json.dumps(data, default=_enum_value)


def input_from_row(kind: str, at: float, data_json: str) -> Input:
    """A row of the input table back into the input (rule 2)."""
    if kind not in INPUT_KINDS:
        raise ValueError(f"unknown input {kind!r:.40}")
    try:
        fields = {name: _FIELD_TYPES[kind].get(name, _same)(value)
                  for name, value in json.loads(data_json).items()}
        return INPUT_KINDS[kind](at=float(at), **fields)
    except (TypeError, ValueError):
        raise ValueError(f"a {kind} input cannot be read ({data_json!r:.40})") from None


def _same(value: Any) -> Any:
    return value


# The fields stored as an enum's value, and the enum to turn them back into.
_FIELD_TYPES: dict[str, dict[str, Callable[[Any], Any]]] = {
    name: {field: hint for field, hint in get_type_hints(kind).items()
           if isinstance(hint, type) and issubclass(hint, Enum)}
    for name, kind in INPUT_KINDS.items()
}


def schedule_json(schedule: Schedule) -> str:
    """The expanded steps as JSON, to keep with the session (what was run, exactly)."""
    steps = [dataclasses.asdict(step) for step in schedule.steps]
    return json.dumps({"name": schedule.name, "description": schedule.description,
                       "steps": steps}, default=_enum_value)


def schedule_from_data(data: Any) -> Schedule:
    """The steps `schedule_json` kept (its JSON, parsed) back as values (rule 2).

    Keys a later or an earlier release added or dropped are left to their defaults, so an
    old session's steps still read; a value of the wrong type is damage.
    """
    try:
        steps = _steps_reader().validate_python(data["steps"])
        return Schedule(str(data["name"]), steps, str(data.get("description", "")))
    except (ValueError, TypeError, KeyError):  # pydantic's ValidationError is a ValueError
        raise ValueError("its schedule cannot be read") from None


@functools.cache
def _steps_reader() -> TypeAdapter[tuple[Step, ...]]:
    """Built when first used (a few ms): most commands never read a schedule."""
    return TypeAdapter(tuple[Step, ...])


def _enum_value(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON")
