"""A database that cannot be written never stops the timer: it says so on screen, keeps the
reps that wait, and writes them, in order, once it can."""

import logging
import re
import sqlite3
from pathlib import Path

import pytest
from store_support import mounted, open_store, start, started

from trackside.adapters.store import SessionStore, StoreStatus
from trackside.adapters.store_reader import SessionReader, SessionStatus
from trackside.adapters.store_schema import connect
from trackside.core.events import ButtonPressed, Outcome, RepRecorded, Source
from trackside.runtime.sinks import SETTLE_S


def _run_a_whole_session(store: SessionStore) -> None:
    """What the app does through a session; none of it may raise."""
    session, reps = start(store, "segmented")
    for rep in reps:
        store.record_input(session, ButtonPressed(at=rep.ended_at), 0)
        store.record_rep(session, rep)
    store.finish(session, Outcome.FINISHED, 2000.0)
    assert store.flush(timeout_s=5)


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
    with open_store(db) as store:
        assert store.status is StoreStatus.NOT_SAVING
        assert store.problem == "NOT SAVING: database corrupt"
        _run_a_whole_session(store)
    assert len(_errors(caplog)) == 1
    assert db.read_bytes().startswith(b"this is a shopping list")  # left for a human to look at


def test_damaged_pages_are_found_before_the_session_starts(tmp_path: Path) -> None:
    db = tmp_path / "trackside.db"
    with open_store(db) as store:
        session, _ = start(store, "distance")
        for index in range(1, 9):
            store.record_rep(session, _fat_rep(index))
    with db.open("r+b") as damaged:  # a bad sector in the middle of the file
        damaged.seek(db.stat().st_size // 2)
        damaged.write(b"\xff" * 3000)
    with open_store(db) as store:
        assert store.problem == "NOT SAVING: database corrupt"
        _run_a_whole_session(store)


def test_a_lock_held_by_another_program_delays_saving_and_every_rep_is_saved_after(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "trackside.db"
    with open_store(db, busy_timeout_s=0.05) as store:
        session, reps = start(store, "distance")
        store.record_rep(session, reps[0])
        store.flush()
        other = sqlite3.connect(db, isolation_level=None)  # e.g. a sqlite3 shell left open
        other.execute("BEGIN IMMEDIATE")
        for rep in reps[1:3]:
            store.record_rep(session, rep)
            store.flush()
        assert store.problem == "NOT SAVING: database locked, 2 reps waiting"
        store.record_rep(session, reps[3])
        store.finish(session, Outcome.FINISHED, 2000.0)
        store.flush()
        assert store.problem == "NOT SAVING: database locked, 3 reps waiting"
        other.execute("ROLLBACK")  # the lock is let go
        store.flush()
        assert store.problem is None and store.status is StoreStatus.SAVING
    assert len(_errors(caplog)) == 1
    saved = SessionReader(db).export(session.id)
    assert saved.reps == tuple(reps)
    assert saved.session.status is SessionStatus.FINISHED  # its true status, at last


def test_a_locked_database_costs_a_loop_pass_a_short_try_and_the_rep_waits_not_the_loop(
        tmp_path: Path) -> None:
    db = tmp_path / "trackside.db"
    opened: list[sqlite3.Connection] = []

    def connecting(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
        opened.append(connect(path, busy_timeout_s))
        return opened[-1]

    with open_store(db, connect=connecting) as store:  # the run's own settings
        session, reps = started(store, "distance")
        [writers] = opened
        (busy_ms,) = writers.execute("PRAGMA busy_timeout").fetchone()
        assert busy_ms / 1000 <= SETTLE_S / 2  # a try ends within the pass's settle: was 2 s
        other = sqlite3.connect(db, isolation_level=None)  # `trackside history`, a shell...
        other.execute("BEGIN IMMEDIATE")
        store.record_rep(session, reps[0])
        assert store.flush(timeout_s=5)
        assert store.problem == "NOT SAVING: database locked, 1 rep waiting"  # said at once
        other.execute("ROLLBACK")
        assert store.flush(timeout_s=5) and store.problem is None
        assert store.export(session.id).reps == (reps[0],)


def test_a_session_started_while_the_database_is_locked_is_written_when_it_is_free(
        tmp_path: Path) -> None:
    db = tmp_path / "trackside.db"
    open_store(db).close()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with open_store(db, busy_timeout_s=0.05) as store:
        session, reps = start(store, "distance")
        store.record_rep(session, reps[0])
        store.flush()
        assert session.id is None  # its insert was undone with the transaction
        assert store.problem == "NOT SAVING: database locked, 1 rep waiting"
        other.execute("ROLLBACK")
        store.flush()
        assert session.id is not None and store.problem is None
        assert store.export(session.id).reps == (reps[0],)


def test_a_lock_still_held_at_exit_is_waited_for_a_while_then_reported(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "trackside.db"
    store = open_store(db, busy_timeout_s=0.05)
    session, reps = started(store, "distance")
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store.record_rep(session, reps[0])
    store.close(timeout_s=0.3)
    assert any("1 reps and 0 other writes were never saved" in e for e in _errors(caplog))


def test_a_full_disk_delays_saving_until_there_is_room_again(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "trackside.db"
    open_store(db).close()
    writers: list[sqlite3.Connection] = []

    def no_room_to_grow(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
        conn = connect(path, busy_timeout_s)
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        conn.execute(f"PRAGMA max_page_count = {pages}")
        writers.append(conn)
        return conn

    with open_store(db, connect=no_room_to_grow) as store:
        session, _ = start(store, "distance")
        store.flush()
        assert store.problem is None
        store.record_rep(session, _fat_rep(1))
        store.flush()
        assert store.problem == "NOT SAVING: disk full, 1 rep waiting"
        writers[0].execute("PRAGMA max_page_count = 100000")  # the writer is idle: room again
        store.record_rep(session, _fat_rep(2))
        store.flush()
        assert store.problem is None
        assert [rep.index for rep in store.export(session.id).reps] == [1, 2]
    assert len(_errors(caplog)) == 1


def test_a_real_disk_that_fills_and_is_freed_loses_nothing(tmp_path: Path) -> None:
    with (mounted(tmp_path / "tiny", "-t", "tmpfs", "-o", "size=1m", "tmpfs") as tiny_disk,
          open_store(tiny_disk / "trackside.db") as store):
        session, _ = started(store, "distance")
        filler = tiny_disk / "photos.bin"
        with filler.open("wb", buffering=0) as photos:  # someone else's take the rest
            try:
                while photos.write(b"\0" * 4096):
                    pass
            except OSError:
                pass
        for index in range(1, 6):
            store.record_rep(session, _fat_rep(index))
            store.flush()
        # (the first may still fit in the write-ahead log's old pages)
        assert re.fullmatch(r"NOT SAVING: disk full, [45] reps waiting", store.problem or "")
        store.finish(session, Outcome.FINISHED, 2000.0)
        filler.unlink()
        store.flush()
        assert store.problem is None
        saved = store.export(session.id)
    assert [rep.index for rep in saved.reps] == list(range(1, 6))
    assert saved.session.status is SessionStatus.FINISHED


def test_a_folder_that_cannot_be_made_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    with open_store(tmp_path / "a-file" / "trackside.db") as store:
        assert store.problem == "NOT SAVING: cannot create folder: file exists"
        _run_a_whole_session(store)


def test_a_database_from_a_newer_trackside_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "trackside.db"
    sqlite3.connect(db).execute("PRAGMA user_version = 99").close()
    with open_store(db) as store:
        assert store.problem == "NOT SAVING: database from a newer trackside"
        _run_a_whole_session(store)
