"""A workout plan as validated data.

Rules for this module:
  1. Models are frozen and reject unknown keys: a typo in a plan is an error, never ignored.
  2. Values may be written the way a coach writes them ('1:30', '400m', '4:55/km'); they are
     stored in SI units (seconds, metres, seconds per metre, metres per second).
  3. Nothing is guessed: a rest list of the wrong length, a percentage with no reference
     speed or a rep that is both a distance and a duration is an error that says so.
  4. No I/O. Loading files and parsing the notation live elsewhere and build these models.
  5. A validator that knows which key is wrong starts its message with that key's path,
     relative to the model it validates ('rest: ...', 'blocks[0].rest: ...'): `problems`
     reads it back so the user is pointed at the line or column of that key.
"""

from __future__ import annotations

import math
from enum import Enum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PositiveInt,
    model_validator,
)

from trackside.core.units import parse_distance, parse_duration, parse_pace, parse_speed


def _text_or_number(parse):  # noqa: ANN001, ANN202 - tiny adapter for BeforeValidator
    def convert(value: Any) -> Any:
        return parse(value) if isinstance(value, str) else value

    return convert


Seconds = Annotated[float, BeforeValidator(_text_or_number(parse_duration)), Field(ge=0)]
Metres = Annotated[float, BeforeValidator(_text_or_number(parse_distance)), Field(gt=0)]
SecondsPerMetre = Annotated[float, BeforeValidator(_text_or_number(parse_pace)), Field(gt=0)]
MetresPerSecond = Annotated[float, BeforeValidator(_text_or_number(parse_speed)), Field(gt=0)]


class _Frozen(BaseModel):
    # defer_build: the validators are built when the first plan is read, so a command that
    # reads no plan (history, export, config) never builds them.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class TargetKind(Enum):
    TIME = "time"  # 75 s for the segment (or a range, 72-75 s)
    PACE = "pace"  # 4:55/km
    RACE_PACE = "race_pace"  # the athlete's pace: the plan's `pace`, or --pace
    MAX = "max"  # all-out: no target time
    PERCENT = "percent"  # of the reference `max_speed` (on a count rep: of the max load)


