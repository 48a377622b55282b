"""The session database's layout: where it lives, how to connect, the migrations.

Rules for this module:
  1. The schema only moves forward. `MIGRATIONS[n]` takes a database from version n to
     n + 1 (`PRAGMA user_version`); a released step is never edited, only appended to.
  2. Each step runs in its own transaction with its version bump, so a crash mid-way
     leaves the database at the previous version, and running `migrate` again is harmless.
  3. Every connection is WAL with `synchronous=FULL`: a commit that returned survives a
     power cut (NORMAL could lose the last ones), and readers never block the writer.
  4. Values are stored in SI units (seconds); wall-clock times as ISO 8601 UTC text;
     monotonic stamps as the app saw them (comparable within one boot only: each run's
     anchor in `session_run` maps them to wall-clock time). `store_rows` turns rows into
     values and back.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path

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
    # 3: reps stopped by a hold (a distance or count rep is run again from a press)
    """
    CREATE TABLE stopped_rep (
        session_id INTEGER NOT NULL REFERENCES session(id),
        run INTEGER NOT NULL,                  -- see session.runs: the stamps' process
        rep_index INTEGER NOT NULL,
        set_no INTEGER NOT NULL,
        rep_no INTEGER NOT NULL,
        started_at REAL NOT NULL,
        stopped_at REAL NOT NULL
    );
    CREATE INDEX stopped_rep_by_session ON stopped_rep (session_id);
    """,
    # 4: the wall clock. Each run keeps one monotonic moment and the wall-clock time then
    # (its anchor) and where that time came from; a rep knows the run that timed it, so its
    # wall time is its run's anchor plus monotonic seconds. A better clock later on the same
    # boot moves an anchor (and the session's wall times), never a duration.
    """
    CREATE TABLE session_run (
        session_id INTEGER NOT NULL REFERENCES session(id),
        run INTEGER NOT NULL,                  -- 1, then one more per resume
        boot_id TEXT NOT NULL,                 -- monotonic times compare within one boot only
        anchor_mono REAL NOT NULL,             -- a monotonic moment of the run...
        anchor_utc TEXT NOT NULL,              -- ...and the wall-clock time then
        clock TEXT NOT NULL,                   -- its source: synchronised, phone, unsynchronised
        PRIMARY KEY (session_id, run)
    ) WITHOUT ROWID;
    ALTER TABLE session ADD COLUMN started_mono REAL;   -- the start press, on run 1's clock
    ALTER TABLE session ADD COLUMN finished_mono REAL;  -- on the last run's clock
    ALTER TABLE rep ADD COLUMN run INTEGER;             -- NULL: recorded before version 4
    """,
    # 5: what a stall did to a rep: its GO sounded late (it is timed from then), or one of
    # its times was read after the stall with no time of its own (uncertain)
    """
    ALTER TABLE rep ADD COLUMN late_start_s REAL NOT NULL DEFAULT 0;
    ALTER TABLE rep ADD COLUMN uncertain INTEGER NOT NULL DEFAULT 0 CHECK (uncertain IN (0, 1));
    """,
    # 6: athletes and their groups; a session's athletes (a group's, in start order), each
    # rep by its athlete (`lane`: their place in the start order; 0 for a session of one),
    # a group's marks (every crossing, and every press in a rep), the reps whose finish was
    # not seen, and the fixes made afterwards (each kept, an undo too: nothing is deleted).
    """
    CREATE TABLE athlete (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        profile_json TEXT NOT NULL,            -- core.athletes.Profile: race times, pace, speed
        removed_utc TEXT                       -- off the list; their sessions keep them
    );
    CREATE TABLE athlete_group (
        name TEXT PRIMARY KEY,
        athletes_json TEXT NOT NULL            -- athlete ids, in start order
    );
    ALTER TABLE session ADD COLUMN group_json TEXT;    -- a group's start and rests; NULL: one
    CREATE TABLE session_athlete (
        session_id INTEGER NOT NULL REFERENCES session(id),
        lane INTEGER NOT NULL,                 -- the place in the start order, from 0
        athlete_id INTEGER REFERENCES athlete(id),
        name TEXT NOT NULL,                    -- as it was when the session ran
        schedule_json TEXT NOT NULL,           -- their steps: the plan with their targets
        PRIMARY KEY (session_id, lane)
    ) WITHOUT ROWID;
    CREATE TABLE rep_by_lane (
        session_id INTEGER NOT NULL REFERENCES session(id),
        lane INTEGER NOT NULL DEFAULT 0,
        rep_index INTEGER NOT NULL,
        set_no INTEGER NOT NULL,
        rep_no INTEGER NOT NULL,
        started_at REAL NOT NULL,
        ended_at REAL NOT NULL,
        duration_s REAL NOT NULL,
        target_s REAL,
        delta_s REAL,
        splits_json TEXT NOT NULL,
        source TEXT NOT NULL,
        run INTEGER,
        late_start_s REAL NOT NULL DEFAULT 0,
        uncertain INTEGER NOT NULL DEFAULT 0 CHECK (uncertain IN (0, 1)),
        PRIMARY KEY (session_id, lane, rep_index)
    ) WITHOUT ROWID;
    INSERT INTO rep_by_lane (session_id, rep_index, set_no, rep_no, started_at, ended_at,
        duration_s, target_s, delta_s, splits_json, source, run, late_start_s, uncertain)
        SELECT session_id, rep_index, set_no, rep_no, started_at, ended_at, duration_s,
        target_s, delta_s, splits_json, source, run, late_start_s, uncertain FROM rep;
    DROP TABLE rep;
    ALTER TABLE rep_by_lane RENAME TO rep;
    ALTER TABLE stopped_rep ADD COLUMN lane INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE missed_rep (
        session_id INTEGER NOT NULL REFERENCES session(id),
        run INTEGER NOT NULL,
        lane INTEGER NOT NULL,
        rep_index INTEGER NOT NULL,
        set_no INTEGER NOT NULL,
        rep_no INTEGER NOT NULL,
        started_at REAL NOT NULL,              -- the athlete's GO
        target_s REAL,
        late_start_s REAL NOT NULL DEFAULT 0,  -- as a rep's: their GO a stall made late
        PRIMARY KEY (session_id, lane, rep_index)
    ) WITHOUT ROWID;
    CREATE TABLE mark (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- what `trackside fix` calls it
        session_id INTEGER NOT NULL REFERENCES session(id),
        run INTEGER NOT NULL,
        at REAL NOT NULL,                      -- its stamp on the run's monotonic clock
        source TEXT NOT NULL,                  -- beam (a crossing), button or remote (a press)
        role TEXT NOT NULL,                    -- core.events.MarkRole
        lane INTEGER,                          -- a crossing's: whose, of which rep, which one
        rep_index INTEGER,
        crossing INTEGER,
        uncertain INTEGER NOT NULL DEFAULT 0   -- read after a stall, with no time of its own
            CHECK (uncertain IN (0, 1))
    );
    CREATE INDEX mark_by_session ON mark (session_id, id);
    CREATE TABLE fix (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id INTEGER NOT NULL REFERENCES session(id),
        made_utc TEXT NOT NULL,
        made_by TEXT NOT NULL,                 -- who: a login, or --by
        action TEXT NOT NULL,                  -- core.fixes.Action
        rep_index INTEGER,                     -- swap: the rep
        lanes_json TEXT,                       -- swap: the two athletes; assign: the one
        mark_id INTEGER,                       -- assign, drop: the mark
        undoes INTEGER                         -- undo: the fix it takes back
    );
    CREATE INDEX fix_by_session ON fix (session_id, id);
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
