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
  6. Every number is finite, of its own type (`reps = true` and `reps = "4"` are errors) and
     within the limits in `plan_limits`, checked before a list is looked at item by item.
  7. A value that is written but can never take effect (a rest after the last rep) is not an
     error: `Plan.unused_values` names it, so every command warns about it the same way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from trackside.core import plan_limits as limits
from trackside.core.plan_values import (
    Count,
    Frozen,
    Label,
    Metres,
    MetresPerSecond,
    RaceTimes,
    Seconds,
    SecondsPerMetre,
    Target,
    TargetKind,
    parse_range,
    split_range,
)
from trackside.core.units import format_distance, format_duration, parse_duration

Path = tuple[str | int, ...]


class Segment(Frozen):
    """One part of a rep: a distance, a duration or a count, with an optional target."""

    distance: Metres | None = None
    duration: Seconds | None = None
    count: Annotated[int | None, Field(strict=True, gt=0, le=limits.MAX_COUNT)] = None
    label: Label = None  # 'squat', 'bounds': what the count or distance is of
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
        target = self.target
        if target and target.kind is TargetKind.TIME and self.distance and target.low:
            limits.check_humanly_possible(
                self.distance / target.low, f"target: {format_distance(self.distance)} in "
                f"{format_duration(target.low, 1)}")
        return self


class SetBreak(Frozen):
    """The break between sets: at least `low` seconds, then it waits for the button.

    With `high`, the next set starts by itself when `high` is reached.
    """

    low: Seconds = 0.0
    high: Seconds | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text_or_number(cls, value: Any) -> Any:
        return split_range(value)

    @model_validator(mode="after")
    def _range_forwards(self) -> SetBreak:
        if self.high is not None and self.high < self.low:
            raise ValueError("a set break range must go from the shorter to the longer time")
        return self


class Jog(Frozen):
    """A rest covered on foot ('200m jog'): it ends when the athlete is back, on a press or
    on the crossing that completes it, and counts up (`JOG_GUIDE_PACE` gives a usual time)."""

    distance: Metres
    label: Label = "jog"

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return _jog_fields(value) if isinstance(value, str) else value


JOG_GUIDE_PACE = 0.42  # s/m, 7:00/km: an easy jog, the guide for a jog rest's usual time


def _jog_fields(text: str) -> dict[str, str]:
    """'200m jog', '200 m walk', '400m' -> the fields of a Jog."""
    amount, *words = text.split(None, 1)
    if words and re.fullmatch(r"[\d.]+", amount):  # '200 m jog'
        unit, *words = words[0].split(None, 1)
        amount += unit
    return {"distance": amount, **({"label": words[0]} if words else {})}


def _rest_value(value: Any) -> Any:
    """'200m jog' is a Jog; any other text is a time."""
    if isinstance(value, str) and re.match(r"^\s*[\d.]+\s*(m|km|mi)\b", value.lower()):
        return _jog_fields(value)
    return value


Rest = Annotated[Seconds | Jog, BeforeValidator(_rest_value)]

_SEGMENT_SHORTHAND = ("distance", "duration", "count", "label", "target")
_LISTS = {"segments": limits.MAX_SEGMENTS, "rest": limits.MAX_REPS_IN_BLOCK}


