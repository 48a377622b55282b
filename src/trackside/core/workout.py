"""A structured workout as watches and training sites hold it: steps, and repeats of steps.

The form between Trackside's plans and other tools' files: a FIT workout file and an
intervals.icu workout text are both read into a `Workout`, and a plan is written out as one.

Rules for this module:
  1. Values are in SI units: seconds, metres, metres per second; a count is a number of reps.
  2. A step holds what a watch can act on (how it ends, the speed it aims for, its name, its
     intensity). Trackside's own meaning that no watch has a field for (the target as the
     coach wrote it, split cues, crossings, a set break's maximum, the references a target
     was worked out from) rides along in the fields marked "Trackside's": empty when the
     workout came from another tool.
  3. Every step and repeat knows where it was written (`where`: "step 4", "line 7, column
     3"), so a message about it can point there. `where` is not part of a step's value.
  4. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from trackside.core.errors import UserError

MAX_STEPS = 2000  # steps after repeats are unrolled: more than any session, less than a bomb


class Intensity(Enum):
    WARMUP = "warmup"
    WORK = "work"
    REST = "rest"
    COOLDOWN = "cooldown"


class Ends(Enum):
    """How a step ends."""

    TIME = "time"  # `amount` seconds
    DISTANCE = "distance"  # `amount` metres
    COUNT = "count"  # `amount` reps (squats), ended with the button
    PRESS = "press"  # the lap button, whenever the athlete is ready


@dataclass(frozen=True, slots=True)
class Speed:
    """A target speed range in metres per second; `slow == fast` for a single pace."""

    slow: float
    fast: float


@dataclass(frozen=True, slots=True)
class Step:
    intensity: Intensity
    ends: Ends
    amount: float | None = None  # seconds, metres or reps; None for PRESS
    speed: Speed | None = None
    name: str = ""  # what it is ('squats', 'bounds'): a plan's label
    target_text: str = ""  # Trackside's: the target as written ('pace', '85%', 'max')
    splits_m: float | None = None  # Trackside's: a split cue every this many metres
    crossings: int | None = None  # Trackside's: beam crossings that end the rep
    max_s: float | None = None  # Trackside's: a set break's top, where the next set starts
    where: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Repeat:
    """`steps`, done `times` times in all."""

    times: int
    steps: tuple[Step | Repeat, ...]
    where: str = field(default="", compare=False)


Item = Step | Repeat


@dataclass(frozen=True, slots=True)
class Workout:
    name: str
    steps: tuple[Item, ...]
    description: str = ""
    lap_m: float | None = None  # Trackside's: the track's lap
    pace: float | None = None  # Trackside's: the athlete's race pace (s/m) for 'pace' targets
    max_speed: float | None = None  # Trackside's: the 100 % of percentage targets (m/s)
    races: tuple[tuple[str, float], ...] = ()  # Trackside's: race times, for race targets


def flatten(items: Iterable[Item], source: str) -> list[Step]:
    """The steps in the order they are run, repeats unrolled.

    Raises:
        UserError: more than MAX_STEPS steps, named at the step or repeat that passes it.
    """
    items = tuple(items)
    total = 0
    for item in items:
        total += _size((item,))
        if total > MAX_STEPS:
            raise UserError(f"{source}, {item.where}: here the workout passes {MAX_STEPS} "
                            "steps (repeats counted out), more than Trackside runs")
    steps: list[Step] = []
    for item in items:
        if isinstance(item, Step):
            steps.append(item)
        else:
            steps += flatten(item.steps, source) * item.times
    return steps


def _size(items: tuple[Item, ...]) -> int:
    """How many steps `items` unroll to, counted without unrolling (capped past the limit)."""
    total = 0
    for item in items:
        total += 1 if isinstance(item, Step) else item.times * _size(item.steps)
        if total > MAX_STEPS:
            return total
    return total
