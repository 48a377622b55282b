"""A recorded session as a FIT activity: both readers accept it, and its laps are the reps."""

from __future__ import annotations

import itertools
import math
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fit_support import fitdecode_messages, sdk_messages
from recorded_run import run_recorded
from store_support import STARTED, at_the_track, open_store, plan

from trackside.adapters.store import NewSession
from trackside.adapters.store_reader import SessionExport
from trackside.cli import main
from trackside.core.activity import LapKind, activity_of
from trackside.core.errors import UserError
from trackside.core.events import RepRecorded, Source
from trackside.core.notation import parse_notation
from trackside.core.precision import shown_s
from trackside.core.schedule import Step, expand
from trackside.core.wall_anchor import ClockSource, WallAnchor
from trackside.formats.fit_activity import activity_file
from trackside.runtime.clock import FakeClock

Capture = pytest.CaptureFixture[str]
AFTER_A_RESTART = STARTED + timedelta(hours=2)  # the wall clock of a run after a reboot


def _session(db: Path, kind: str, resume_clock: float | None = None,
             restart: WallAnchor | None = None) -> SessionExport:
    """A session of `kind` run to the end, its wall clock STARTED at monotonic 0; with
    `resume_clock`, quit after rep 2 and resumed by a new process whose clock then reads
    `resume_clock`: on the same boot, or after a restart of the Pi whose wall clock then
    was `restart` (at monotonic 0)."""
    the_plan = plan(kind)
    with open_store(db, boot_id="boot-1") as store:
        new = NewSession.of(kind, the_plan, expand(the_plan))
        quit_after = 2 if resume_clock is not None else None
        _, recorder = run_recorded(store, new, the_plan, FakeClock(t=1000.0), quit_after=quit_after,
                                   seed=3)
        session = recorder.session
    assert session is not None and session.id is not None
    if resume_clock is not None:
        boot = "boot-2" if restart else "boot-1"
        with open_store(db, boot_id=boot, wall_clock=lambda: restart or at_the_track()) as store:
            point = store.unfinished()
            assert point is not None
            run_recorded(store, store.resume(session.id), the_plan, FakeClock(t=resume_clock),
                         done=point.reps, seed=3)
    with open_store(db) as store:
        return store.export(session.id)


def _export(db: Path, session_id: int, out: Path, capsys: Capture) -> bytes:
    assert main(["export", str(session_id), "--db", str(db), "--out", str(out)]) == 0
    assert capsys.readouterr().out.endswith(f"written to {out} (FIT activity)\n")
    return out.read_bytes()


def test_a_session_exports_with_a_lap_per_rep_and_rest_that_both_readers_accept(
        tmp_path: Path, capsys: Capture) -> None:
    db = tmp_path / "trackside.db"
    session = _session(db, "segmented")
    messages = sdk_messages(_export(db, session.session.id, tmp_path / "s.fit", capsys))
    assert messages["file_id_mesgs"][0]["type"] == "activity"
    laps = messages["lap_mesgs"]
    assert [lap["intensity"] for lap in laps] == ["active", "rest"] * 3 + ["active"]
    assert [lap["lap_trigger"] for lap in laps[1::2]] == ["time", "manual", "time"]  # set break
    for lap, rep in zip(laps[::2], session.reps, strict=True):
        assert lap["total_timer_time"] == math.ceil(rep.duration_s * 1000) / 1000
        assert shown_s(lap["total_timer_time"], rep.source) == shown_s(rep.duration_s,
                                                                         rep.source)
        assert (lap["total_distance"], lap["lap_trigger"]) == (400.0, "position_lap")
    [summary] = messages["session_mesgs"]
    assert (summary["sport"], summary["sub_sport"], summary["num_laps"]) == (
        "running", "track", 7)
    assert summary["total_distance"] == 1600.0
    independent = fitdecode_messages((tmp_path / "s.fit").read_bytes())
    fit_laps = [fields for kind, fields in independent if kind == "lap"]
    assert [lap["total_timer_time"] for lap in fit_laps] == [
        lap["total_timer_time"] for lap in laps]
    assert next(fields for kind, fields in independent
                if kind == "session")["clock_source"] == "unsynchronised"


def test_the_activity_starts_at_the_first_go_on_the_session_s_wall_clock(
        tmp_path: Path, capsys: Capture) -> None:
    db = tmp_path / "trackside.db"
    session = _session(db, "distance")
    messages = sdk_messages(_export(db, session.session.id, tmp_path / "s.fit", capsys))
    first_go = STARTED + timedelta(seconds=session.reps[0].started_at)  # its run's anchor
    assert messages["lap_mesgs"][0]["start_time"] == first_go.replace(microsecond=0)
    assert messages["session_mesgs"][0]["start_time"] == first_go.replace(microsecond=0)


