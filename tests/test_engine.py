"""Engine transcripts on explicit times: what a runner sees, hears and gets recorded."""

import pytest
from engine_helpers import cross, cues, engine_for, phases, press, prompt, reps, screen, walk

from trackside.core.engine import Engine
from trackside.core.events import (
    ButtonPressed,
    Command,
    Commanded,
    CrossingJudged,
    Outcome,
    Phase,
    QuitRequested,
    RepStopped,
    SensorBack,
    SensorLost,
    SessionFinished,
    SessionStarted,
    Source,
)
from trackside.core.settings import EngineSettings
from trackside.core.view import view_of

FOUR_400S = {"reps": 4, "distance": "400m", "target": "75s", "rest": [60, 45, 30]}


def test_a_start_press_counts_in_three_two_one_and_go_after_the_lead_in() -> None:
    engine = engine_for(FOUR_400S)
    effects = press(engine, 10.0)
    assert effects[0] == SessionStarted(at=10.0)
    assert phases(effects) == [("lead_in", 10.0)]
    effects = walk(engine, 15.0)
    assert cues(effects) == [("count", 12.0), ("count", 13.0), ("count", 14.0), ("go", 15.0)]
    assert phases(effects) == [("rep", 15.0)]


def test_the_rest_starts_at_the_crossing_and_the_next_rep_at_its_deadline_if_woken_late(
) -> None:
    engine = engine_for(FOUR_400S)
    press(engine, 0.0)
    walk(engine, 5.0)
    first = cross(engine, 80.25)
    assert reps(first)[0].duration_s == pytest.approx(75.25)
    assert reps(first)[0].source is Source.BEAM
    assert engine.deadline() == pytest.approx(130.25)  # 10 s warning before 140.25
    walk(engine, 140.0)
    late = engine.advance(140.45)  # the loop woke 0.2 s late: under a moment, no stall
    assert phases(late) == [("rep", 140.25)]
    assert cues(late) == [("go", 140.25)]
    second = cross(engine, 215.25)
    assert reps(second)[0].duration_s == pytest.approx(75.0)  # no drift from the late wake


def test_descending_rests_are_applied_in_order() -> None:
    engine = engine_for(FOUR_400S)
    press(engine, 0.0)
    t = 5.0
    rest_lengths = []
    for _ in range(3):
        walk(engine, t)
        effects = cross(engine, t + 75.0)
        rest_start = phases(effects)[0][1]
        deadline_go = phases(walk(engine, rest_start + 100))[0][1]
        rest_lengths.append(deadline_go - rest_start)
        t = deadline_go
    assert rest_lengths == pytest.approx([60, 45, 30])


def test_rests_warn_at_ten_seconds_and_count_the_last_three() -> None:
    engine = engine_for(FOUR_400S)
    press(engine, 0.0)
    walk(engine, 5.0)
    cross(engine, 80.0)
    assert cues(walk(engine, 140.0)) == [
        ("ten_seconds", 130.0), ("count", 137.0), ("count", 138.0), ("count", 139.0),
        ("go", 140.0),
    ]


def test_a_crossing_too_soon_after_go_is_ignored_and_logged() -> None:
    engine = engine_for(FOUR_400S)  # target 75 s: the lockout is half of it
    press(engine, 0.0)
    walk(engine, 5.0)
    effects = cross(engine, 6.0)  # the runner leaving the line
    assert effects == [CrossingJudged(6.0, accepted=False)]
    assert reps(cross(engine, 5.0 + 37.6))  # just past the lockout: a rep


def test_min_lap_overrides_the_lockout() -> None:
    engine = engine_for(FOUR_400S, settings=EngineSettings(min_lap_s=10.0))
    press(engine, 0.0)
    walk(engine, 5.0)
    assert reps(cross(engine, 16.0))


def test_crossings_in_a_rest_are_logged_and_ignored() -> None:
    engine = engine_for(FOUR_400S)
    press(engine, 0.0)
    walk(engine, 5.0)
    cross(engine, 80.0)
    assert cross(engine, 81.0) == [CrossingJudged(81.0, accepted=False)]
    assert engine.phase is Phase.REST


def test_the_button_is_a_manual_lap_but_not_right_after_go() -> None:
    engine = engine_for(FOUR_400S)
    press(engine, 0.0)
    walk(engine, 5.0)
    assert press(engine, 6.0) == []  # a stray press: the rep runs on
    lap = reps(press(engine, 79.0, hold_s=0.3))[0]
    assert lap.source is Source.BUTTON
    assert lap.ended_at == 79.0  # the moment it went down, not when it came up


