"""The store as the loop's durable record, on the fake clock: stop after two reps, resume,
finish; and `settle`, the wait that keeps a rep off the screen until it is on disk."""

import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from store_support import plan, start

from trackside.adapters.store import SessionRecorder, SessionStore
from trackside.adapters.store_reader import SessionStatus
from trackside.adapters.store_schema import schedule_json
from trackside.commands.simulate import SimulatedAthlete
from trackside.core.engine import Engine
from trackside.core.events import Effect, QuitRequested, RepRecorded
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.core.view import View
from trackside.runtime.clock import FakeClock
from trackside.runtime.inbox import Inbox
from trackside.runtime.loop import Loop
from trackside.runtime.sinks import Sinks

END = datetime(2026, 5, 2, 19, tzinfo=UTC)


def _run(store: SessionStore, session_id: int, the_plan: Plan, clock: FakeClock,
         done: tuple[RepRecorded, ...] = (), quit_after: int | None = None) -> Engine:
    """One process's run of a session: the real loop, a simulated athlete, our recorder."""
    inbox, engine, sinks = Inbox(), Engine(expand(the_plan), done=done), Sinks(clock)
    sinks.keep_durably(SessionRecorder(store, session_id, utc_now=lambda: END,
                                       mono_ns=lambda: int(clock.now() * 1e9)))
    sinks.add_subscriber(SimulatedAthlete(inbox.put, clock, seed=7), "ATHLETE GONE")

    class QuitAfterReps:
        def publish(self, view: View, effects: Sequence[Effect]) -> None:
            if any(isinstance(e, RepRecorded) and e.index == quit_after for e in effects):
                inbox.put(QuitRequested(clock.now()))

    sinks.add_subscriber(QuitAfterReps(), "NOT QUITTING")
    Loop(engine, inbox, clock, sinks).run()
    return engine


def test_a_session_stopped_after_two_reps_resumes_and_keeps_every_rep_once(
        tmp_path: Path) -> None:
    the_plan, db = plan("segmented"), tmp_path / "trackside.db"
    with SessionStore.open(db) as store:
        schedule = expand(the_plan)
        session_id = store.start_session(
            plan_spec="plans/segmented.toml", plan_json=the_plan.model_dump_json(),
            schedule_json=schedule_json(schedule), plan_name=the_plan.name,
            reps_planned=len(schedule.reps), started_utc=END)
        first = _run(store, session_id, the_plan, FakeClock(), quit_after=2)
    assert [rep.index for rep in first.results] == [1, 2]

    with SessionStore.open(db) as store:  # the next morning: a new process, a new clock
        point = store.unfinished()
        assert point is not None and point.status is SessionStatus.INTERRUPTED
        assert point.reps == tuple(first.results)
        store.resume(point.session_id)
        again = Plan.model_validate_json(point.plan_json)
        second = _run(store, point.session_id, again, FakeClock(t=50.0), done=point.reps)
        store.flush()
        saved = store.export(session_id)
        assert store.unfinished() is None

    assert [rep.index for rep in saved.reps] == [1, 2, 3, 4]
    assert saved.reps == tuple(second.results)
    assert saved.session.status is SessionStatus.FINISHED
    assert {logged.run for logged in saved.inputs} == {1, 2}


def test_settle_returns_once_the_rep_is_committed_and_waits_no_longer_than_told(
        tmp_path: Path) -> None:
    db = tmp_path / "trackside.db"
    with SessionStore.open(db, busy_timeout_s=2.0) as store:
        session_id, reps = start(store, "distance")
        recorder = SessionRecorder(store, session_id)
        other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # the disk is slow: the commit must wait for it
        recorder.effect(reps[0], None)
        recorder.settle(timeout_s=0.05)  # bounded: back before the commit
        assert store.export(session_id).reps == ()
        recorder.effect(reps[1], None)
        threading.Timer(0.1, other.execute, ("ROLLBACK",)).start()  # the disk catches up
        recorder.settle(timeout_s=5.0)
        assert store.export(session_id).reps == tuple(reps[:2])  # on disk before it is shown
