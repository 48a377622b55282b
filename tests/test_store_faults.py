"""A database that cannot be written never stops the timer: it says so once, on screen."""

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from store_support import mounted, start

from trackside.adapters.store import SessionStore, StoreStatus
from trackside.adapters.store_schema import connect
from trackside.core.events import ButtonPressed, Outcome, RepRecorded, Source


def _run_a_whole_session(store: SessionStore) -> None:
    """What the app does through a session; none of it may raise."""
    session_id, reps = start(store, "segmented")
    for rep in reps:
        store.record_input(session_id, ButtonPressed(at=rep.ended_at), 0)
        store.record_rep(session_id, rep)
    store.finish(session_id, Outcome.FINISHED, datetime.now(UTC))
    assert store.flush(timeout_s=5)
    assert store.unfinished() is None


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def _fat_rep(index: int) -> RepRecorded:
    """A rep with a thousand splits: it needs pages of its own."""
    return RepRecorded(set_no=1, rep_no=index, index=index, started_at=0.0, ended_at=60.0,
                       target_s=60.0, splits_s=tuple(float(n) for n in range(1000)),
                       source=Source.BEAM)


def test_a_corrupt_file_is_reported_and_the_session_goes_on(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "trackside.db"
    db.write_bytes(b"this is a shopping list, not a database\n" * 200)
    with SessionStore.open(db) as store:
        assert store.status is StoreStatus.NOT_SAVING
        assert store.problem == "NOT SAVING: database corrupt"
        _run_a_whole_session(store)
    assert len(_errors(caplog)) == 1
    assert db.read_bytes().startswith(b"this is a shopping list")  # left for a human to look at


def test_damaged_pages_are_found_before_the_session_starts(tmp_path: Path) -> None:
    db = tmp_path / "trackside.db"
    with SessionStore.open(db) as store:
        session_id, _ = start(store, "distance")
        for index in range(1, 9):
            store.record_rep(session_id, _fat_rep(index))
    with db.open("r+b") as damaged:  # a bad sector in the middle of the file
        damaged.seek(db.stat().st_size // 2)
        damaged.write(b"\xff" * 3000)
    with SessionStore.open(db) as store:
        assert store.problem == "NOT SAVING: database corrupt"
        _run_a_whole_session(store)


def test_a_database_locked_by_another_program_stops_saving_not_timing(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "trackside.db"
    with SessionStore.open(db, busy_timeout_s=0.05) as store:
        session_id, reps = start(store, "distance")
        store.record_rep(session_id, reps[0])
        store.flush()
        other = sqlite3.connect(db, isolation_level=None)  # e.g. a sqlite3 shell left open
        other.execute("BEGIN IMMEDIATE")
        store.record_rep(session_id, reps[1])
        store.flush()
        assert store.problem == "NOT SAVING: database locked"
        _run_a_whole_session(store)
        other.execute("ROLLBACK")
    assert len(_errors(caplog)) == 1
    with SessionStore.open(db) as store:
        assert [rep.index for rep in store.export(session_id).reps] == [1]


def test_a_session_that_cannot_be_started_on_disk_gets_an_id_all_the_same(
        tmp_path: Path) -> None:
    db = tmp_path / "trackside.db"
    SessionStore.open(db).close()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with SessionStore.open(db, busy_timeout_s=0.05) as store:
        first, _ = start(store, "distance")
        second, _ = start(store, "timed")
        assert first < 0 and second < 0 and first != second
        assert store.problem == "NOT SAVING: database locked"


def test_a_full_disk_stops_saving_not_timing(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "trackside.db"
    SessionStore.open(db).close()

    def no_room_to_grow(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
        conn = connect(path, busy_timeout_s)
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    with SessionStore.open(db, connect=no_room_to_grow) as store:
        session_id, _ = start(store, "distance")
        assert store.problem is None
        store.record_rep(session_id, _fat_rep(1))
        store.flush()
        assert store.problem == "NOT SAVING: disk full"
        _run_a_whole_session(store)
    assert len(_errors(caplog)) == 1


def test_a_real_full_disk_stops_saving_not_timing(tmp_path: Path) -> None:
    with (mounted(tmp_path / "tiny", "-t", "tmpfs", "-o", "size=64k", "tmpfs") as tiny_disk,
          SessionStore.open(tiny_disk / "trackside.db") as store):
        session_id, _ = start(store, "distance")
        for index in range(1, 20):
            store.record_rep(session_id, _fat_rep(index))
            store.flush()
        assert store.problem == "NOT SAVING: disk full"
        _run_a_whole_session(store)


def test_a_folder_that_cannot_be_made_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    with SessionStore.open(tmp_path / "a-file" / "trackside.db") as store:
        assert store.problem == "NOT SAVING: cannot create folder: file exists"
        _run_a_whole_session(store)


def test_a_database_from_a_newer_trackside_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "trackside.db"
    sqlite3.connect(db).execute("PRAGMA user_version = 99").close()
    with SessionStore.open(db) as store:
        assert store.problem == "NOT SAVING: database from a newer trackside"
        _run_a_whole_session(store)
