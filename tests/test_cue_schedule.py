"""Which cues a phase sounds, and when: straight from a phase, its step and its times."""

from trackside.core.cue_schedule import phase_cues
from trackside.core.events import CueDue, Phase
from trackside.core.schedule import Leg, Step, StepKind
from trackside.core.settings import EngineSettings

SETTINGS = EngineSettings(warning_s=10.0, count_in=3)


def heard(cues: list[CueDue]) -> list[tuple[str, float]]:
    return [(cue.cue.value, cue.due) for cue in cues]


def test_a_rest_warns_at_ten_seconds_and_counts_down_three_two_one() -> None:
    rest = Step(StepKind.REST, duration_s=60.0)
    cues = phase_cues(Phase.REST, rest, 100.0, 160.0, SETTINGS)
    assert heard(cues) == [("ten_seconds", 150.0), ("count", 157.0), ("count", 158.0),
                           ("count", 159.0)]
    assert [cue.count for cue in cues[1:]] == [3, 2, 1]  # a voice says the number


def test_a_set_break_warns_before_its_minimum_chimes_at_it_and_warns_before_its_maximum() -> None:
    set_break = Step(StepKind.SET_BREAK, duration_s=180.0, max_s=240.0)
    assert heard(phase_cues(Phase.SET_BREAK, set_break, 0.0, 240.0, SETTINGS)) == [
        ("ten_seconds", 170.0), ("break_over", 180.0), ("ten_seconds", 230.0)]


def test_a_warmup_warns_but_does_not_count_down() -> None:
    warmup = Step(StepKind.WARMUP, duration_s=600.0)
    assert heard(phase_cues(Phase.WARMUP, warmup, 0.0, 600.0, SETTINGS)) == [
        ("ten_seconds", 590.0)]


def test_a_rep_sounds_its_splits_and_kicks_and_a_timed_rep_counts_its_last_seconds() -> None:
    rep = Step(StepKind.REP, legs=(Leg(distance_m=400, target_s=50.0),),
               split_times_s=(12.5, 25.0, 37.5), kick_times_s=(40.0,))
    assert heard(phase_cues(Phase.REP, rep, 5.0, None, SETTINGS)) == [
        ("split", 17.5), ("split", 30.0), ("split", 42.5), ("kick", 45.0)]
    timed = Step(StepKind.REP, duration_s=30.0, legs=(Leg(duration_s=30.0),))
    assert heard(phase_cues(Phase.REP, timed, 0.0, 30.0, SETTINGS)) == [
        ("count", 27.0), ("count", 28.0), ("count", 29.0)]


def test_nothing_sounds_in_the_first_half_second_of_a_phase() -> None:
    short_rest = Step(StepKind.REST, duration_s=3.25)  # its count would start 0.25 s in
    assert heard(phase_cues(Phase.REST, short_rest, 0.0, 3.25, SETTINGS)) == [
        ("count", 1.25), ("count", 2.25)]


def test_a_phase_that_waits_for_the_button_has_no_cues() -> None:
    assert phase_cues(Phase.READY, None, 0.0, None, SETTINGS) == []
    assert phase_cues(Phase.COOLDOWN, Step(StepKind.COOLDOWN, duration_s=300.0), 0.0, 300.0,
                      SETTINGS) == []
