"""Colours of the window display: one strong colour per phase, in a day and a night theme.

Day is maximum contrast for sunlight: pure white digits on black, fully saturated phase
colours. Night keeps the same hues, dimmer, so the screen does not glare in the dark.
Text on a phase colour is black in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from trackside.core.events import Phase

Colour = tuple[int, int, int]


class ThemeName(Enum):
    DAY = "day"
    NIGHT = "night"


@dataclass(frozen=True, slots=True)
class Theme:
    background: Colour
    text: Colour
    dim: Colour  # labels and secondary text
    track: Colour  # the empty part of the progress bar
    on_colour: Colour  # text on a phase colour
    good: Colour  # on or under target
    bad: Colour  # over target, a lost sensor
    notice: Colour  # the resumed-session notice, a late start
    phases: dict[Phase, Colour]

    def phase(self, phase: Phase) -> Colour:
        return self.phases[phase]


_DAY_PHASES = {
    Phase.READY: (255, 255, 255),
    Phase.WARMUP: (255, 128, 0),  # orange
    Phase.LEAD_IN: (255, 225, 0),  # yellow
    Phase.REP: (0, 220, 70),  # green
    Phase.REST: (240, 30, 30),  # red
    Phase.SET_BREAK: (30, 120, 255),  # blue
    Phase.COOLDOWN: (0, 205, 215),  # cyan
    Phase.PAUSED: (135, 135, 135),  # grey
    Phase.FINISHED: (185, 85, 255),  # violet
}


def _dimmed(colour: Colour, factor: float) -> Colour:
    return (round(colour[0] * factor), round(colour[1] * factor), round(colour[2] * factor))


THEMES = {
    ThemeName.DAY: Theme(
        background=(0, 0, 0),
        text=(255, 255, 255),
        dim=(185, 185, 185),
        track=(70, 70, 70),
        on_colour=(0, 0, 0),
        good=(40, 235, 90),
        bad=(255, 70, 60),
        notice=(255, 200, 0),
        phases=_DAY_PHASES,
    ),
    ThemeName.NIGHT: Theme(
        background=(8, 8, 12),
        text=(190, 190, 190),
        dim=(120, 120, 120),
        track=(45, 45, 50),
        on_colour=(0, 0, 0),
        good=(30, 170, 70),
        bad=(190, 55, 45),
        notice=(190, 150, 0),
        phases={phase: _dimmed(colour, 0.68) for phase, colour in _DAY_PHASES.items()},
    ),
}


def theme(name: str) -> Theme:
    """The theme called `name` ('day' or 'night'); ValueError names the choices."""
    try:
        return THEMES[ThemeName(name)]
    except ValueError:
        choices = ", ".join(choice.value for choice in ThemeName)
        raise ValueError(f"unknown theme {name!r} (choose {choices})") from None


@dataclass(frozen=True, slots=True)
class Palette:
    """The colours of one frame: swapped wholesale while the last seconds flash."""

    background: Colour
    text: Colour
    dim: Colour
    accent: Colour  # the phase colour: band, bar, prompt
    on_accent: Colour
    track: Colour
    good: Colour
    bad: Colour
    notice: Colour
