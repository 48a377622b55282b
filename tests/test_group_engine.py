"""A group on the one engine, as transcripts with explicit times: starts, rests, marks, flags."""

from __future__ import annotations

import pytest

from engine_helpers import cross, cues, phases, press, walk
from group_helpers import GO, group_engine, marks, missed, start, times
from trackside.core.events import (
    AthleteStarted,
    Command,
    Commanded,
    Cue,
    CueDue,
    MarkRole,
    Phase,
    PhaseStarted,
    RepRecorded,
    RepStopped,
    Source,
)
from trackside.core.group import GroupSettings, RestFrom, Roster
from trackside.core.schedule import StepKind
from trackside.core.view import view_of


def _goes(effects: list) -> list[tuple[int, float]]:
    return [(e.athlete, e.at) for e in effects if isinstance(e, AthleteStarted)]


def test_a_group_started_together_hears_one_go_and_each_finisher_gets_their_own_time() -> None:
    engine = group_engine("2x400m @pace r60", [60, 64, 68])
    effects = start(engine)
    assert _goes(effects) == [(0, GO), (1, GO), (2, GO)]
    assert [c for c in effects if isinstance(c, CueDue) and c.cue is Cue.GO] == [
        CueDue(Cue.GO, GO)]
    effects = cross(engine, 65.2) + cross(engine, 68.9)
    assert times(effects) == {(0, 1): pytest.approx(60.2), (1, 1): pytest.approx(63.9)}
    assert engine.phase is Phase.REP  # Cam is still running
    effects = cross(engine, 73.5)
    assert times(effects) == {(2, 1): pytest.approx(68.5)}
    assert phases(effects) == [("rest", 73.5)]
    assert cues(effects) == [("rep_done", 73.5)]


def test_a_groups_rest_starts_with_the_rest_itself_not_the_rep_it_leads_to() -> None:
    engine = group_engine("2x400m @pace r60", [60, 64])
    start(engine)
    [rest] = [e for e in cross(engine, 65.0) + cross(engine, 69.0)
              if isinstance(e, PhaseStarted)]
    assert (rest.phase, rest.step.kind, rest.step.duration_s) == (Phase.REST, StepKind.REST, 60)
    pause = press(engine, 80.0, hold_s=2.5)  # a hold pauses the rest; another resumes it
    resumed = press(engine, 90.0, hold_s=2.5)
    assert [e.phase for e in pause if isinstance(e, PhaseStarted)] == [Phase.PAUSED]
    [again] = [e for e in resumed if isinstance(e, PhaseStarted)]
    assert (again.phase, again.step.kind) == (Phase.REST, StepKind.REST)


@pytest.mark.parametrize(("rest_from", "next_go"), [
    (RestFrom.LAST, [(0, 133.5), (1, 133.5), (2, 133.5)]),  # 60 s after the last finish
    (RestFrom.FIRST, [(0, 125.2), (1, 125.2), (2, 125.2)]),  # 60 s after the first
    (RestFrom.EACH, [(0, 125.2), (1, 128.9), (2, 133.5)]),  # 60 s after each one's own
])
def test_rests_count_from_the_first_the_last_or_each_finisher(
        rest_from: RestFrom, next_go: list[tuple[int, float]]) -> None:
    engine = group_engine("2x400m @pace r60", [60, 64, 68], GroupSettings(rest_from=rest_from))
    start(engine)
    for at in (65.2, 68.9, 73.5):
        cross(engine, at)
    assert sorted(_goes(walk(engine, 200.0))) == next_go


def test_a_finisher_slower_than_the_first_ones_rest_goes_again_at_once_resting_from_first() -> None:
    engine = group_engine("2x400m @pace r10", [60, 75], GroupSettings(rest_from=RestFrom.FIRST))
    start(engine)
    cross(engine, 65.0)  # Ana: her rest ends at 75.0
    assert _goes(walk(engine, 75.0)) == [(0, 75.0)]
    assert _goes(cross(engine, 81.0)) == [(1, 81.0)]  # Ben had no rest left


def test_a_staggered_start_calls_each_name_and_keeps_the_stagger_through_the_rests() -> None:
    engine = group_engine("2x400m @pace r60", [60, 60, 60], GroupSettings.staggered(10.0))
    effects = start(engine)
    assert _goes(effects) == [(0, GO)]
    assert [c for c in effects if isinstance(c, CueDue) and c.cue is Cue.GO] == [
        CueDue(Cue.GO, GO)]
    effects = walk(engine, GO + 20.0)
    assert [(c.cue.value, c.due, c.count, c.name) for c in effects if isinstance(c, CueDue)] == [
        ("count", 12.0, 3, "BEN"), ("count", 13.0, 2, ""), ("count", 14.0, 1, ""),
        ("ten_seconds", 15.0, None, "CAM"), ("go", 15.0, None, ""),
        ("count", 22.0, 3, "CAM"), ("count", 23.0, 2, ""), ("count", 24.0, 1, ""),
        ("go", 25.0, None, "")]
    for at in (65.0, 75.3, 84.8):
        cross(engine, at)
    assert sorted(_goes(walk(engine, 200.0))) == [(0, 125.0), (1, 135.3), (2, 144.8)]


def test_the_screen_calls_who_goes_next_and_when() -> None:
    engine = group_engine("2x400m @pace r60", [60, 60], GroupSettings.staggered(10.0))
    start(engine)
    group = view_of(engine, 12.2).group
    assert group is not None and group.clock_name == "ANA"
    assert [(call.name, round(call.in_s, 1)) for call in group.calls] == [("BEN", 2.8)]
    assert view_of(engine, 12.2).clock_s == pytest.approx(7.2)  # Ana's clock