def test_records_come_every_second_while_the_timer_runs_with_the_distance_so_far(
        tmp_path: Path, capsys: Capture) -> None:
    db = tmp_path / "trackside.db"
    session = _session(db, "distance")
    records = sdk_messages(_export(db, session.session.id, tmp_path / "s.fit", capsys)
                           )["record_mesgs"]
    stamps = [record["timestamp"] for record in records]
    assert all(b - a == timedelta(seconds=1) for a, b in itertools.pairwise(stamps))
    span = session.reps[-1].ended_at - session.reps[0].started_at
    assert len(records) >= math.floor(span)
    distances = [record["distance"] for record in records]
    assert distances == sorted(distances) and distances[-1] == 800.0  # 4 x 200 m


def _interruption(messages: dict) -> tuple[datetime, datetime]:
    """Where the timer stood still, after checking that it stopped once and that no record
    falls in it."""
    timer = [(event["event_type"], event["timestamp"]) for event in messages["event_mesgs"]]
    assert [kind for kind, _ in timer] == ["start", "stop_all", "start", "stop_all"]
    stopped_from, stopped_to = timer[1][1], timer[2][1]
    assert not [record for record in messages["record_mesgs"]
                if stopped_from < record["timestamp"] < stopped_to]
    return stopped_from, stopped_to


def test_a_resumed_session_stops_the_timer_over_the_interruption(
        tmp_path: Path, capsys: Capture) -> None:
    db = tmp_path / "trackside.db"
    session = _session(db, "distance", resume_clock=5000.0)  # the same boot, later
    messages = sdk_messages(_export(db, session.session.id, tmp_path / "s.fit", capsys))
    _interruption(messages)
    gap = messages["lap_mesgs"][3]  # the rest in which the session was interrupted
    assert gap["total_timer_time"] < gap["total_elapsed_time"] - 3000


def test_a_session_resumed_after_a_restart_places_each_run_by_its_own_clock(
        tmp_path: Path, capsys: Capture) -> None:
    db = tmp_path / "trackside.db"
    restart = WallAnchor(AFTER_A_RESTART, 0.0, ClockSource.SYNCHRONISED)
    session = _session(db, "distance", resume_clock=50.0, restart=restart)  # the clock began again
    assert session.rep_runs == {1: 1, 2: 1, 3: 2, 4: 2}
    messages = sdk_messages(_export(db, session.session.id, tmp_path / "s.fit", capsys))
    laps = messages["lap_mesgs"]
    starts = [STARTED + timedelta(seconds=rep.started_at) for rep in session.reps[:2]] + [
        AFTER_A_RESTART + timedelta(seconds=rep.started_at) for rep in session.reps[2:]]
    assert [lap["start_time"] for lap in laps[::2]] == [
        start.replace(microsecond=0) for start in starts]
    assert [lap["total_timer_time"] for lap in laps[::2]] == [
        math.ceil(rep.duration_s * 1000) / 1000 for rep in session.reps]
    stopped_from, stopped_to = _interruption(messages)
    assert stopped_from < AFTER_A_RESTART < stopped_to
    [summary] = messages["session_mesgs"]  # run 1's clock was not known to be right
    assert summary["start_time"] == starts[0].replace(microsecond=0)
    assert next(fields for kind, fields in fitdecode_messages((tmp_path / "s.fit").read_bytes())
                if kind == "session")["clock_source"] == "unsynchronised"


def test_a_session_resumed_after_a_restart_on_a_clock_behind_is_one_line(
        tmp_path: Path, capsys: Capture) -> None:
    db = tmp_path / "trackside.db"
    behind = WallAnchor(STARTED, 0.0, ClockSource.UNSYNCHRONISED)  # back to where it began
    session = _session(db, "distance", resume_clock=50.0, restart=behind)
    assert main(["export", str(session.session.id), "--db", str(db),
                 "--out", str(tmp_path / "s.fit")]) == 2
    assert capsys.readouterr().err == (
        "trackside: error: session 1 was resumed after a restart of the Pi on a clock behind "
        "the run before: its reps cannot be put on one time line (export it as CSV or JSON)\n")
    assert not (tmp_path / "s.fit").exists()


