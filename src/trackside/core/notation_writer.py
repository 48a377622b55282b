"""A plan written as whiteboard notation: the inverse of `notation.read_notation`.

Rules for this module:
  1. Reading what this writes gives the same blocks, warmup and cooldown, whatever the plan
     was read from. What the notation has no place for (the name, the description, the lap,
     the athlete's pace and top speed) is left out. Targets are written as their text.
  2. Numbers are written exactly: where a short form ('1:30', '1.2km') would not read back
     to the same number, the full one is written ('90.25s', '1234.5m').
  3. One form for each thing, the canonical notation: sets of reps as '3x4x400m', a rest
     written between two blocks as '; r3:00;', every time with its unit.
"""

from __future__ import annotations

from collections.abc import Callable

from trackside.core.plan import Block, Jog, Plan, Segment, SetBreak, Target, TargetKind
from trackside.core.units import METRES_PER_MILE, parse_distance, parse_duration


def plan_notation(plan: Plan) -> str:
    """'wu15:00; 3x4x400m @pace r60,45,30 sb3:00-4:00; cd10:00'."""
    items = []
    if plan.warmup is not None:
        items.append("wu" + _time_range(plan.warmup, plan.warmup_max))
    for number, block in enumerate(plan.blocks):
        joined = number + 1 < len(plan.blocks) and not block.ends_with_set_break
        items += _block(block, joined)
    if plan.cooldown is not None:
        items.append("cd" + _time_range(plan.cooldown, plan.cooldown_max))
    return "; ".join(items)


def _block(block: Block, joined: bool) -> list[str]:
    """The block, and the rest written between it and the next one if there is one."""
    counts = f"{block.sets}x" * (block.sets > 1)
    counts += f"{block.reps}x" * (block.reps > 1 or block.sets > 1)
    words = [counts + " +".join(_segment(segment) for segment in block.segments)]
    gap = []
    rest = block.rest
    if isinstance(rest, tuple) and joined and len(rest) == block.reps:
        gap, rest = [f"r{_rest(rest[-1])}"], rest[:-1]
        if rest and len(set(rest)) == 1:
            rest = rest[0]
    if isinstance(rest, Jog):
        words.append(f"r{_distance(rest.distance)} {rest.label}")
    elif isinstance(rest, tuple) and rest:
        words.append("r" + ",".join(_rest(value) for value in rest))
    elif isinstance(rest, float):
        words.append(f"r{_rest(rest)}")
    if block.set_break is not None:
        words.append(f"sb{_set_break(block.set_break)}")
    if block.splits is not None:
        words.append(f"sp{_distance(block.splits)}")
    if block.crossings is not None:
        words.append(f"c{block.crossings}")
    return [" ".join(words), *gap]


def _segment(segment: Segment) -> str:
    if segment.distance is not None:
        words = [_distance(segment.distance)]
    elif segment.duration is not None:
        words = [_time(segment.duration)]
    else:
        words = [str(segment.count)]
    if segment.label:
        words.append(segment.label)
    if segment.target is not None:
        words.append("@" + (segment.target.text or _target(segment.target)))
    return " ".join(words)


def _target(target: Target) -> str:
    """A target built without text (from numbers in a file)."""
    match target.kind:
        case TargetKind.MAX:
            return "max"
        case TargetKind.RACE_PACE:
            return "pace"
        case TargetKind.PERCENT:
            high = f"-{_number(target.high)}" if target.high is not None else ""
            return f"{_number(target.low or 0.0)}{high}%"
        case TargetKind.PACE:
            return f"{_number(target.low or 0.0)}s/m"
    return _time_range(target.low or 0.0, target.high)


def _rest(seconds: float) -> str:
    """A rest: seconds bare, as coaches write them ('r45', 'r1:30')."""
    return _time(seconds).removesuffix("s")


def _set_break(set_break: SetBreak) -> str:
    return _time_range(set_break.low, set_break.high)


def _time_range(low: float, high: float | None) -> str:
    """'3:00-4:00', '30s-45s': both ends in the same form, so no unit is carried over."""
    if high is None:
        return _time(low)
    high_text = _time(high)
    low_text = f"{_number(low)}s" if high_text.endswith("s") else _time(low)
    return f"{low_text}-{high_text}"


def _time(seconds: float) -> str:
    """'45s', '1:30', '1:02:05', '1:02.5'; '62.123456s' when a clock would not be exact."""
    minutes, rest = divmod(seconds, 60)
    rest = round(rest, 6)
    hours, minutes = divmod(int(minutes), 60)
    clock = f"{hours}:{minutes:02d}:" if hours else f"{minutes}:"
    clocks = [f"{clock}{'0' * (rest < 10)}{_number(rest)}"] * (seconds >= 60)
    return _exact(seconds, parse_duration, [*clocks, f"{_number(seconds)}s"])


def _distance(metres: float) -> str:
    miles = metres / METRES_PER_MILE
    candidates = [f"{round(miles)}mi"] * (miles >= 1 and miles == round(miles))
    candidates += [f"{_number(metres / 1000)}km"] * (metres >= 1000)
    return _exact(metres, parse_distance, [*candidates, f"{_number(metres)}m"])


def _exact(value: float, parse: Callable[[str], float], candidates: list[str]) -> str:
    """The first candidate that reads back as exactly `value` (the last is exact)."""
    for text in candidates[:-1]:
        try:
            if parse(text) == value:
                return text
        except ValueError:  # '44:60' from 2699.999999999998 s: not a clock after all
            pass
    return candidates[-1]


def _number(value: float) -> str:
    """The shortest positional text that reads back as exactly `value`: '400', '12.5'."""
    text = repr(value)
    if "e" in text:
        text = f"{value:.20f}"
    return text.removesuffix(".0") if "." in text and "e" not in text else text