class Block(Frozen):
    """`sets` x (`reps` x rep), with rests between reps and set breaks between sets."""

    sets: Annotated[Count, Field(le=limits.MAX_SETS)] = 1  # bounds that catch a typo
    reps: Annotated[Count, Field(le=limits.MAX_REPS_IN_BLOCK)]
    segments: tuple[Segment, ...] = Field(min_length=1)
    rest: Rest | tuple[Seconds, ...] | None = None
    set_break: SetBreak | None = None
    crossings: Count | None = None  # beam crossings that end a rep
    splits: Metres | None = None  # a cue at the target time of every split of this length

    @model_validator(mode="before")
    @classmethod
    def _single_segment_shorthand(cls, value: Any) -> Any:
        """Let a TOML block say `distance = "400m"` instead of a [[blocks.segments]] table."""
        if not isinstance(value, dict):
            return value
        for key, most in _LISTS.items():
            if isinstance(value.get(key), list) and len(value[key]) > most:
                raise ValueError(f"{key}: at most {most} values (this one has "
                                 f"{len(value[key])})")
        if any(key in value for key in _SEGMENT_SHORTHAND):
            if "segments" in value:
                raise ValueError("give either segments or distance/duration/count, not both")
            segment = {key: value[key] for key in _SEGMENT_SHORTHAND if key in value}
            rest = {key: item for key, item in value.items() if key not in _SEGMENT_SHORTHAND}
            return {**rest, "segments": [segment]}
        return value

    @field_validator("splits")
    @classmethod
    def _splits_not_too_fine(cls, value: float | None) -> float | None:
        if value is not None and value < limits.MIN_SPLIT_M:
            raise ValueError(f"split beeps are at least {limits.MIN_SPLIT_M:g} m apart "
                             f"(got {value:g} m)")
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
        if (self.distance or 0.0) > limits.MAX_DISTANCE_M:
            raise ValueError(f"segments: a rep is at most "
                             f"{format_distance(limits.MAX_DISTANCE_M)} (this one is "
                             f"{format_distance(self.distance or 0.0)})")
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

    def rest_after(self, rep_no: int) -> float | Jog | None:
        """The rest after rep `rep_no` (1-based); after the last, the gap to the next block."""
        if isinstance(self.rest, tuple):
            return self.rest[rep_no - 1] if rep_no <= len(self.rest) else None
        return self.rest

    @property
    def gap_written(self) -> bool:
        """Whether the rest after the last rep was written for that gap (a list with one value
        per rep, or the rest of a one-rep block), not the block's own rest between its reps."""
        return self.reps == 1 or (isinstance(self.rest, tuple) and len(self.rest) == self.reps)

    @property
    def ends_with_set_break(self) -> bool:
        """Whether the next block follows a set break (else a rest, in the same set)."""
        return self.sets > 1 or self.set_break is not None


