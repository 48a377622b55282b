"""The store as the loop's durable record, on the fake clock: stop after two reps, resume,
finish; quit before anything ran; a locked database while reps come in; and `settle`, the
wait that keeps a rep off the screen until it is on disk."""

import io
import json
import sqlite3
import threading
from pathlib import Path

from recorded_run import AfterRep, run_recorded
from store_support import open_store, plan, started

from trackside.adapters.eventlog import EventLog
from trackside.adapters.store import NewSession
from trackside.adapters.store_reader import SessionStatus
from trackside.adapters.store_recorder import SessionRecorder
from trackside.core.engine import Engine
from trackside.core.events import ButtonPressed, ButtonReleased, QuitRequested
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.core.view import View
from trackside.runtime.clock import FakeClock
from trackside.runtime.inbox import Inbox
from trackside.runtime.loop import Loop, NullScreen
from trackside.runtime.sinks import Sinks
from trackside.session_files import as_json


class _Notices(NullScreen):
    """A screen that remembers every notice it was asked to show."""

    def __init__(self) -> None:
        self.shown: list[str] = []

    def show(self, view: View, now: float) -> None:
        if view.notice and (not self.shown or self.shown[-1] != view.notice):
            self.shown.append(view.notice)


def _new(the_plan: Plan) -> NewSession:
    return NewSession.of("plans/segmented.toml", the_plan, expand(the_plan))


def test_a_session_stopped_after_two_reps_resumes_and_keeps_every_rep_once(
        tmp_path: Path) -> None:
    the_plan, db = plan("segmented"), tmp_path / "trackside.db"
    with open_store(db) as store:
        first, recorder = run_recorded(store, _new(the_plan), the_plan, FakeClock(), quit_after=2)
    assert [rep.index for rep in first.results] == [1, 2]
    session_id = recorder.session.id

    with open_store(db) as store:  # the next morning: a new process, a new clock
        point = store.unfinished()
        assert point is not None and point.status is SessionStatus.INTERRUPTED
        assert point.reps == tuple(first.results)
        second, _ = run_recorded(store, store.resume(point.session_id), point.plan, FakeClock(t=50.0),
                         done=point.reps)
        store.flush()
        saved = store.export(session_id)
        assert store.unfinished() is None

    assert [rep.index for rep in saved.reps] == [1, 2, 3, 4]
    assert saved.reps == tuple(second.results)
    assert saved.session.status is SessionStatus.FINISHED
    assert {logged.run for logged in saved.inputs} == {1, 2}
    assert isinstance(saved.inputs[0].item, ButtonPressed)  # the press that started it


def test_quitting_before_anything_ran_leaves_no_session(tmp_path: Path) -> None:
    the_plan, db, clock = plan("distance"), tmp_path / "trackside.db", FakeClock()
    with open_store(db) as store:
        inbox = Inbox()
        recorder = SessionRecorder(store, _new(the_plan))
        inbox.put(QuitRequested(clock.now()))
        sinks = Sinks(clock)
        sinks.keep_durably(recorder)
        Loop(Engine(expand(the_plan)), inbox, clock, sinks).run()
        store.flush()
        assert store.history() == []
    assert recorder.session is None


def test_a_locked_database_says_how_many_reps_wait_and_saves_them_all(tmp_path: Path) -> None:
    the_plan, db, screen = plan("distance"), tmp_path / "trackside.db", _Notices()
    open_store(db).close()
    other = sqlite3.connect(db, isolation_level=None)  # a sqlite3 shell left open...
    other.execute("BEGIN IMMEDIATE")

    let_go_after_three = AfterRep(3, lambda: other.execute("ROLLBACK"))  # ...closed at last
    with open_store(db, busy_timeout_s=0.01) as store:
        engine, recorder = run_recorded(store, _new(the_plan), the_plan, FakeClock(), screen=screen,
                                watcher=let_go_after_three)
        store.flush()
        saved = store.export(recorder.session.id)
    # (the session's own row may have been tried, and said so, before the first rep)
    assert [notice for notice in screen.shown if "waiting" in notice] == [
        "NOT SAVING: database locked, 1 rep waiting",
        "NOT SAVING: database locked, 2 reps waiting",
        "NOT SAVING: database locked, 3 reps waiting"]
    assert all(notice.startswith("NOT SAVING: database locked") for notice in screen.shown)
    assert saved.reps == engine.results
    assert saved.session.status is SessionStatus.FINISHED


def test_a_rep_stopped_by_a_hold_is_in_the_event_log_and_the_session(tmp_path: Path) -> None:
    """Saved like every write: held back while another program locks the database."""
    the_plan, clock, inbox, db = plan("distance"), FakeClock(), Inbox(), tmp_path / "t.db"
    stream = io.BytesIO()
    open_store(db).close()
    other = sqlite3.connect(db, isolation_level=None)
    with open_store(db, busy_timeout_s=0.01) as store:
        recorder = SessionRecorder(store, NewSession.of("4x200m", the_plan, expand(the_plan)))
        sinks = Sinks(clock)
        sinks.keep_durably(recorder)
        sinks.add_recorder(EventLog(stream.write))
        for item in [ButtonPressed(0.0), ButtonReleased(0.1),  # GO at 5
                     ButtonPressed(10.0), ButtonReleased(12.5), QuitRequested(20.0)]:
            inbox.put(item)
        other.execute("BEGIN IMMEDIATE")  # a sqlite3 shell left open while the rep stops
        Loop(Engine(expand(the_plan)), inbox, clock, sinks).run()
        assert store.flush() and store.problem == "NOT SAVING: database locked"
        other.execute("ROLLBACK")
        assert store.flush() and store.problem is None
        saved = store.export(recorder.session.id)
    logged = [json.loads(line) for line in stream.getvalue().splitlines()]
    [stopped] = [line for line in logged if line["type"] == "rep_stopped"]
    assert (stopped["set"], stopped["rep"], stopped["elapsed_s"]) == (1, 1, 7.0)
    assert saved.reps == () and as_json(saved)["stopped_reps"] == [
        {"index": 1, "set": 1, "rep": 1, "elapsed_s": 7.0}]


def test_settle_returns_once_the_rep_is_committed_and_waits_no_longer_than_told(
        tmp_path: Path) -> None:
    db = tmp_path / "trackside.db"
    with open_store(db, busy_timeout_s=2.0) as store:
        session, reps = started(store, "distance")
        recorder = SessionRecorder(store, session)
        other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # the disk is slow: the commit must wait for it
        recorder.effect(reps[0], None)
        recorder.settle(timeout_s=0.05)  # bounded: back before the commit
        assert store.export(session.id).reps == ()
        recorder.effect(reps[1], None)
        threading.Timer(0.1, other.execute, ("ROLLBACK",)).start()  # the disk catches up
        recorder.settle(timeout_s=5.0)
        assert store.export(session.id).reps == tuple(reps[:2])  # on disk before it is shown
