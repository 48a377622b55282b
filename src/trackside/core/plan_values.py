"""The values a plan is made of, as a coach writes them and as they are checked: times,
distances, paces, speeds, counts, labels and targets.

Rules for this module:
  1. Text is read the way a coach writes it ('1:30', '400m', '4:55/km') and stored in SI
     units (seconds, metres, seconds per metre, metres per second); numbers are taken as they
     are, and must be real numbers of their own type (not true, not "4", not inf).
  2. Every value is within the limits in `plan_limits`, and a message says which.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from trackside.core import plan_limits as limits
from trackside.core.races import RACES, race_named, race_times
from trackside.core.units import (
    parse_distance,
    parse_duration,
    parse_pace,
    parse_speed,
)


def _text_or_number(parse: Callable[[str], float]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return parse(value) if isinstance(value, str) else value

    return convert


_NUMBER = Field(strict=True, allow_inf_nan=False)  # a real number: not true, not "4", not inf
Seconds = Annotated[float, BeforeValidator(_text_or_number(parse_duration)), _NUMBER,
                    Field(ge=0), AfterValidator(limits.check_time)]
Metres = Annotated[float, BeforeValidator(_text_or_number(parse_distance)), _NUMBER,
                   Field(gt=0), AfterValidator(limits.check_distance)]
SecondsPerMetre = Annotated[float, BeforeValidator(_text_or_number(parse_pace)), _NUMBER,
                            Field(gt=0), AfterValidator(limits.check_pace)]
MetresPerSecond = Annotated[float, BeforeValidator(_text_or_number(parse_speed)), _NUMBER,
                            Field(gt=0), AfterValidator(limits.check_speed)]
Count = Annotated[int, Field(strict=True, gt=0)]
RaceTimes = Annotated[tuple[tuple[str, float], ...], BeforeValidator(race_times)]
_LABEL = re.compile(r"^[^\W\d_]+(?:[ '_-][^\W\d_]+)*$")
_TIME_SHAPED = re.compile(r"^[\d.:'\"-]+(?:s|sec|secs|min|mins|h)?$")


def is_label(text: str) -> bool:
    """Whether `text` can be a rep's label: words of letters, not too long to show."""
    return len(text) <= limits.MAX_LABEL and bool(_LABEL.match(text))


def _label(value: str | None) -> str | None:
    if value is not None and not is_label(value):
        raise ValueError(f"{value[:20]!r} is not a label: words of letters, e.g. squats or "
                         f"box jumps, at most {limits.MAX_LABEL} characters")
    return value


Label = Annotated[str | None, AfterValidator(_label)]


class Frozen(BaseModel):
    """Frozen, and a key it does not know is an error: a typo is never ignored.

    defer_build: the validators are built when the first plan is read, so a command that
    reads no plan (history, export, config) never builds them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class TargetKind(Enum):
    TIME = "time"  # 75 s for the segment (or a range, 72-75 s)
    PACE = "pace"  # 4:55/km
    RACE_PACE = "race_pace"  # the athlete's pace: the plan's `pace`, or --pace
    RACE = "race"  # the pace of one of the athlete's race times ('5k': core.races)
    MAX = "max"  # all-out: no target time
    PERCENT = "percent"  # of the reference `max_speed` (on a count rep: of the max load)


_Value = Annotated[float | None, Field(strict=True, allow_inf_nan=False, gt=0)]


class Target(Frozen):
    """What the athlete aims for in one segment. Written as text: see `parse_target`."""

    kind: TargetKind
    low: _Value = None  # seconds, s/m or percent
    high: _Value = None  # the slow end of a range
    text: str = ""  # as the coach wrote it (in lower case, without spaces), for the screen
    race: str | None = None  # a RACE target's race: a name of core.races.RACES

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return parse_target(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _values_fit_kind(self) -> Target:
        needs_value = self.kind not in (TargetKind.MAX, TargetKind.RACE_PACE, TargetKind.RACE)
        if needs_value and self.low is None:
            raise ValueError(f"a {self.kind.value} target needs a value")
        if (self.kind is TargetKind.RACE) != (self.race in RACES):
            raise ValueError(f"a race target names one of the races: {', '.join(RACES)}")
        if self.high is not None and self.low is not None and self.high < self.low:
            raise ValueError(f"range {self.text!r} goes backwards")
        for value in (self.low, self.high):
            if value is None:
                continue
            if self.kind is TargetKind.TIME:
                limits.check_time(value)
            elif self.kind is TargetKind.PACE:
                limits.check_pace(value)
            elif self.kind is TargetKind.PERCENT and value > 100:
                raise ValueError(f"{self.text!r}: a percentage above 100 is not a target")
        return self


def parse_target(text: str) -> dict[str, Any]:
    """'75s', '1:15', '72-75s', '4:55/km', 'max', '85%', '80-95%', 'pace', '5k', 'hm'
    -> Target fields."""
    written = "".join(text.split()).lower()  # '4:55 /KM' is '4:55/km'
    text = written
    if text in ("max", "all-out", "allout"):
        return {"kind": TargetKind.MAX, "text": "max"}
    if text in ("pace", "race", "race-pace"):
        return {"kind": TargetKind.RACE_PACE, "text": "pace"}
    if (race := race_named(text)) is not None:
        return {"kind": TargetKind.RACE, "race": race.name, "text": race.name}
    if text.endswith("%"):
        try:
            low, high = parse_range(text[:-1], float)
        except ValueError:
            raise ValueError(f"{written!r} is not a percentage (write 85% or 80-95%)") from None
        return {"kind": TargetKind.PERCENT, "low": low, "high": high, "text": written}
    if "/" in text:
        return {"kind": TargetKind.PACE, "low": parse_pace(text), "text": written}
    try:
        low, high = parse_range(text, parse_duration)
    except ValueError:
        if _TIME_SHAPED.match(text):  # a time with something wrong in it: say what
            raise
        raise ValueError(
            f"{written!r} is not a target (write 75s, 1:15, 4:55/km, max, pace, 5k or 85%)"
        ) from None
    return {"kind": TargetKind.TIME, "low": low, "high": high, "text": written}


def parse_range(text: str, parse: Callable[[str], float]) -> tuple[float, float | None]:
    """'80-95' -> (80, 95); '72-75s' -> (72, 75): a unit on the high end covers both."""
    if "-" not in text:
        return parse(text), None
    low_text, high_text = (part.strip() for part in text.split("-", 1))
    unit = high_text.lstrip("0123456789.:")
    if unit and not low_text.endswith(unit):
        low_text += unit
    return parse(low_text), parse(high_text)


def split_range(value: Any) -> Any:
    """'3:00-4:00' -> {'low': 180, 'high': 240}; a number -> {'low': it}; else as given."""
    if isinstance(value, str):
        low, high = parse_range(value, parse_duration)
        return {"low": low, "high": high}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"low": value}
    return value
