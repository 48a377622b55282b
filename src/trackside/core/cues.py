"""How each cue sounds: one pattern per `Cue`, for every kind of sounder.

Rules for this module:
  1. A pattern is a sequence of notes, each a pitch (or silence) held for a time. It
     starts with a sound and ends with one, so its first edge is the cue's moment.
  2. Every pattern must be recognisable on an active buzzer too, which only knows on and
     off: the rhythms alone are distinct, pitch is a bonus. Notes are never adjacent
     without a silence between them, so no two merge into one beep there.
  3. Every pitch lies in [LOWEST_HZ, HIGHEST_HZ]: one octave either side of MID_HZ,
     the range a TonalBuzzer is built with, near a piezo's loudest band.
  4. What a voice says for a cue is data here too, so the voice generator and the
     player read one table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from trackside.core.events import Cue

MID_HZ = 1760.0  # A6
OCTAVES = 1
LOWEST_HZ = MID_HZ / 2**OCTAVES  # A5, 880 Hz
HIGHEST_HZ = MID_HZ * 2**OCTAVES  # A7, 3520 Hz

A5, CS6, E6, A6, E7 = 880.0, 1108.73, 1318.51, 1760.0, 2637.02


@dataclass(frozen=True, slots=True)
class Note:
    hz: float | None  # None: silence
    seconds: float


@dataclass(frozen=True, slots=True)
class Switch:
    """The sounder changes at `offset_s` after the pattern starts: to `hz`, or off (None)."""

    offset_s: float
    hz: float | None


@dataclass(frozen=True, slots=True)
class Pattern:
    notes: tuple[Note, ...]

    @property
    def seconds(self) -> float:
        return sum(note.seconds for note in self.notes)

    def switches(self) -> tuple[Switch, ...]:
        """Every change of the sounder, from the first note on to the final off."""
        changes, offset = [], 0.0
        for note in self.notes:
            changes.append(Switch(offset, note.hz))
            offset += note.seconds
        changes.append(Switch(offset, None))
        return tuple(changes)

    def rhythm_ms(self) -> tuple[int, ...]:
        """On, off, on... in whole milliseconds: the pattern as an active buzzer plays it."""
        return tuple(round(note.seconds * 1000) for note in self.notes)


def _pattern(*notes: tuple[float | None, int]) -> Pattern:
    """Notes as (hz or None for silence, milliseconds)."""
    return Pattern(tuple(Note(hz, ms / 1000) for hz, ms in notes))


_SILENT = None

PATTERNS: Mapping[Cue, Pattern] = MappingProxyType(
    {
        Cue.TEN_SECONDS: _pattern((E6, 120), (_SILENT, 120), (E6, 120)),  # a double short
        Cue.COUNT: _pattern((A5, 150)),  # each of 3-2-1: short and low
        Cue.GO: _pattern((A6, 700)),  # long, an octave above the count
        Cue.SPLIT: _pattern((E7, 40)),  # a tick
        Cue.KICK: _pattern(*[(E7, 50), (_SILENT, 50)] * 4, (E7, 50)),  # a sharp rattle of five
        Cue.REP_DONE: _pattern((E6, 60), (_SILENT, 30), (A6, 90)),  # a rising chirp
        Cue.SET_DONE: _pattern(
            (A6, 300), (_SILENT, 150), (E6, 300), (_SILENT, 150), (A5, 500)
        ),  # three falling notes, the last long
        Cue.BREAK_OVER: _pattern((A6, 400), (_SILENT, 100), (E6, 400)),  # ding-dong: press to go
        Cue.PAUSED: _pattern((E6, 400), (_SILENT, 100), (A5, 150)),  # long-short, falling
        Cue.RESUMED: _pattern((A5, 150), (_SILENT, 100), (E6, 400)),  # short-long, rising
        Cue.SESSION_DONE: _pattern(
            (A5, 120), (_SILENT, 80), (CS6, 120), (_SILENT, 80), (E6, 120), (_SILENT, 80), (A6, 800)
        ),  # a fanfare: three rising shorts and a long
    }
)

NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

SPOKEN: Mapping[Cue, str] = MappingProxyType(
    {
        Cue.TEN_SECONDS: "ten seconds",
        Cue.GO: "go",
        Cue.REP_DONE: "rep recorded",
        Cue.SET_DONE: "set done",
        Cue.BREAK_OVER: "press to go",
        Cue.PAUSED: "paused",
        Cue.RESUMED: "resumed",
        Cue.SESSION_DONE: "session done",
    }
)  # COUNT says its number; SPLIT and KICK stay tones: words would be too slow in a rep


def clip_for_cue(cue: Cue, count: int | None = None) -> str | None:
    """The voice clip's name for a cue (a count needs its number), or None: use the tone.

    A COUNT cue is the `count`-th second before the end (timing.count_in is up to 10).
    """
    if cue is Cue.COUNT:
        return f"count_{count}" if count is not None and 1 <= count <= len(NUMBER_WORDS) else None
    return cue.value if cue in SPOKEN else None


def clip_for_set(set_no: int) -> str | None:
    """The clip announcing a set ('set two'), or None past the last one we recorded."""
    return f"set_{set_no}" if 1 <= set_no <= len(NUMBER_WORDS) else None


def voice_lines() -> dict[str, str]:
    """Every clip a voice may say: its name and its words."""
    lines = {cue.value: words for cue, words in SPOKEN.items()}
    for n, word in enumerate(NUMBER_WORDS, start=1):
        lines |= {f"count_{n}": word, f"set_{n}": f"set {word}"}
    return lines
