"""A stall in a group (the timer stopped for a while: a jump of the fake clock past
deadlines), as for one athlete: the calls it passed are missed, not burst; an athlete whose
GO it passed is timed from when GO sounds; a crossing read late and given to an athlete
makes that athlete's rep uncertain, and a fix that moves the mark moves the doubt."""

from __future__ import annotations

import io
import json

import pytest

from engine_helpers import cross, press, walk
from group_helpers import GO, group_engine, marks, start
from trackside.adapters.eventlog import EventLog
from trackside.core.events import (
    AthleteStarted,
    Crossing,
    Cue,
    CueDue,
    CueMissed,
    PhaseStarted,
    RepMissed,
    RepRecorded,
)
from trackside.core.fixes import Action, Fix, Mark, corrected
from trackside.core.group import GroupSettings
from trackside.core.readout import content, plain_text
from trackside.core.view import view_of

STAGGERED = GroupSettings.staggered(10.0)  # Ana goes at 5, Ben at 15


def _reps(effects: list) -> dict[int, RepRecorded]:
    return {rep.athlete: rep for rep in effects if isinstance(rep, RepRecorded)}


def test_a_stall_through_a_staggered_go_misses_the_call_and_times_the_athlete_from_late_go(
) -> None:
    engine = group_engine("2x400m @pace r60", [60, 62], STAGGERED)
    start(engine)
    walk(engine, 11.0)
    woke = engine.advance(20.0)  # stopped from 11 s to 20 s: Ben's call at 12, his GO at 15
    assert [(e.cue, e.due, e.name) for e in woke if isinstance(e, CueMissed)] == [
        (Cue.COUNT, 12.0, "BEN"), (Cue.COUNT, 13.0, ""), (Cue.COUNT, 14.0, "")]
    assert [(e.athlete, e.at) for e in woke if isinstance(e, AthleteStarted)] == [(1, 20.0)]
    assert [e for e in woke if isinstance(e, CueDue)] == [CueDue(Cue.GO, 20.0)]  # heard now
    ana = _reps(cross(engine, 65.0))[0]
    assert ana.late_start_s == 0.0 and ana.duration_s == pytest.approx(60.0)
    ben = _reps(cross(engine, 82.5))[1]  # 62.5 s from the GO he heard, not 67.5 from 15
    assert ben.duration_s == pytest.approx(62.5) and ben.late_start_s == pytest.approx(5.0)
    assert "BEN 1:02.50 +0.50 LATE START" in plain_text(content(view_of(engine, 83.0)))


def test_a_stall_through_the_lead_in_starts_the_whole_group_when_go_sounds() -> None:
    engine = group_engine("400m @pace", [60, 64])
    press(engine, 0.0)
    woke = engine.advance(GO + 3.0)  # GO was due at 5
    assert [(e.phase.value, e.at) for e in woke if isinstance(e, PhaseStarted)] == [
        ("rep", GO + 3.0)]
    assert [(e.athlete, e.at) for e in woke if isinstance(e, AthleteStarted)] == [
        (0, GO + 3.0), (1, GO + 3.0)]
    reps = _reps(cross(engine, GO + 63.0) + cross(engine, GO + 67.0))
    assert [(rep.duration_s, rep.late_start_s) for rep in reps.values()] == [
        (pytest.approx(60.0), pytest.approx(3.0)), (pytest.approx(64.0), pytest.approx(3.0))]


def test_a_missed_finish_after_a_late_go_keeps_how_late_it_was() -> None:
    engine = group_engine("400m @pace", [60, 64])
    press(engine, 0.0)
    engine.advance(GO + 3.0)
    effects = cross(engine, GO + 63.0) + walk(engine, 500.0)  # Ben is never seen
    [missed] = [rep for rep in effects if isinstance(rep, RepMissed)]
    assert (missed.athlete, missed.late_start_s) == (1, pytest.approx(3.0))


def test_a_crossing_read_after_a_stall_makes_only_its_athletes_rep_uncertain() -> None:
    engine = group_engine("2x400m @pace r60", [60, 64])
    start(engine)
    effects = cross(engine, 65.0) + cross(engine, 69.0, stalled_s=2.0)  # Ben's, read late
    reps = _reps(effects)
    assert (reps[0].uncertain, reps[1].uncertain) == (False, True)
    assert [mark.uncertain for mark in marks(effects)] == [False, True]
    shown = plain_text(content(view_of(engine, 70.0)))
    assert "BEN 1:04.00?, ANA 1:00.00 +0.00" in shown  # no difference to a doubted time


def test_a_crossing_with_the_sensors_own_time_is_not_doubted() -> None:
    engine = group_engine("400m @pace", [60, 64])
    start(engine)
    reps = _reps(cross(engine, 65.0, stalled_s=2.0, sensor_time=True))
    assert reps[0].uncertain is False


def test_a_swap_moves_the_doubt_with_the_mark() -> None:
    engine = group_engine("400m @pace", [60, 64])
    effects = start(engine) + cross(engine, 65.0) + cross(engine, 69.0, stalled_s=2.0)
    reps = tuple(rep for rep in effects if isinstance(rep, RepRecorded))
    recorded = tuple(Mark(number, mark) for number, mark in enumerate(marks(effects), start=1))
    swap = Fix(1, Action.SWAP, "2026-05-02T18:00:00+00:00", "coach", index=1, athletes=(0, 1))
    fixed = {rep.athlete: rep for rep in corrected(reps, (), recorded, [swap], [[1], [1]]).reps}
    assert (fixed[0].uncertain, fixed[1].uncertain) == (True, False)
    assert fixed[0].duration_s == pytest.approx(64.0)


def test_the_event_log_says_what_the_stall_did_to_a_groups_marks_and_calls() -> None:
    engine = group_engine("2x400m @pace r60", [60, 62], STAGGERED)
    stream = io.BytesIO()
    log = EventLog(stream.write)
    effects = start(engine) + walk(engine, 11.0) + engine.advance(20.0)
    crossing = Crossing(65.0, raw="BRK", stalled_s=2.0)
    log.input(crossing)
    effects += engine.handle(crossing)
    for effect in effects:
        log.effect(effect)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    [called] = [line for line in lines if line["type"] == "cue_missed" and "name" in line]
    assert (called["name"], called["count"]) == ("BEN", 3)
    [mark] = [line for line in lines if line["type"] == "mark"]
    assert (mark["raw"], mark["stalled_s"], mark["uncertain"], mark["athlete"]) == (
        "BRK", 2.0, True, 0)
    [rep] = [line for line in lines if line["type"] == "rep"]
    assert (rep["athlete"], rep["uncertain"], rep["late_start_s"]) == (0, True, 0.0)