class Plan(Frozen):
    """One workout."""

    name: str = Field(min_length=1)
    description: str = ""
    # the track's; left out, the config's [timing] lap_m (see on_track)
    lap: Annotated[Metres, AfterValidator(limits.check_lap)] = 400.0
    warmup: Seconds | None = None
    warmup_max: Seconds | None = None  # a range: a press ends it, or it ends by itself here
    cooldown: Seconds | None = None
    cooldown_max: Seconds | None = None
    pace: SecondsPerMetre | None = None  # the athlete's race pace, for `pace` targets
    max_speed: MetresPerSecond | None = None  # the reference for percentage targets
    races: RaceTimes = ()  # the athlete's race times, for race targets ('5k'): core.races
    blocks: tuple[Block, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _ranges_and_sizes(cls, value: Any) -> Any:
        """'15:00-20:00' for a warmup or cooldown is its minimum and its maximum."""
        if not isinstance(value, dict):
            return value
        blocks = value.get("blocks")
        if isinstance(blocks, list) and len(blocks) > limits.MAX_REPS:
            raise ValueError(f"blocks: {limits.REPS_LIMIT} (this one has {len(blocks)} blocks)")
        value = dict(value)
        for key in ("warmup", "cooldown"):
            if isinstance(value.get(key), str) and "-" in value[key].lstrip(" -"):
                try:
                    low, high = parse_range(value[key], parse_duration)
                except ValueError as error:
                    raise ValueError(f"{key}: {error}") from None
                value[key], value[f"{key}_max"] = low, high
        return value

    @model_validator(mode="after")
    def _joins_and_references(self) -> Plan:
        for key, low, high in (("warmup", self.warmup, self.warmup_max),
                               ("cooldown", self.cooldown, self.cooldown_max)):
            if high is not None and (low is None or high < low):
                raise ValueError(f"{key}: a range goes from the shorter to the longer time")
        reps = sum(block.sets * block.reps for block in self.blocks)
        if reps > limits.MAX_REPS:
            raise ValueError(f"blocks: {limits.REPS_LIMIT} (this one has {reps})")
        distance = sum(block.sets * block.reps * (block.distance or 0.0) for block in self.blocks)
        if distance > limits.MAX_PLAN_DISTANCE_M:
            raise ValueError(f"blocks: {limits.PLAN_DISTANCE_LIMIT} (this one covers "
                             f"{format_distance(distance)})")
        for number, block in enumerate(self.blocks):
            self._check_block(number, block)
        return self

    def _check_block(self, number: int, block: Block) -> None:
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
        most = block.default_crossings(self.lap)
        if block.crossings is not None and block.crossings > most:
            raise ValueError(
                f"blocks[{number}].crossings: a {block.distance:g} m rep crosses a "
                f"{self.lap:g} m lap's line at most {most} time{'s' * (most != 1)}"
            )
        for index, segment in enumerate(block.segments):
            self._check_reference(f"blocks[{number}].segments[{index}].target", segment)
        if block.splits is not None and not any(self._timed(s) for s in block.segments):
            raise ValueError(f"blocks[{number}].splits: split beeps sound at target times, "
                             "and this rep has no target time")

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
        if kind is TargetKind.RACE and not self.races:
            raise ValueError(
                f"{where}: {segment.target.text!r} needs the athlete's race times (an "
                "athlete's: --athletes NAME, with times from trackside athletes edit NAME "
                "--5k 21:30; or races in the plan)"
            )

    @staticmethod
    def _timed(segment: Segment) -> bool:
        """Whether the segment has a target time (at a pace, a time or a % of top speed)."""
        return bool(segment.target and segment.distance
                    and segment.target.kind is not TargetKind.MAX)

    def unused_values(self) -> list[tuple[Path, str]]:
        """Values written that can never take effect: (their key path, why). A reference
        (`pace`, `max_speed`) no target uses is among them: a caller that gave it for any plan
        (an option, the config) leaves it out."""
        targets = [segment.target.kind for block in self.blocks for segment in block.segments
                   if segment.target and (segment.distance or segment.target.kind
                                          is not TargetKind.PERCENT)]
        unused: list[tuple[Path, str]] = [
            ((key,), f"never used: no target is {what}")
            for key, kind, what in (("pace", TargetKind.RACE_PACE, "the race pace (@pace)"),
                                    ("max_speed", TargetKind.PERCENT, "a % of top speed"),
                                    ("races", TargetKind.RACE, "a race's pace (@5k)"))
            if getattr(self, key) not in (None, ()) and kind not in targets
        ]
        for number, block in enumerate(self.blocks):
            last = number == len(self.blocks) - 1
            gap_to_next = not last and not block.ends_with_set_break
            if block.rest is not None and block.reps == 1 and not gap_to_next:
                follows = "the end" if last and block.sets == 1 else "a set break"
                unused.append((("blocks", number, "rest"),
                               f"never used: the rep before it is followed by {follows}"))
            if block.set_break is not None and last and block.sets == 1:
                unused.append((("blocks", number, "set_break"),
                               "never used: no set follows it"))
            if block.splits is not None and block.splits >= (block.distance or 0.0) - 1e-9:
                unused.append((("blocks", number, "splits"),
                               f"never used: a {format_distance(block.distance or 0.0)} rep "
                               f"has no split every {format_distance(block.splits)} before "
                               "its finish"))
        return unused

    def on_track(self, lap_m: float) -> Plan:
        """This plan on a track whose lap is `lap_m`, unless the plan says its own lap.

        Checked again on that lap (ValidationError): a rep may not cross the line more often
        than it can.
        """
        if "lap" in self.model_fields_set or lap_m == self.lap:
            return self
        return Plan.model_validate({**self.model_dump(), "lap": lap_m})


@dataclass(frozen=True, slots=True)
class LoadedPlan:
    """A plan as read, and one line for each thing in it that will not be used as written
    ('notation, column 12: rest: never used: ...'), for every command to print the same."""

    plan: Plan
    warnings: tuple[str, ...] = ()