def test_a_press_in_a_rest_neither_skips_it_nor_records_anything() -> None:
    engine = engine_for(FOUR_400S)
    press(engine, 0.0)
    walk(engine, 5.0)
    cross(engine, 80.0)
    assert press(engine, 90.0) == []
    assert engine.phase is Phase.REST and len(engine.results) == 1


SETS = {"sets": 2, "reps": 1, "distance": "200m", "target": "30s", "set_break": "3:00"}


def test_a_set_break_waits_for_the_button_after_its_minimum() -> None:
    engine = engine_for(SETS)
    press(engine, 0.0)
    walk(engine, 5.0)
    effects = cross(engine, 35.0)
    assert cues(effects) == [("set_done", 35.0)]
    assert phases(effects) == [("set_break", 35.0)]
    assert press(engine, 100.0) == []  # before the minimum: ignored
    assert cues(walk(engine, 215.0)) == [("ten_seconds", 205.0), ("break_over", 215.0)]
    assert "PRESS TO START SET 2" in screen(engine, 250.0)
    assert view_of(engine, 250.0).overtime_s == pytest.approx(35.0)
    assert walk(engine, 10_000.0) == []  # it waits as long as it takes
    assert phases(press(engine, 10_000.0)) == [("lead_in", 10_000.0)]


def test_a_set_break_range_starts_the_next_set_by_itself_at_its_maximum() -> None:
    engine = engine_for({**SETS, "set_break": "3:00-4:00"})
    press(engine, 0.0)
    walk(engine, 5.0)
    cross(engine, 35.0)
    assert phases(walk(engine, 300.0)) == [("lead_in", 275.0), ("rep", 280.0)]


def test_holding_the_button_pauses_a_rest_and_keeps_the_time_left() -> None:
    engine = engine_for(FOUR_400S)
    press(engine, 0.0)
    walk(engine, 5.0)
    cross(engine, 80.0)  # rest of 60 s until 140
    effects = press(engine, 100.0, hold_s=2.5)  # paused at 102: 38 s left
    assert phases(effects) == [("paused", 102.0)]
    assert view_of(engine, 500.0).clock_s == pytest.approx(38.0)
    assert "HOLD TO RESUME" in screen(engine, 500.0)
    effects = press(engine, 600.0, hold_s=2.5)  # resumed at 602
    assert phases(effects) == [("rest", 602.0)]
    assert phases(walk(engine, 700.0)) == [("rep", 640.0)]


def test_a_hold_stops_a_distance_rep_says_so_and_a_press_runs_it_again() -> None:
    engine = engine_for(FOUR_400S)
    press(engine, 0.0)
    walk(engine, 5.0)
    cross(engine, 80.0)
    walk(engine, 140.0)  # rep 2 runs from 140
    effects = press(engine, 150.0, hold_s=2.5)
    assert RepStopped(set_no=1, rep_no=2, index=2, started_at=140.0, stopped_at=152.0) in effects
    assert phases(effects) == [("ready", 152.0)] and ("paused", 152.0) in cues(effects)
    assert prompt(engine, 160.0) == "REP 2 STOPPED: PRESS TO RUN IT AGAIN"
    assert len(engine.results) == 1  # nothing of the stopped rep is recorded
    press(engine, 170.0)
    assert prompt(engine, 171.0) == ""
    walk(engine, 175.0)
    assert reps(cross(engine, 250.0))[0].rep_no == 2


def test_a_hold_stops_a_count_rep_too_but_only_pauses_a_timed_one() -> None:
    engine = engine_for({"reps": 2, "count": 10, "label": "squats", "rest": 60})
    press(engine, 0.0)
    walk(engine, 5.0)
    assert any(isinstance(e, RepStopped) for e in press(engine, 10.0, hold_s=2.5))
    assert prompt(engine, 13.0) == "REP 1 STOPPED: PRESS TO RUN IT AGAIN"
    timed = engine_for({"reps": 2, "duration": "30s", "rest": 30})
    press(timed, 0.0)
    walk(timed, 5.0)
    effects = press(timed, 10.0, hold_s=2.5)
    assert phases(effects) == [("paused", 12.0)]
    assert not any(isinstance(e, RepStopped) for e in effects)
    assert prompt(timed, 13.0) == "HOLD TO RESUME"


