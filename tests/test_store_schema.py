import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trackside.adapters.store_reader import SessionReader
from trackside.adapters.store_schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    connect,
    default_path,
    migrate,
    schema_version,
)
from trackside.core.wall_anchor import ClockSource


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _at_version_1(path: Path) -> sqlite3.Connection:
    """A database as the first release left it, with one session and one rep in it."""
    conn = connect(path, 1.0)
    conn.executescript(f"BEGIN; {MIGRATIONS[0]}; PRAGMA user_version = 1; COMMIT;")
    conn.execute("INSERT INTO session (plan_spec, plan_name, plan_json, schedule_json,"
                 " reps_planned, started_utc) VALUES ('6x400', '6x400', '{}', '{}', 6,"
                 " '2025-01-01T10:00:00.000+00:00')")
    conn.execute("INSERT INTO rep VALUES (1, 1, 1, 1, 10.0, 75.5, 65.5, 66.0, -0.5, '[]', 'beam')")
    return conn


def test_an_empty_database_is_built_to_the_latest_schema(tmp_path: Path) -> None:
    conn = connect(tmp_path / "t.db", 1.0)
    assert migrate(conn) == 0
    assert schema_version(conn) == SCHEMA_VERSION == 6
    assert {"session", "rep", "input", "stopped_rep", "session_run"} <= _tables(conn)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    conn = connect(tmp_path / "t.db", 1.0)
    migrate(conn)
    schema = conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    assert migrate(conn) == SCHEMA_VERSION
    assert conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema


def test_a_version_1_database_gains_the_inputs_and_the_clocks_and_keeps_its_sessions(
        tmp_path: Path) -> None:
    conn = _at_version_1(tmp_path / "t.db")
    assert migrate(conn) == 1
    assert schema_version(conn) == SCHEMA_VERSION
    assert {"input", "stopped_rep", "session_run"} <= _tables(conn)
    assert conn.execute("SELECT plan_name, runs, started_mono FROM session").fetchall() == [
        ("6x400", 1, None)]
    assert conn.execute("SELECT duration_s, run FROM rep").fetchall() == [(65.5, None)]


def test_sessions_from_before_the_wall_clock_anchors_read_as_not_known_to_be_right(
        tmp_path: Path) -> None:
    """History and export read a version 1 or 2 database as it is (reads never migrate)."""
    _at_version_1(tmp_path / "t.db").close()
    [row] = SessionReader(tmp_path / "t.db").history()
    assert (row.started_utc, row.clock) == (datetime(2025, 1, 1, 10, tzinfo=UTC),
                                            ClockSource.UNSYNCHRONISED)
    conn = connect(tmp_path / "t.db", 1.0)
    migrate(conn)
    conn.close()
    saved = SessionReader(tmp_path / "t.db").export(1)
    [rep] = saved.reps
    assert rep.duration_s == 65.5 and saved.wall_start(rep) is None  # no run knows its clock
    assert saved.problems == ("its schedule cannot be read",)  # it was "{}"


def test_a_version_3_database_keeps_its_stopped_reps_and_gains_the_clocks(
        tmp_path: Path) -> None:
    """Read as it is (no clocks yet), then migrated: the stopped rep is still there."""
    conn = _at_version_1(tmp_path / "t.db")
    conn.executescript(f"BEGIN; {MIGRATIONS[1]}; {MIGRATIONS[2]}; PRAGMA user_version = 3;"
                       " COMMIT;")
    conn.execute("INSERT INTO stopped_rep VALUES (1, 1, 2, 1, 2, 100.0, 112.5)")
    conn.close()
    for migrated in (False, True):
        if migrated:
            conn = connect(tmp_path / "t.db", 1.0)
            assert migrate(conn) == 3 and schema_version(conn) == SCHEMA_VERSION
            conn.close()
        saved = SessionReader(tmp_path / "t.db").export(1)
        [stopped] = saved.stopped
        assert (stopped.index, stopped.stopped_at - stopped.started_at) == (2, 12.5)
        assert saved.session.clock is ClockSource.UNSYNCHRONISED and saved.anchors == {}


def test_reps_from_before_schema_5_knew_no_stall_and_keep_reading_after_it(
        tmp_path: Path) -> None:
    conn = _at_version_1(tmp_path / "t.db")
    conn.executescript(f"BEGIN; {'; '.join(MIGRATIONS[1:4])}; PRAGMA user_version = 4; COMMIT;")
    conn.close()
    for migrated in (False, True):
        if migrated:
            conn = connect(tmp_path / "t.db", 1.0)
            assert migrate(conn) == 4
            conn.close()
        [rep] = SessionReader(tmp_path / "t.db").export(1).reps
        assert (rep.duration_s, rep.late_start_s, rep.uncertain) == (65.5, 0.0, False)


def test_a_stall_recorded_at_schema_5_survives_the_move_of_reps_to_athletes(
        tmp_path: Path) -> None:
    conn = _at_version_1(tmp_path / "t.db")
    conn.executescript(f"BEGIN; {'; '.join(MIGRATIONS[1:5])}; PRAGMA user_version = 5; COMMIT;")
    conn.execute("UPDATE rep SET late_start_s = 6.0, uncertain = 1")
    conn.close()
    conn = connect(tmp_path / "t.db", 1.0)
    assert migrate(conn) == 5 and "lane" in _columns(conn, "rep")  # 6 rebuilt the table
    conn.close()
    [rep] = SessionReader(tmp_path / "t.db").export(1).reps
    assert (rep.duration_s, rep.late_start_s, rep.uncertain, rep.athlete) == (
        65.5, 6.0, True, None)


def test_a_migration_that_fails_leaves_the_previous_version_intact(tmp_path: Path) -> None:
    conn = _at_version_1(tmp_path / "t.db")
    conn.execute("CREATE TABLE input (x)")  # in the way of step 2
    with pytest.raises(sqlite3.OperationalError, match="input already exists"):
        migrate(conn)
    assert schema_version(conn) == 1
    assert "runs" not in _columns(conn, "session")  # the ALTER before it was undone


def test_a_database_from_a_newer_trackside_is_not_touched(tmp_path: Path) -> None:
    conn = connect(tmp_path / "t.db", 1.0)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(sqlite3.DatabaseError, match="newer"):
        migrate(conn)
    assert _tables(conn) == set()


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"TRACKSIDE_DB": "/srv/t.db", "STATE_DIRECTORY": "/var/lib/trackside"}, "/srv/t.db"),
        ({"STATE_DIRECTORY": "/var/lib/trackside:/var/lib/other"},
         "/var/lib/trackside/trackside.db"),
        ({"XDG_DATA_HOME": "/home/coach/data"}, "/home/coach/data/trackside/trackside.db"),
    ],
)
def test_the_default_database_follows_the_environment(environ: dict, expected: str) -> None:
    assert default_path(environ=environ) == Path(expected)


def test_without_any_setting_the_database_is_in_the_users_data_folder() -> None:
    assert default_path(environ={}) == Path.home() / ".local/share/trackside/trackside.db"


def test_the_config_file_beats_the_folders_and_the_environment_variable_beats_it() -> None:
    state = {"STATE_DIRECTORY": "/var/lib/trackside"}
    assert default_path("~/t.db", state) == Path.home() / "t.db"
    assert default_path("~/t.db", {**state, "TRACKSIDE_DB": "/srv/t.db"}) == Path("/srv/t.db")