def test_a_crossing_that_fits_nobody_is_kept_and_flagged_and_a_finish_not_seen_is_flagged() -> None:
    engine = group_engine("400m @pace", [60, 70])
    start(engine)
    effects = cross(engine, 30.0)  # far too soon for anyone
    effects += cross(engine, 65.0)
    effects += walk(engine, 200.0)  # Ben is never seen: his window closes at 5 + 84
    assert [(m.at, m.role) for m in marks(effects)] == [
        (30.0, MarkRole.UNEXPECTED), (65.0, MarkRole.CROSSING)]
    assert missed(effects) == [(1, 1)]
    assert times(effects) == {(0, 1): pytest.approx(60.0)}
    assert engine.phase is Phase.FINISHED


def test_one_bodys_second_break_is_one_crossing_and_runners_leaving_the_line_are_not_finishers() -> None:
    engine = group_engine("400m @pace", [60, 61])
    start(engine)
    effects = cross(engine, 5.4) + cross(engine, 5.6)
    effects += cross(engine, 65.0) + cross(engine, 65.2)
    effects += cross(engine, 66.1)
    assert [m.role for m in marks(effects)] == [
        MarkRole.LEAVING, MarkRole.DOUBLE, MarkRole.CROSSING, MarkRole.DOUBLE, MarkRole.CROSSING]
    assert times(effects) == {(0, 1): pytest.approx(60.0), (1, 1): pytest.approx(61.1)}


def test_with_the_button_only_each_press_records_the_next_finisher() -> None:
    engine = group_engine("400m @pace", [60, 64, 68])
    start(engine)
    effects = []
    for at in (64.9, 69.1, 73.0):
        effects += engine.handle(Commanded(at, Command.PRESS, Source.BUTTON))
    assert times(effects) == {(0, 1): pytest.approx(59.9), (1, 1): pytest.approx(64.1),
                              (2, 1): pytest.approx(68.0)}
    assert {rep.source for rep in effects if isinstance(rep, RepRecorded)} == {Source.BUTTON}


def test_each_athletes_laps_are_their_own_splits() -> None:
    engine = group_engine("800m @pace", [60, 70])
    start(engine)
    effects = []
    for at in (65.0, 75.0, 125.0, 145.0):
        effects += cross(engine, at)
    reps = {rep.athlete: rep for rep in effects if isinstance(rep, RepRecorded)}
    assert reps[0].splits_s == pytest.approx((60.0,)) and reps[0].duration_s == 120.0
    assert reps[1].splits_s == pytest.approx((70.0,)) and reps[1].duration_s == 140.0


def test_a_set_break_follows_when_every_athlete_is_through_the_set() -> None:
    engine = group_engine("2x(400m @pace) sb2:00", [60, 62])
    start(engine)
    cross(engine, 65.0)
    effects = cross(engine, 67.0)
    assert phases(effects) == [("set_break", 67.0)]
    assert cues(effects)[0] == ("set_done", 67.0)
    press(engine, 190.0)
    assert _goes(walk(engine, 195.0)) == [(0, 195.0), (1, 195.0)]


def test_a_hold_stops_the_reps_running_and_a_press_runs_them_again_for_everyone() -> None:
    engine = group_engine("400m @pace", [60, 62])
    start(engine)
    effects = press(engine, 20.0, hold_s=2.5)
    stopped = [rep for rep in effects if isinstance(rep, RepStopped)]
    assert [(rep.athlete, rep.stopped_at) for rep in stopped] == [(0, 22.0), (1, 22.0)]
    assert engine.phase is Phase.READY
    press(engine, 30.0)
    assert _goes(walk(engine, 35.0)) == [(0, 35.0), (1, 35.0)]


def test_a_pause_in_a_rest_moves_every_go_by_its_length() -> None:
    engine = group_engine("2x400m @pace r60", [60, 62])
    start(engine)
    cross(engine, 65.0)
    cross(engine, 67.0)  # everyone goes at 127.0
    press(engine, 80.0, hold_s=2.5)  # paused at 82.0
    assert engine.phase is Phase.PAUSED
    assert walk(engine, 150.0) == []
    assert view_of(engine, 150.0).clock_s == pytest.approx(127.0 - 82.0)  # frozen
    press(engine, 160.0, hold_s=2.5)  # resumed at 162.0: 80 s later
    assert _goes(walk(engine, 300.0)) == [(0, 207.0), (1, 207.0)]


def test_a_resumed_group_starts_each_athlete_at_their_first_rep_not_done() -> None:
    first = group_engine("3x400m @pace r60", [60, 62])
    start(first)
    done = cross(first, 65.0) + cross(first, 67.0)
    recorded = [rep for rep in done if isinstance(rep, RepRecorded)]
    engine = group_engine("3x400m @pace r60", [60, 62], done=recorded)
    assert engine.resumed and engine.next_rep is not None and engine.next_rep.rep_no == 2
    effects = press(engine, 0.0) + walk(engine, GO)
    assert [(e.athlete, e.step.rep_no) for e in effects if isinstance(e, AthleteStarted)] == [
        (0, 2), (1, 2)]


def test_a_staggered_group_must_rest_from_each_finish() -> None:
    with pytest.raises(ValueError, match="a staggered start rests each athlete from their own"):
        GroupSettings(stagger_s=10.0, rest_from=RestFrom.LAST)


def test_a_session_is_one_to_twelve_athletes() -> None:
    with pytest.raises(ValueError, match="1 to 12 athletes"):
        Roster((), (), GroupSettings())