def test_fit_needs_a_file_and_a_session_with_reps(tmp_path: Path, capsys: Capture) -> None:
    db = tmp_path / "trackside.db"
    with open_store(db) as store:
        the_plan = plan("distance")
        store.start_session(NewSession.of("x", the_plan, expand(the_plan)), 0.0)
    assert main(["export", "1", "--db", str(db), "--format", "fit"]) == 2
    assert capsys.readouterr().err == ("trackside: error: --format fit writes a binary file: "
                                       "give --out FILE.fit\n")
    assert main(["export", "1", "--db", str(db), "--out", str(tmp_path / "s.fit")]) == 2
    assert capsys.readouterr().err == ("trackside: error: session 1: no rep was recorded, so "
                                       "there is no activity to write\n")


def test_a_session_whose_stored_schedule_is_damaged_is_one_line(tmp_path: Path,
                                                                 capsys: Capture) -> None:
    db = tmp_path / "trackside.db"
    with open_store(db) as store:
        the_plan = plan("distance")
        damaged = NewSession("x", "x", the_plan.model_dump_json(), "{}", 1)
        session = store.start_session(damaged, 0.0)
        store.record_rep(session, _rep(1, 200.0, 60.0))
    assert main(["export", "1", "--db", str(db), "--out", str(tmp_path / "s.fit")]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "trackside: error: session 1: its stored schedule cannot be read, so nor can the "
        "distance of its reps (export it as CSV or JSON)")


# --- the activity itself, from reps as the engine records them -----------------------

ANCHOR = WallAnchor(STARTED, 100.0, ClockSource.SYNCHRONISED)


def _rep(index: int, start: float, seconds: float, source: Source = Source.BEAM,
         splits: tuple[float, ...] = ()) -> RepRecorded:
    return RepRecorded(set_no=1, rep_no=index, index=index, started_at=start,
                       ended_at=start + seconds, target_s=None, splits_s=splits, source=source)


def _steps(notation: str) -> tuple[Step, ...]:
    return expand(parse_notation(notation)).steps


@pytest.mark.parametrize(("seconds", "source", "stored", "shown"), [
    (59.9901, Source.BEAM, 59.991, 60.00),  # rounded up, as shown: never 59.99
    (20.000000000000004, Source.BEAM, 20.0, 20.00),  # float noise is not a millisecond
    (61.5634, Source.BEAM, 61.564, 61.57),
    (58.04, Source.BUTTON, 58.04, 58.1),  # a hand's time: shown to the tenth
])
def test_a_rep_s_lap_holds_its_time_rounded_up_to_the_millisecond(
        seconds: float, source: Source, stored: float, shown: float) -> None:
    activity = activity_of([_rep(1, 200.0, seconds, source)], _steps("400m"), [], "s")
    [lap] = sdk_messages(activity_file(activity, ANCHOR))["lap_mesgs"]
    assert (lap["total_timer_time"], lap["total_elapsed_time"]) == (stored, stored)
    assert shown_s(lap["total_timer_time"], source) == shown == shown_s(seconds, source)


def test_distance_follows_the_beam_s_crossings_through_a_rep() -> None:
    # 800 m on a 400 m lap: the beam saw the 400 m crossing at 50 s, the finish at 130 s
    activity = activity_of([_rep(1, 0.0, 130.0, splits=(50.0,))], _steps("800m"), [], "s")
    assert [activity.distance_at(t) for t in (0.0, 25.0, 50.0, 90.0, 130.0, 200.0)] == [
        0.0, 200.0, 400.0, 600.0, 800.0, 800.0]


def test_the_gaps_between_reps_are_rests_or_set_breaks_as_the_schedule_says() -> None:
    reps = [_rep(1, 0.0, 60.0), _rep(2, 120.0, 60.0), _rep(3, 400.0, 60.0)]
    activity = activity_of(reps, _steps("2x(2x400m r60) sb3:00"), [], "s")
    assert [lap.kind for lap in activity.laps] == [
        LapKind.REP, LapKind.REST, LapKind.REP, LapKind.SET_BREAK, LapKind.REP]
    assert [lap.elapsed_s for lap in activity.laps] == [60.0, 60.0, 60.0, 220.0, 60.0]


def test_an_activity_needs_reps_on_one_clock() -> None:
    with pytest.raises(UserError, match=r"^s: no rep was recorded"):
        activity_of([], _steps("400m"), [], "s")
    with pytest.raises(UserError, match=r"^s was resumed after a restart of the Pi"):
        activity_of([_rep(1, 500.0, 60.0), _rep(2, 20.0, 60.0)], _steps("2x400m r60"), [], "s")
