"""How a rep, its target and a recorded time are said, on every screen and in every file.

Rules for this module:
  1. A recorded time is shown as core.precision says: rounded up, a beam time to 0.01 s, a
     button time to 0.1 s; its difference to target is the shown time minus the shown
     target (core.summary), so the arithmetic on the screen adds up.
  2. A target is worked out, not measured: shown to 0.1 s.
  3. A time read after a stall (`RepRecorded.uncertain`) is shown with a '?' and no
     difference to target; a rep whose GO a stall made late says LATE START.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from trackside.core.events import RepRecorded
from trackside.core.precision import decimals, shown_target_s
from trackside.core.schedule import Leg, Step
from trackside.core.summary import shown_delta_s, shown_time_s
from trackside.core.units import format_distance, format_duration, format_length, format_pace


UNCERTAIN_MARK = "?"  # after a time read after a stall: nobody knows how much earlier it was
LATE_START = "LATE START"  # a rep timed from a GO that a stall made late


@dataclass(frozen=True, slots=True)
class Timed:
    """A recorded time and its difference to target, at the precision of its source."""

    time: str  # '1:05.32', '1:26.00?' (uncertain)
    delta: str  # '+0.32', '-1.2' or '' without a target (or an uncertain time)
    good: bool | None  # on or under target; None without a target
    note: str = ""  # LATE_START, or ''


def describe(step: Step) -> str:
    """'400 m @ 1:05.0 (2:42/km)', '300 m @ 48.0 s + 100 m max', '10 × squat @ 85%', '2:00',
    and where a rep starts when it is not on the line: '..., START 100 m BEFORE THE LINE'."""
    legs = step.legs
    text = legs_text(step)
    if len(legs) == 1 and legs[0].distance_m is not None and step.target_s is not None:
        leg = legs[0]
        pace = leg.target_text if "/" in leg.target_text else format_pace(
            step.target_s / leg.distance_m)
        text = f"{text} ({pace})"
    if not legs and step.duration_s is not None:
        return format_duration(step.duration_s)
    return ", ".join(part for part in (text, start_words(step)) if part)


def legs_text(step: Step) -> str:
    """The rep's parts and targets, without the pace: '300 m @ 48.0 s + 100 m max'."""
    return " + ".join(leg_text(leg) for leg in step.legs)


def start_words(step: Step) -> str:
    """'START 100 m BEFORE THE LINE' for a rep that does not start on the line, else ''."""
    if not step.start_offset_m:
        return ""
    return f"START {format_distance(round(step.start_offset_m, 1))} BEFORE THE LINE"


def target_words(seconds: float) -> str:
    """A target time worked out from a pace or written, as shown (core/precision): '50.0 s',
    '1:58.0'."""
    shown = shown_target_s(seconds)
    return format_duration(shown, 1) + " s" * (shown < 60)


@lru_cache(maxsize=128)  # a group's screen says each finisher's time at every pass
def timed(rep: RepRecorded) -> Timed:
    places = decimals(rep.source)
    time = format_duration(shown_time_s(rep), places)
    note = LATE_START if rep.late_start_s else ""
    delta = shown_delta_s(rep)
    if rep.uncertain:
        return Timed(time + UNCERTAIN_MARK, "", None, note)
    if delta is None:
        return Timed(time, "", None, note)
    return Timed(time, signed(delta, places), delta <= 0, note)


def spaced(*parts: str) -> str:
    """The parts that say something, a space between each: 'LAST 1:05.32 +0.32'."""
    return " ".join(part for part in parts if part)


def counted(count: int, noun: str) -> str:
    """'1 rep', '4 reps'."""
    return f"{count} {noun}{'s' * (count != 1)}"


def signed(seconds: float, places: int) -> str:
    """A difference: '+0.32', '-1.2', '+0.00' (a difference of nothing is on target)."""
    return ("-" if seconds < 0 else "+") + format_duration(abs(seconds), places)


def leg_text(leg: Leg) -> str:
    """One segment and its target: '400 m @ 1:58.0', '10 m bounds max', '10 × squat @ 85%'."""
    if leg.count is not None:
        amount = f"{leg.count} × {leg.label}" if leg.label else f"{leg.count}×"
    else:
        length = leg.distance_m
        amount = format_distance(length) if length is not None else format_length(
            leg.duration_s or 0.0)
        amount = f"{amount} {leg.label}" if leg.label else amount
    if leg.max_effort:
        return f"{amount} max"
    if leg.target_s is not None and leg.target_range_s is None:
        return f"{amount} @ {target_words(leg.target_s)}"
    return f"{amount} @ {leg.target_text}" if leg.target_text else amount