@pytest.mark.parametrize(("blocks", "words"), [
    ([FOUR_400S], "PRESS TO START"),
    ([{**FOUR_400S, "sets": 2, "set_break": 180}], "PRESS TO START SET 1"),
])
def test_the_start_prompt_names_a_set_only_where_the_plan_has_sets(blocks, words) -> None:
    assert prompt(engine_for(*blocks), 0.0) == words


def test_a_set_break_with_a_range_says_when_the_next_set_starts_by_itself() -> None:
    engine = engine_for({"sets": 2, "reps": 1, "distance": "400m", "target": "75s",
                         "set_break": "3:00-4:00"})
    press(engine, 0.0)
    walk(engine, 5.0)
    cross(engine, 80.0)  # the set break runs from 80: 3:00 at least, 4:00 at most
    assert prompt(engine, 200.0) == ""
    # the clock counts up past the minimum: +25
    assert prompt(engine, 285.5) == "PRESS TO START SET 2 · STARTS BY ITSELF AT +1:00"
    assert phases(walk(engine, 320.0)) == [("lead_in", 320.0)]
    open_ended = engine_for({"sets": 2, "reps": 1, "distance": "400m", "set_break": 180})
    press(open_ended, 0.0)
    walk(open_ended, 5.0)
    cross(open_ended, 80.0)
    assert prompt(open_ended, 285.5) == "PRESS TO START SET 2"


def test_a_long_hold_ends_the_session_and_keeps_every_rep() -> None:
    engine = engine_for(FOUR_400S)
    press(engine, 0.0)
    walk(engine, 5.0)
    cross(engine, 80.0)
    effects = press(engine, 100.0, hold_s=5.5)
    assert effects[-1] == SessionFinished(105.0, Outcome.ENDED_EARLY)
    assert len(engine.results) == 1 and engine.phase is Phase.FINISHED


def test_quit_interrupts_the_session() -> None:
    engine = engine_for(FOUR_400S)
    press(engine, 0.0)
    assert engine.handle(QuitRequested(3.0))[-1] == SessionFinished(3.0, Outcome.INTERRUPTED)


def test_timed_reps_end_on_their_clock_and_count_down() -> None:
    engine = engine_for({"reps": 2, "duration": "30s", "rest": 30})
    press(engine, 0.0)
    effects = walk(engine, 35.0)
    assert ("count", 32.0) in cues(effects)
    assert reps(effects)[0].source is Source.TIME
    assert reps(effects)[0].duration_s == 30.0
    assert view_of(engine, 40.0).counting_down


def test_count_reps_end_on_the_button_at_any_time() -> None:
    engine = engine_for({"reps": 2, "count": 10, "label": "squat", "rest": "2:00"})
    press(engine, 0.0)
    walk(engine, 5.0)
    assert "PRESS WHEN DONE" in screen(engine, 6.0)
    assert reps(press(engine, 6.0))[0].source is Source.BUTTON


def test_the_kick_sounds_at_the_target_time_when_it_is_not_on_the_line() -> None:
    engine = engine_for({"reps": 1, "segments": [
        {"distance": "400m", "target": "4:55/km"}, {"distance": "100m", "target": "max"}]})
    press(engine, 0.0)
    walk(engine, 5.0)
    assert cues(walk(engine, 130.0)) == [("kick", 123.0)]  # 118 s after GO


def test_the_kick_sounds_on_the_crossing_when_the_segment_ends_on_the_line() -> None:
    engine = engine_for({"reps": 1, "segments": [
        {"distance": "400m", "target": "70s"}, {"distance": "400m", "target": "max"}]})
    press(engine, 0.0)
    walk(engine, 5.0)
    assert cues(cross(engine, 75.0)) == [("kick", 75.0)]
    lap = reps(cross(engine, 135.0))[0]
    assert lap.splits_s == (70.0,) and lap.duration_s == 130.0


def test_split_cues_sound_at_target_split_times() -> None:
    engine = engine_for({"reps": 1, "distance": "400m", "target": "50s", "splits": "100m"})
    press(engine, 0.0)
    assert cues(walk(engine, 45.0))[-3:] == [("split", 17.5), ("split", 30.0), ("split", 42.5)]


def test_warmup_then_ready_then_sets_then_cooldown() -> None:
    engine = engine_for({"reps": 1, "distance": "200m", "target": "30s"},
                        warmup="10:00", cooldown="5:00")
    assert "PRESS TO START WARMUP" in screen(engine, 0.0)
    assert phases(press(engine, 0.0)) == [("warmup", 0.0)]
    effects = walk(engine, 600.0)
    assert phases(effects) == [("ready", 600.0)] and ("break_over", 600.0) in cues(effects)
    press(engine, 700.0)
    walk(engine, 705.0)
    assert phases(cross(engine, 735.0)) == [("cooldown", 735.0)]
    assert walk(engine, 1035.0)[-1] == SessionFinished(1035.0, Outcome.FINISHED)