class Target(_Frozen):
    """What the athlete aims for in one segment. Written as text: see `parse_target`."""

    kind: TargetKind
    low: float | None = Field(default=None, gt=0)  # seconds, s/m or percent
    high: float | None = Field(default=None, gt=0)  # the slow end of a range
    text: str = ""  # as the coach wrote it, for the screen

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return parse_target(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _values_fit_kind(self) -> Target:
        needs_value = self.kind not in (TargetKind.MAX, TargetKind.RACE_PACE)
        if needs_value and self.low is None:
            raise ValueError(f"a {self.kind.value} target needs a value")
        if self.high is not None and self.low is not None and self.high < self.low:
            raise ValueError(f"range {self.text!r} goes backwards")
        if self.kind is TargetKind.PERCENT and (self.high or self.low or 0) > 100:
            raise ValueError(f"{self.text!r}: a percentage above 100 is not a target")
        return self


def parse_target(text: str) -> dict[str, Any]:
    """'75s', '1:15', '72-75s', '4:55/km', 'max', '85%', '80-95%', 'pace' -> Target fields."""
    raw = text
    text = text.strip().lower()
    if text in ("max", "all-out", "allout"):
        return {"kind": TargetKind.MAX, "text": "max"}
    if text in ("pace", "race", "race-pace"):
        return {"kind": TargetKind.RACE_PACE, "text": "pace"}
    if text.endswith("%"):
        low, high = _range(text[:-1], float)
        return {"kind": TargetKind.PERCENT, "low": low, "high": high, "text": raw.strip()}
    if "/" in text:
        return {"kind": TargetKind.PACE, "low": parse_pace(text), "text": raw.strip()}
    try:
        low, high = _range(text, parse_duration)
    except ValueError:
        raise ValueError(
            f"{raw!r} is not a target (write 75s, 1:15, 4:55/km, max, pace or 85%)"
        ) from None
    return {"kind": TargetKind.TIME, "low": low, "high": high, "text": raw.strip()}


def _range(text: str, parse):  # noqa: ANN001, ANN202
    """'80-95' -> (80, 95); '72-75s' -> (72, 75): a unit on the high end covers both."""
    if "-" not in text:
        return parse(text), None
    low_text, high_text = (part.strip() for part in text.split("-", 1))
    unit = high_text.lstrip("0123456789.:")
    if unit and not low_text.endswith(unit):
        low_text += unit
    return parse(low_text), parse(high_text)


class Segment(_Frozen):
    """One part of a rep: a distance, a duration or a count, with an optional target."""

    distance: Metres | None = None
    duration: Seconds | None = None
    count: PositiveInt | None = None
    label: str | None = None  # 'squat', 'bounds': what the count or distance is of
    target: Target | None = None

    @model_validator(mode="after")
    def _exactly_one_amount(self) -> Segment:
        amounts = ("distance", "duration", "count")
        given = [name for name in amounts if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("a segment is exactly one of a distance, a duration or a count")
        if self.duration is not None and self.duration <= 0:
            raise ValueError("duration: a timed rep must last longer than zero")
        if self.target and self.target.kind is not TargetKind.PERCENT and self.count:
            raise ValueError("target: a count rep takes no time target (a load such as 90% is)")
        if self.target and self.duration is not None:
            raise ValueError("target: a timed rep takes no target: its time is its length")
        return self


class SetBreak(_Frozen):
    """The break between sets: at least `low` seconds, then it waits for the button.

    With `high`, the next set starts by itself when `high` is reached.
    """

    low: Seconds = 0.0
    high: Seconds | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text_or_number(cls, value: Any) -> Any:
        if isinstance(value, str):
            low, high = _range(value, parse_duration)
            return {"low": low, "high": high}
        if isinstance(value, int | float):
            return {"low": value}
        return value

    @model_validator(mode="after")
    def _range_forwards(self) -> SetBreak:
        if self.high is not None and self.high < self.low:
            raise ValueError("a set break range must go from the shorter to the longer time")
        return self


_SEGMENT_SHORTHAND = ("distance", "duration", "count", "label", "target")


class Block(_Frozen):
    """`sets` x (`reps` x rep), with rests between reps and set breaks between sets."""

    sets: PositiveInt = Field(default=1, le=50)  # bounds that catch a typo (40x for 4x)
    reps: PositiveInt = Field(le=200)
    segments: tuple[Segment, ...] = Field(min_length=1)
    rest: Seconds | tuple[Seconds, ...] | None = None
    set_break: SetBreak | None = None
    crossings: PositiveInt | None = None  # beam crossings that end a rep
    splits: Metres | None = None  # a cue at the target time of every split of this length

    @model_validator(mode="before")
    @classmethod
    def _single_segment_shorthand(cls, value: Any) -> Any:
        """Let a TOML block say `distance = "400m"` instead of a [[blocks.segments]] table."""
        if isinstance(value, dict) and any(key in value for key in _SEGMENT_SHORTHAND):
            if "segments" in value:
                raise ValueError("give either segments or distance/duration/count, not both")
            segment = {key: value[key] for key in _SEGMENT_SHORTHAND if key in value}
            rest = {key: item for key, item in value.items() if key not in _SEGMENT_SHORTHAND}
            return {**rest, "segments": [segment]}
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Block:
        kinds = {self._kind_of(segment) for segment in self.segments}
        if len(kinds) > 1 or ("count" in kinds and len(self.segments) > 1):
            raise ValueError(
                "segments of a rep are all distances or all durations (a count stands alone)"
            )
        if isinstance(self.rest, tuple) and len(self.rest) not in (self.reps - 1, self.reps):
            gaps = self.reps - 1
            raise ValueError(
                f"rest: {self.reps} reps have {gaps} gap{'s' * (gaps != 1)} "
                f"but the list has {len(self.rest)} values"
            )
        if self.rest is None and self.reps > 1:
            raise ValueError(
                f"rest: {self.reps} reps need a rest between them (r60 in the notation, "
                "rest = 60 in a file)"
            )
        if self.crossings is not None and not self.distance:
            raise ValueError("crossings: only a distance rep crosses the beam")
        if self.splits is not None and not self.distance:
            raise ValueError("splits: only a distance rep has splits")
        return self

    @staticmethod
    def _kind_of(segment: Segment) -> str:
        return "distance" if segment.distance else "duration" if segment.duration else "count"

    @property
    def distance(self) -> float | None:
        """The distance of one rep, all segments together (None unless a distance rep)."""
        if self.segments[0].distance is None:
            return None
        return sum(segment.distance or 0.0 for segment in self.segments)

    def default_crossings(self, lap: float) -> int:
        """Crossings of a line every `lap` metres for a rep that finishes on the line."""
        return max(1, math.ceil((self.distance or 0.0) / lap - 1e-9))

    def rest_after(self, rep_no: int) -> float | None:
        """The rest after rep `rep_no` (1-based); after the last, the gap to the next block."""
        if isinstance(self.rest, tuple):
            return self.rest[rep_no - 1] if rep_no <= len(self.rest) else None
        return self.rest

    @property
    def ends_with_set_break(self) -> bool:
        """Whether the next block follows a set break (else a rest, in the same set)."""
        return self.sets > 1 or self.set_break is not None


class Plan(_Frozen):
    """One workout."""

    name: str = Field(min_length=1)
    description: str = ""
    lap: Metres = 400.0
    warmup: Seconds | None = None
    cooldown: Seconds | None = None
    pace: SecondsPerMetre | None = None  # the athlete's race pace, for `pace` targets
    max_speed: MetresPerSecond | None = None  # the reference for percentage targets
    blocks: tuple[Block, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _joins_and_references(self) -> Plan:
        for number, block in enumerate(self.blocks):
            joined = number + 1 < len(self.blocks) and not block.ends_with_set_break
            if joined and block.rest_after(block.reps) is None:
                need = "a rest" if block.reps == 1 else f"{block.reps} rest values (one per gap)"
                raise ValueError(
                    f"blocks[{number}].rest: the block is followed by another without a set "
                    f"break, so it needs {need}; or give it a set break"
                )
            if not joined and isinstance(block.rest, tuple) and len(block.rest) == block.reps:
                raise ValueError(
                    f"blocks[{number}].rest: {block.reps} reps have {block.reps - 1} gaps "
                    f"but the list has {len(block.rest)} values"
                )
            if block.crossings is not None and block.crossings > block.default_crossings(self.lap):
                raise ValueError(
                    f"blocks[{number}].crossings: a {block.distance:g} m rep crosses a "
                    f"{self.lap:g} m lap's line at most {block.default_crossings(self.lap)} "
                    f"time{'s' * (block.default_crossings(self.lap) != 1)}"
                )
            for index, segment in enumerate(block.segments):
                self._check_reference(f"blocks[{number}].segments[{index}].target", segment)
        return self

    def _check_reference(self, where: str, segment: Segment) -> None:
        kind = segment.target.kind if segment.target else None
        if kind is TargetKind.PERCENT and segment.distance and self.max_speed is None:
            raise ValueError(
                f"{where}: {segment.target.text!r} needs a reference speed "
                "(max_speed in the plan, or --max-speed)"
            )
        if kind is TargetKind.RACE_PACE and self.pace is None:
            raise ValueError(
                f"{where}: 'pace' needs the athlete's race pace (pace in the plan, or --pace)"
            )

    def with_references(
        self, pace: float | None = None, max_speed: float | None = None
    ) -> Plan:
        """The same plan for another athlete: a new race pace or reference speed."""
        update: dict[str, float] = {}
        if pace is not None:
            update["pace"] = pace
        if max_speed is not None:
            update["max_speed"] = max_speed
        return Plan.model_validate({**self.model_dump(), **update}) if update else self
