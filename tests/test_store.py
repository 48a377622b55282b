import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from store_support import PLANS, STARTED, mounted, plan, start

from trackside.adapters.store import SessionStore, StoreStatus
from trackside.adapters.store_reader import SessionReader, SessionStatus
from trackside.adapters.store_schema import MIGRATIONS, connect
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Command,
    Commanded,
    Crossing,
    Outcome,
    QuitRequested,
    SensorBack,
    SensorLost,
    SensorNoise,
    Source,
)
from trackside.core.plan import Plan
from trackside.core.summary import summarise

ENDED = datetime(2026, 5, 2, 18, 5, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "sessions" / "trackside.db"


def test_a_rep_is_on_disk_for_another_program_as_soon_as_it_is_flushed(db: Path) -> None:
    with SessionStore.open(db) as store:
        session_id, reps = start(store, "distance")
        store.record_rep(session_id, reps[0])
        assert store.flush()
        other = sqlite3.connect(db)  # another program, e.g. `trackside history`
        rows = other.execute("SELECT rep_index, duration_s, target_s, delta_s, source"
                             " FROM rep WHERE session_id = ?", (session_id,)).fetchall()
        assert rows == [(1, pytest.approx(29.8), 30.0, pytest.approx(-0.2), "beam")]
        assert store.status is StoreStatus.SAVING and store.problem is None


def test_recording_never_waits_for_a_slow_disk(db: Path) -> None:
    disk_stuck, writer_waiting = threading.Event(), threading.Event()

    def stuck_on_reps(sql: str) -> None:  # runs on the writer thread, like a stalled SD card
        if sql.startswith("INSERT OR IGNORE INTO rep"):
            writer_waiting.set()
            disk_stuck.wait()

    def slow_disk(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
        conn = connect(path, busy_timeout_s)
        conn.set_trace_callback(stuck_on_reps)
        return conn

    with SessionStore.open(db, connect=slow_disk) as store:
        session_id, reps = start(store, "segmented")
        store.record_rep(session_id, reps[0])
        assert writer_waiting.wait(5)
        for rep in reps[1:]:  # the writer is stuck: these return all the same
            store.record_rep(session_id, rep)
            store.record_input(session_id, Crossing(at=rep.ended_at, raw="BRK"), 0)
        assert store.history()[0].reps_done == 0
        disk_stuck.set()
        assert store.flush()
        assert store.export(session_id).reps == tuple(reps)


def test_closing_writes_everything_still_queued_and_can_be_repeated(db: Path) -> None:
    store = SessionStore.open(db)
    session_id, reps = start(store, "distance")
    for rep in reps:
        store.record_rep(session_id, rep)
    store.finish(session_id, Outcome.FINISHED, ENDED)
    store.close()
    store.close()
    assert store.status is StoreStatus.CLOSED
    store.record_rep(session_id, reps[0])  # too late: ignored, never raises
    saved = SessionReader(db).export(session_id)
    assert saved.reps == tuple(reps)
    assert saved.session.status is SessionStatus.FINISHED
    assert saved.session.finished_utc == ENDED


def test_the_resume_point_lists_every_completed_rep_once_and_in_order(db: Path) -> None:
    with SessionStore.open(db) as store:
        session_id, reps = start(store, "segmented", spec="2x2x(300m@48s+100m@14s)")
        for rep in (reps[1], reps[0], reps[1]):  # out of order, and one twice
            store.record_rep(session_id, rep)
        store.flush()
    # the process died here: nothing marked the session finished
    with SessionStore.open(db) as store:
        point = store.unfinished()
    assert point is not None
    assert point.session_id == session_id
    assert point.status is SessionStatus.RUNNING
    assert point.reps == (reps[0], reps[1])
    assert point.plan_spec == "2x2x(300m@48s+100m@14s)"
    assert Plan.model_validate_json(point.plan_json) == plan("segmented")


def test_a_resumed_session_goes_on_from_its_last_rep_and_then_finishes(db: Path) -> None:
    with SessionStore.open(db) as store:
        session_id, reps = start(store, "distance")
        store.record_rep(session_id, reps[0])
        store.record_input(session_id, ButtonPressed(at=5.0), 1_000)
        store.finish(session_id, Outcome.INTERRUPTED, ENDED)
    with SessionStore.open(db) as store:
        point = store.unfinished()
        assert point is not None and point.status is SessionStatus.INTERRUPTED
        store.resume(point.session_id)
        store.record_input(session_id, ButtonPressed(at=2.0), 2_000)  # a new run's clock
        for rep in reps[len(point.reps):]:
            store.record_rep(session_id, rep)
        store.finish(session_id, Outcome.FINISHED, ENDED)
        store.flush()
        assert store.unfinished() is None
        saved = store.export(session_id)
    assert saved.reps == tuple(reps)
    assert [(logged.run, logged.item.at) for logged in saved.inputs] == [(1, 5.0), (2, 2.0)]
    assert saved.session.status is SessionStatus.FINISHED


def test_only_the_newest_session_is_offered_for_resuming(db: Path) -> None:
    with SessionStore.open(db) as store:
        start(store, "distance")  # given up: the athlete started another one
        newer, _ = start(store, "timed")
        assert store.unfinished().session_id == newer
        store.finish(newer, Outcome.ENDED_EARLY, ENDED)
        store.flush()
        assert store.unfinished() is None


def test_every_kind_of_input_is_kept_for_a_replay(db: Path) -> None:
    inputs = [ButtonPressed(at=1.0), ButtonReleased(at=1.2), Crossing(at=60.5, raw="BRK 1234"),
              SensorNoise(at=61.0, raw="\x00garbage", reason="not a crossing"),
              SensorLost(at=70.0, reason="device reports readiness to read but returned no data"),
              SensorBack(at=75.0), Commanded(at=78.0, command=Command.PRESS, source=Source.REMOTE),
              QuitRequested(at=80.0)]
    with SessionStore.open(db) as store:
        session_id, _ = start(store, "distance")
        for number, item in enumerate(inputs):
            store.record_input(session_id, item, mono_ns=10**9 + number)
        store.flush()
        logged = store.export(session_id).inputs
    assert [entry.item for entry in logged] == inputs
    assert [entry.mono_ns for entry in logged] == [10**9 + n for n in range(len(inputs))]


@pytest.mark.parametrize("kind", sorted(PLANS))
def test_history_and_export_cover_every_kind_of_plan(db: Path, kind: str) -> None:
    with SessionStore.open(db) as store:
        session_id, reps = start(store, kind)
        for rep in reps:
            store.record_rep(session_id, rep)
        store.finish(session_id, Outcome.FINISHED, ENDED)
        store.flush()
        [row] = store.history()
        saved = store.export(session_id)
    deltas = [rep.delta_s for rep in reps if rep.delta_s is not None]
    assert (row.id, row.plan_name, row.started_utc, row.status) == (
        session_id, plan(kind).name, STARTED, SessionStatus.FINISHED)
    assert (row.reps_done, row.reps_planned) == (len(reps), len(reps))
    assert row.mean_delta_s == (pytest.approx(sum(deltas) / len(deltas)) if deltas else None)
    assert saved.reps == tuple(reps)
    assert saved.summary == summarise(reps)


def test_history_is_newest_first_whatever_the_wall_clock_said(db: Path) -> None:
    with SessionStore.open(db) as store:
        first, _ = start(store, "distance")
        # the Pi booted without network: its clock thinks it is 1970
        second = store.start_session(plan_spec="x", plan_json="{}", schedule_json="{}",
                                     plan_name="after a reboot", reps_planned=1,
                                     started_utc=datetime(1970, 1, 1))
        assert [row.id for row in store.history()] == [second, first]


def test_a_database_from_the_previous_release_is_upgraded_on_open(db: Path) -> None:
    db.parent.mkdir()
    conn = connect(db, 1.0)
    conn.executescript(f"BEGIN; {MIGRATIONS[0]}; PRAGMA user_version = 1; COMMIT;")
    conn.close()
    with SessionStore.open(db) as store:
        session_id, reps = start(store, "count")
        store.record_input(session_id, ButtonPressed(at=1.0), 5)
        store.record_rep(session_id, reps[0])
        store.flush()
        assert store.problem is None
        assert len(store.export(session_id).inputs) == 1


def test_history_can_be_read_where_it_cannot_be_written(db: Path, tmp_path: Path) -> None:
    """The service's database, read by another user or from a read-only mount."""
    with SessionStore.open(db) as store:
        start(store, "distance")
    with mounted(tmp_path / "read-only", "--bind", "-o", "ro", str(db.parent)) as folder:
        with pytest.raises(OSError, match="Read-only"):
            (folder / "probe").write_text("")
        [row] = SessionReader(folder / db.name).history()
    assert row.plan_name == "4x200m"


def test_under_systemd_the_database_is_in_the_state_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKSIDE_DB", raising=False)
    monkeypatch.setenv("STATE_DIRECTORY", str(tmp_path))
    with SessionStore.open(None) as store:
        start(store, "timed")
    assert store.path == tmp_path / "trackside.db"
    assert SessionReader(store.path).history()[0].plan_name == "3x20s hill"