def test_the_sensor_state_reaches_the_screen() -> None:
    engine = engine_for(FOUR_400S)
    engine.handle(SensorLost(1.0, "unplugged"))
    assert "BEAM LOST" in screen(engine, 1.0)
    engine.handle(SensorBack(2.0))
    assert "BEAM ONLINE" in screen(engine, 2.0)


def test_a_resumed_run_starts_before_the_first_rep_not_done() -> None:
    first = engine_for(FOUR_400S)
    press(first, 0.0)
    walk(first, 5.0)
    cross(first, 80.0)
    second = engine_for(FOUR_400S)
    resumed = Engine(second.schedule, done=first.results)
    shown = screen(resumed, 0.0)
    assert shown.startswith("READY PRESS TO START REP 2 | REP 2/4")
    assert shown.endswith("RESUMED SESSION")
    effects = press(resumed, 1000.0)
    assert not any(isinstance(e, SessionStarted) for e in effects)
    walk(resumed, 1005.0)
    assert reps(cross(resumed, 1080.0))[0].index == 2


def test_a_resumed_run_with_no_rep_done_still_says_resumed_and_starts_no_new_session() -> None:
    resumed = Engine(engine_for(FOUR_400S).schedule, resumed=True)
    shown = screen(resumed, 0.0)
    assert shown.startswith("READY PRESS TO START | REP 1/4")
    assert shown.endswith("RESUMED SESSION")
    assert not resumed.idle  # a phone's plan does not replace it
    assert not any(isinstance(e, SessionStarted) for e in press(resumed, 10.0))


def test_a_release_without_a_press_is_ignored() -> None:
    engine = engine_for(FOUR_400S)
    from trackside.core.events import ButtonReleased

    assert engine.handle(ButtonReleased(1.0)) == []
    assert engine.handle(ButtonPressed(2.0)) == []


# --- commands: a whole gesture at once, from a console line or a phone ---------------------


def test_a_phone_press_starts_the_session_and_ends_a_rep_timed_as_remote() -> None:
    engine = engine_for(FOUR_400S)
    assert phases(engine.handle(Commanded(0.0, Command.PRESS, Source.REMOTE))) == [
        ("lead_in", 0.0)]
    walk(engine, 5.0)
    assert engine.handle(Commanded(6.0, Command.PRESS, Source.REMOTE)) == []  # in the lockout
    lap = reps(engine.handle(Commanded(79.04, Command.PRESS, Source.REMOTE)))[0]
    assert (lap.source, lap.ended_at) == (Source.REMOTE, 79.04)
    assert "LAST 1:14.1" in screen(engine, 80.0)  # a hand time: tenths, rounded up


def test_a_hold_command_pauses_and_resumes_exactly_as_holding_the_button() -> None:
    by_button, by_command = engine_for(FOUR_400S), engine_for(FOUR_400S)
    for engine in (by_button, by_command):
        press(engine, 0.0)
        walk(engine, 5.0)
        cross(engine, 80.0)
    held = press(by_button, 100.0, hold_s=2.5)  # the hold fires at 102
    commanded = by_command.handle(Commanded(102.0, Command.HOLD))
    assert commanded == held
    assert phases(commanded) == [("paused", 102.0)]
    assert phases(by_command.handle(Commanded(200.0, Command.HOLD))) == [("rest", 200.0)]
    assert view_of(by_command, 200.0).clock_s == pytest.approx(38.0)


def test_an_end_command_ends_the_session_at_once_keeping_every_rep_and_never_pauses() -> None:
    engine = engine_for(FOUR_400S)
    press(engine, 0.0)
    walk(engine, 5.0)
    cross(engine, 80.0)
    effects = engine.handle(Commanded(100.0, Command.LONG_HOLD))
    assert phases(effects) == [("finished", 100.0)]
    assert effects[-1] == SessionFinished(100.0, Outcome.ENDED_EARLY)
    assert len(engine.results) == 1


def test_a_press_command_means_nothing_where_a_press_means_nothing() -> None:
    engine = engine_for(FOUR_400S)
    press(engine, 0.0)
    walk(engine, 5.0)
    cross(engine, 80.0)
    assert engine.handle(Commanded(90.0, Command.PRESS, Source.REMOTE)) == []  # in a rest
    assert engine.phase is Phase.REST
