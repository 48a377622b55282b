"""The session database's layout: where it lives, how to connect, the migrations, the rows.

Rules for this module:
  1. The schema only moves forward. `MIGRATIONS[n]` takes a database from version n to
     n + 1 (`PRAGMA user_version`); a released step is never edited, only appended to.
  2. Each step runs in its own transaction with its version bump, so a crash mid-way
     leaves the database at the previous version, and running `migrate` again is harmless.
  3. Every connection is WAL with `synchronous=FULL`: a commit that returned survives a
     power cut (NORMAL could lose the last ones), and readers never block the writer.
  4. Values are stored in SI units (seconds); wall-clock times as ISO 8601 UTC text;
     monotonic stamps as the app saw them (they are only comparable within one run).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_type_hints

from trackside.core.events import Input, RepRecorded, Source
from trackside.core.schedule import Schedule

DB_NAME = "trackside.db"

MIGRATIONS: tuple[str, ...] = (
    # 1: sessions and their reps
    """
    CREATE TABLE session (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, even after a delete
        plan_spec TEXT NOT NULL,               -- what the user typed: a path, a name, notation
        plan_name TEXT NOT NULL,
        plan_json TEXT NOT NULL,               -- the validated plan
        schedule_json TEXT NOT NULL,           -- the expanded steps
        reps_planned INTEGER NOT NULL,
        started_utc TEXT NOT NULL,
        finished_utc TEXT,
        status TEXT NOT NULL DEFAULT 'running'
            CHECK (status IN ('running', 'finished', 'ended_early', 'interrupted'))
    );
    CREATE TABLE rep (
        session_id INTEGER NOT NULL REFERENCES session(id),
        rep_index INTEGER NOT NULL,            -- 1-based over the whole plan
        set_no INTEGER NOT NULL,
        rep_no INTEGER NOT NULL,               -- within the set
        started_at REAL NOT NULL,              -- monotonic seconds of the run that timed it
        ended_at REAL NOT NULL,
        duration_s REAL NOT NULL,
        target_s REAL,
        delta_s REAL,
        splits_json TEXT NOT NULL,             -- elapsed seconds at each earlier crossing
        source TEXT NOT NULL,
        PRIMARY KEY (session_id, rep_index)    -- a rep is on record once
    ) WITHOUT ROWID;
    """,
    # 2: the raw inputs, so a session can be replayed; `runs` counts the processes that
    # ran the session (1 + resumes), because monotonic stamps restart with each one.
    """
    ALTER TABLE session ADD COLUMN runs INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE input (
        seq INTEGER PRIMARY KEY,               -- arrival order
        session_id INTEGER NOT NULL REFERENCES session(id),
        run INTEGER NOT NULL,
        kind TEXT NOT NULL,                    -- the Input class name
        at REAL NOT NULL,                      -- the input's stamp on the session clock
        mono_ns INTEGER NOT NULL,              -- the real monotonic clock when it was handled
        data_json TEXT NOT NULL                -- its other fields
    );
    CREATE INDEX input_by_session ON input (session_id, seq);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

Connector = Callable[[Path, float], sqlite3.Connection]
"""Opens a connection to the database file at a path, with a busy timeout in seconds."""


def default_path(configured: str | None = None,
                 environ: Mapping[str, str] = os.environ) -> Path:
    """$TRACKSIDE_DB; else `configured` (the config's database.path); else systemd's
    $STATE_DIRECTORY; else the XDG data folder."""
    if explicit := environ.get("TRACKSIDE_DB") or configured:
        return Path(explicit).expanduser()
    if state := environ.get("STATE_DIRECTORY"):  # may list several, colon-separated
        return Path(state.split(":")[0]) / DB_NAME
    data_home = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "trackside" / DB_NAME


def connect(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    """A read-write connection, creating the file. The writer's; see rule 3."""
    conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None,
                           check_same_thread=False)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def connect_readonly(path: Path, busy_timeout_s: float = 2.0) -> sqlite3.Connection:
    """A connection that can neither create the file nor write to it.

    A WAL reader needs the `-shm` file, which the last writer removes on closing. Where
    it cannot be made (the service's database read by another user, a read-only mount),
    no writer has the file open, so it is read as immutable: no locks, no `-shm`.
    """
    uri = path.absolute().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=busy_timeout_s)
    try:
        schema_version(conn)  # sqlite opens the file lazily: this is where it fails
    except sqlite3.OperationalError as exc:
        conn.close()
        if exc.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY):
            raise
        conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)
    return conn


class NewerSchemaError(sqlite3.DatabaseError):
    """The database was written by a newer Trackside: this one must not touch it."""


def schema_version(conn: sqlite3.Connection) -> int:
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    return version


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database up to `SCHEMA_VERSION`; returns the version it was at."""
    found = schema_version(conn)
    if found > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"the database has schema {found}, newer than this trackside's {SCHEMA_VERSION}"
        )
    for number, script in enumerate(MIGRATIONS[found:], start=found + 1):
        try:
            step = f"BEGIN IMMEDIATE; {script}; PRAGMA user_version = {number}; COMMIT;"
            conn.executescript(step)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return found


# --- rows <-> values ----------------------------------------------------------------


def utc_text(moment: datetime) -> str:
    """ISO 8601 in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def rep_row(session_id: int, rep: RepRecorded) -> tuple[Any, ...]:
    return (session_id, rep.index, rep.set_no, rep.rep_no, rep.started_at, rep.ended_at,
            rep.duration_s, rep.target_s, rep.delta_s, json.dumps(rep.splits_s),
            rep.source.value)


INSERT_REP = (
    "INSERT OR IGNORE INTO rep (session_id, rep_index, set_no, rep_no, started_at, ended_at,"
    " duration_s, target_s, delta_s, splits_json, source) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)
REP_COLUMNS = "rep_index, set_no, rep_no, started_at, ended_at, target_s, splits_json, source"


def rep_from_row(row: sqlite3.Row | tuple[Any, ...]) -> RepRecorded:
    """A row of `REP_COLUMNS` back into the value the engine recorded."""
    index, set_no, rep_no, started_at, ended_at, target_s, splits_json, source = row
    return RepRecorded(set_no=set_no, rep_no=rep_no, index=index, started_at=started_at,
                       ended_at=ended_at, target_s=target_s,
                       splits_s=tuple(json.loads(splits_json)), source=Source(source))


INPUT_KINDS: dict[str, type] = {kind.__name__: kind for kind in get_args(Input)}


def input_data(item: Input) -> str:
    """An input's fields other than `at`, as JSON (an enum as its value)."""
    data = {f.name: getattr(item, f.name) for f in dataclasses.fields(item) if f.name != "at"}
    return json.dumps(data, default=_enum_value)


def input_from_row(kind: str, at: float, data_json: str) -> Input:
    cls = INPUT_KINDS[kind]
    enums = _enum_fields(cls)
    data = {key: enums[key](value) if key in enums else value
            for key, value in json.loads(data_json).items()}
    return cls(at=at, **data)


@lru_cache(maxsize=None)
def _enum_fields(cls: type) -> dict[str, type[Enum]]:
    """The fields of an input that hold an enum (a Commanded's command and source)."""
    return {name: hint for name, hint in get_type_hints(cls).items()
            if isinstance(hint, type) and issubclass(hint, Enum)}


def schedule_json(schedule: Schedule) -> str:
    """The expanded steps as JSON, to keep with the session (what was run, exactly)."""
    steps = [dataclasses.asdict(step) for step in schedule.steps]
    return json.dumps({"name": schedule.name, "description": schedule.description,
                       "steps": steps}, default=_enum_value)


def _enum_value(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON")
