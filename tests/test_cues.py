import pytest

from trackside.core.cues import (
    HIGHEST_HZ,
    LOWEST_HZ,
    PATTERNS,
    Switch,
    clip_for_cue,
    clip_for_set,
    voice_lines,
)
from trackside.core.events import Cue


def test_every_cue_has_a_pattern() -> None:
    assert set(PATTERNS) == set(Cue)


def test_every_cue_sounds_different_even_on_an_on_off_buzzer() -> None:
    rhythms = [pattern.rhythm_ms() for pattern in PATTERNS.values()]
    assert len(set(rhythms)) == len(rhythms)


@pytest.mark.parametrize("cue", list(Cue))
def test_patterns_start_and_end_with_sound_and_never_run_two_notes_together(cue: Cue) -> None:
    notes = PATTERNS[cue].notes
    assert notes[0].hz is not None and notes[-1].hz is not None
    assert all((a.hz is None) != (b.hz is None) for a, b in zip(notes, notes[1:]))
    assert all(LOWEST_HZ <= note.hz <= HIGHEST_HZ for note in notes if note.hz is not None)


def test_go_is_long_and_an_octave_above_the_short_count() -> None:
    go, count = PATTERNS[Cue.GO].notes, PATTERNS[Cue.COUNT].notes
    assert len(go) == len(count) == 1
    assert go[0].seconds >= 4 * count[0].seconds
    assert go[0].hz == 2 * count[0].hz


def test_ten_seconds_is_a_double_short_and_a_split_a_tick() -> None:
    assert PATTERNS[Cue.TEN_SECONDS].rhythm_ms() == (120, 120, 120)
    assert PATTERNS[Cue.SPLIT].seconds <= 0.05


def test_the_end_of_a_set_and_of_the_session_are_the_longest_patterns() -> None:
    longest = sorted(PATTERNS, key=lambda cue: PATTERNS[cue].seconds)[-2:]
    assert set(longest) == {Cue.SET_DONE, Cue.SESSION_DONE}


def test_switches_turn_the_sounder_on_for_each_note_and_off_at_the_end() -> None:
    assert PATTERNS[Cue.REP_DONE].switches() == (
        Switch(0.0, 1318.51),
        Switch(0.06, None),
        Switch(pytest.approx(0.09), 1760.0),
        Switch(pytest.approx(0.18), None),
    )


def test_a_voice_says_the_count_the_set_and_the_words_of_each_spoken_cue() -> None:
    lines = voice_lines()
    assert lines["count_3"] == "three" and lines["set_10"] == "set ten"
    assert lines[clip_for_cue(Cue.TEN_SECONDS)] == "ten seconds"
    assert clip_for_cue(Cue.COUNT, count=2) == "count_2"
    assert clip_for_cue(Cue.COUNT) is None  # which number is unknown: beep instead
    assert clip_for_cue(Cue.SPLIT) is None
    assert clip_for_set(11) is None and lines[clip_for_set(2)] == "set two"
