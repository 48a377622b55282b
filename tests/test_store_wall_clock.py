"""Every session keeps its wall-clock start and the clock it came from; a better clock on
the same boot moves wall times, never durations."""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from store_support import STARTED, at_the_track, open_store, start, started

from trackside.core.events import Outcome
from trackside.core.wall_anchor import ClockSource, WallAnchor

PHONE_SAYS = STARTED + timedelta(days=3, hours=2)  # the Pi's clock was 3 days behind


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "trackside.db"


def _synchronised(mono_s: float = 0.0) -> WallAnchor:
    return WallAnchor(PHONE_SAYS + timedelta(seconds=mono_s), mono_s, ClockSource.SYNCHRONISED)


def test_a_session_keeps_its_start_and_each_reps_start_by_the_wall_clock(db: Path) -> None:
    with open_store(db) as store:
        session, reps = start(store, "distance")
        for rep in reps:
            store.record_rep(session, rep)
        store.finish(session, Outcome.FINISHED, 1500.0)
        store.flush()
        saved = store.export(session.id)
    assert saved.session.started_utc == STARTED
    assert saved.session.finished_utc == STARTED + timedelta(seconds=1500)
    assert saved.session.clock is ClockSource.UNSYNCHRONISED
    assert [saved.wall_start(rep) for rep in reps] == [
        (STARTED + timedelta(seconds=rep.started_at), ClockSource.UNSYNCHRONISED)
        for rep in reps]


def test_a_phones_clock_re_anchors_this_boots_runs_and_never_their_durations(db: Path) -> None:
    with open_store(db, boot_id="boot-1") as store:
        session, reps = start(store, "distance")
        store.record_rep(session, reps[0])
        phone = WallAnchor(PHONE_SAYS + timedelta(seconds=500), 500.0, ClockSource.PHONE)
        assert store.anchor(phone)
        store.record_rep(session, reps[1])
        assert not store.anchor(at_the_track())  # no better: nothing changes
        store.finish(session, Outcome.FINISHED, 1500.0)
        store.flush()
        saved = store.export(session.id)
    assert (saved.session.started_utc, saved.session.clock) == (PHONE_SAYS, ClockSource.PHONE)
    assert saved.session.finished_utc == PHONE_SAYS + timedelta(seconds=1500)
    assert saved.wall_start(reps[0]) == (
        PHONE_SAYS + timedelta(seconds=reps[0].started_at), ClockSource.PHONE)
    assert saved.reps == tuple(reps[:2])  # the same times, to the last digit


def test_a_clock_synchronised_later_on_the_same_boot_re_anchors_the_earlier_runs(
        db: Path) -> None:
    with open_store(db, boot_id="boot-1") as store:
        first, _ = started(store, "distance")
    with open_store(db, boot_id="boot-2", wall_clock=_synchronised) as store:
        second, _ = started(store, "timed")  # after a reboot: its monotonic clock is another
        assert store.history()[-1].clock is ClockSource.UNSYNCHRONISED
    with open_store(db, boot_id="boot-1", wall_clock=_synchronised) as store:
        store.flush()  # home again, on the first boot, with network
        rows = {row.id: row for row in store.history()}
    assert (rows[first.id].started_utc, rows[first.id].clock) == (
        PHONE_SAYS, ClockSource.SYNCHRONISED)
    assert rows[second.id].clock is ClockSource.SYNCHRONISED


def test_the_running_store_notices_when_the_system_clock_becomes_synchronised(
        db: Path) -> None:
    readings = [at_the_track()]

    def system_clock() -> WallAnchor:  # NTP answers after the first check
        return readings.pop(0) if readings else _synchronised(mono_s=60.0)

    with open_store(db, boot_id="boot-1", wall_clock=system_clock,
                    wall_clock_check_s=0.01) as store:
        session, _ = start(store, "distance")
        deadline = time.monotonic() + 5.0
        while store.wall_anchor.source is not ClockSource.SYNCHRONISED:
            assert time.monotonic() < deadline, "the clock was never checked again"
            time.sleep(0.01)
        store.flush()
        [row] = store.history()
    assert (row.started_utc, row.clock) == (PHONE_SAYS, ClockSource.SYNCHRONISED)


def test_a_resumed_session_maps_each_rep_through_the_clock_of_the_run_that_timed_it(
        db: Path) -> None:
    with open_store(db, boot_id="boot-1") as store:
        session, reps = start(store, "distance")
        store.record_rep(session, reps[0])
        store.finish(session, Outcome.INTERRUPTED, 1100.0)
    with open_store(db, boot_id="boot-2", wall_clock=_synchronised) as store:
        again = store.resume(store.unfinished().session_id)
        store.record_rep(again, reps[1])
        store.flush()
        saved = store.export(session.id)
    assert saved.wall_start(reps[0]) == (
        STARTED + timedelta(seconds=reps[0].started_at), ClockSource.UNSYNCHRONISED)
    assert saved.wall_start(reps[1]) == (
        PHONE_SAYS + timedelta(seconds=reps[1].started_at), ClockSource.SYNCHRONISED)
    assert saved.session.clock is ClockSource.UNSYNCHRONISED  # it started on the first run


def test_a_later_run_on_the_same_boot_keeps_the_better_clock_an_earlier_run_had(
        db: Path) -> None:
    """A phone paired during run 1, gone by run 2 (same boot): both read the phone's time,
    so their monotonic stamps stay on one time line."""
    with open_store(db, boot_id="boot-1") as store:
        session, reps = start(store, "distance")
        store.record_rep(session, reps[0])
        assert store.anchor(WallAnchor(PHONE_SAYS, 0.0, ClockSource.PHONE))
        store.finish(session, Outcome.INTERRUPTED, 1100.0)
    with open_store(db, boot_id="boot-1") as store:  # the system clock is still 3 days behind
        assert store.wall_anchor == WallAnchor(PHONE_SAYS, 0.0, ClockSource.PHONE)
        again = store.resume(session.id)
        store.record_rep(again, reps[1])
        store.flush()
        saved = store.export(session.id)
    assert [saved.wall_start(rep) for rep in reps[:2]] == [
        (PHONE_SAYS + timedelta(seconds=rep.started_at), ClockSource.PHONE) for rep in reps[:2]]
