"""Engine transcripts for the plan forms that end on the athlete, not the clock: a jog rest
(`r400m jog`), warm-up and cool-down ranges (`wu15:00-20:00`), and the splits of a rep
that does not start on the line."""

import pytest

from engine_helpers import cross, cues, engine_for, phases, press, prompt, reps, walk
from trackside.core.events import CrossingJudged, Outcome, Phase, QuitRequested, SessionFinished
from trackside.core.view import view_of

TWO_400S_WITH_A_LAP_JOG = {"reps": 2, "distance": "400m", "target": "75s", "rest": "400m jog"}


def test_a_jog_rest_counts_up_and_the_crossing_that_completes_it_starts_the_next_rep() -> None:
    engine = engine_for(TWO_400S_WITH_A_LAP_JOG)
    press(engine, 0.0)
    walk(engine, 5.0)
    assert phases(cross(engine, 80.0)) == [("rest", 80.0)]
    assert engine.deadline() is None  # only the athlete ends it
    shown = view_of(engine, 100.0)
    assert (shown.phase, shown.counting_down, shown.clock_s) == (Phase.REST, False, 20.0)
    assert prompt(engine, 100.0) == "JOG 400 m, USUALLY 2:48: AT THE LINE OR PRESS"

    assert cross(engine, 90.0) == [CrossingJudged(90.0, accepted=False)]  # far too soon
    started = cross(engine, 250.0)
    assert phases(started) == [("rep", 250.0)]
    assert cues(started) == [("go", 250.0)]
    (second,) = reps(cross(engine, 325.5))
    assert second.duration_s == pytest.approx(75.5)


def test_a_jog_that_does_not_come_back_to_the_line_ends_on_a_press() -> None:
    engine = engine_for({"reps": 2, "distance": "400m", "target": "75s", "rest": "200m jog"})
    press(engine, 0.0)
    walk(engine, 5.0)
    cross(engine, 80.0)
    assert cross(engine, 200.0) == [CrossingJudged(200.0, accepted=False)]
    assert prompt(engine, 100.0) == "JOG 200 m, USUALLY 1:24: PRESS AT THE START"
    assert phases(press(engine, 100.0)) == []  # sooner than half its usual time: a slip
    assert phases(press(engine, 170.0)) == [("rep", 170.0)]


def test_a_warm_up_range_counts_past_its_minimum_and_ends_by_itself_at_the_top() -> None:
    engine = engine_for({"reps": 1, "distance": "400m"}, warmup="1:00-2:00")
    assert phases(press(engine, 0.0)) == [("warmup", 0.0)]
    assert view_of(engine, 30.0).clock_s == pytest.approx(30.0)  # counting down to the minimum
    assert view_of(engine, 90.0).overtime_s == pytest.approx(30.0)
    assert prompt(engine, 90.0) == "PRESS WHEN READY"
    ended = walk(engine, 120.0)
    assert phases(ended) == [("ready", 120.0)]
    assert ("break_over", 120.0) in cues(ended)


def test_a_press_ends_a_warm_up_range_whenever_the_athlete_is_ready() -> None:
    engine = engine_for({"reps": 1, "distance": "400m"}, warmup="1:00-2:00")
    press(engine, 0.0)
    assert phases(press(engine, 75.0)) == [("ready", 75.0)]


def test_a_cool_down_range_ends_the_session_by_itself_at_the_top() -> None:
    engine = engine_for({"reps": 1, "duration": "30s"}, cooldown="10-15min")
    press(engine, 0.0)
    walk(engine, 35.0)  # lead-in and the timed rep
    assert engine.phase is Phase.COOLDOWN
    assert walk(engine, 35.0 + 899.0) == []
    finished = walk(engine, 35.0 + 900.0)
    assert SessionFinished(935.0, Outcome.FINISHED) in finished


def test_every_crossing_of_a_500_is_kept_as_a_split_with_its_distance() -> None:
    engine = engine_for({"reps": 1, "segments": [{"distance": "400m", "target": "75s"},
                                                 {"distance": "100m", "target": "max"}]})
    step = engine.step
    assert step is not None and (step.start_offset_m, step.split_m) == (100.0, (100.0,))
    press(engine, 0.0)
    walk(engine, 5.0)
    cross(engine, 24.0)  # 100 m from the start: the first time past the line
    (rep,) = reps(cross(engine, 93.0))
    assert rep.splits_s == (19.0,)
    assert len(rep.splits_s) == len(step.split_m)


def test_quitting_during_a_jog_rest_keeps_what_was_done() -> None:
    engine = engine_for(TWO_400S_WITH_A_LAP_JOG)
    press(engine, 0.0)
    walk(engine, 5.0)
    cross(engine, 80.0)
    assert SessionFinished(120.0, Outcome.INTERRUPTED) in engine.handle(QuitRequested(120.0))
    assert len(engine.results) == 1
