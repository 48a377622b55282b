"""Plan -> the exact sequence of steps the engine runs. Pure; this is where the rules live.

Rules:
  1. A set is the run of reps between set breaks: blocks joined without a set break
     share one set, and the rest between them is the one written for that gap, else the
     first block's own rest (that step is marked `assumed`, so `show` can say so).
  2. Between two reps of a set there is exactly one rest; after a set, except the last,
     exactly one set break. There is never a rest after the last rep.
  3. Every target is resolved to seconds here, so the engine and the screen never do
     pace maths.
  4. A distance rep finishes on the line and starts `start_offset_m` before it; it crosses
     the line every lap before the finish, and the beam keeps each crossing as a split with
     its distance. A segment boundary that falls on one of those crossings is marked there,
     otherwise at its target time.
  5. A jog rest (`r200m jog`) has no deadline: it ends on a press, or on the crossing that
     completes it when it runs from the line back to the line for the next rep.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import Enum

from trackside.core.plan import JOG_GUIDE_PACE, Block, Jog, Plan, Segment, SetBreak, TargetKind
from trackside.core.plan_limits import FASTEST_HUMAN_MPS
from trackside.core.races import race_time

_SAME_PLACE_M = 0.5  # a boundary this close to a crossing is at the crossing


class StepKind(Enum):
    WARMUP = "warmup"
    REP = "rep"
    REST = "rest"
    SET_BREAK = "set_break"
    COOLDOWN = "cooldown"


@dataclass(frozen=True, slots=True)
class Leg:
    """One segment of a rep, with its target resolved to seconds."""

    distance_m: float | None = None
    duration_s: float | None = None
    count: int | None = None
    label: str | None = None
    target_s: float | None = None  # the middle of a range
    target_range_s: tuple[float, float] | None = None  # (fast, slow)
    max_effort: bool = False
    target_text: str = ""  # as written: '4:55/km', 'max', '85%'


@dataclass(frozen=True, slots=True)
class Step:
    kind: StepKind
    set_no: int | None = None
    rep_no: int | None = None  # within the set
    rep_index: int | None = None  # the rep's number over the whole plan (a rest: the rep before)
    duration_s: float | None = None  # a countdown; a set break's minimum; a timed rep
    max_s: float | None = None  # a range's top (set break, warm-up, cool-down): ends by itself
    legs: tuple[Leg, ...] = ()
    crossing_m: tuple[float, ...] = ()  # where the rep crosses the line (last = finish)
    split_times_s: tuple[float, ...] = ()  # split cues, seconds after GO
    kick_times_s: tuple[float, ...] = ()  # segment ends off the line, seconds after GO
    kick_crossings: tuple[int, ...] = ()  # segment ends on the line: 1-based crossing numbers
    reps_in_set: int = 0  # filled in for reps
    start_offset_m: float = 0.0  # a distance rep starts this far before the line (0: on it)
    assumed: bool = False  # a rest between blocks that was not written: the block's own

    @property
    def split_m(self) -> tuple[float, ...]:
        """Where the beam's splits of this rep fall: every crossing before the finish."""
        return self.crossing_m[:-1]

    @property
    def label(self) -> str | None:
        """What the rep (or a jog rest) is of: 'squats', 'bounds', 'jog'."""
        return next((leg.label for leg in self.legs if leg.label), None)

    @property
    def distance_m(self) -> float | None:
        if not self.legs or self.legs[0].distance_m is None:
            return None
        return sum(leg.distance_m or 0.0 for leg in self.legs)

    @property
    def target_s(self) -> float | None:
        """The rep's target time: the sum of its segments' when every one has one."""
        if self.kind is StepKind.REP and self.legs and self.legs[0].duration_s is not None:
            return None
        targets = [leg.target_s for leg in self.legs]
        if not targets or None in targets:
            return None
        return sum(targets)  # type: ignore[arg-type]

    @property
    def count(self) -> int | None:
        return self.legs[0].count if self.legs else None

    @property
    def crossings(self) -> int:
        return len(self.crossing_m)

    def time_at(self, metres: float, untargeted_mps: float | None = None) -> float | None:
        """Target seconds after GO to reach `metres` (None beyond the rep). A segment with
        no target is run at `untargeted_mps`; without one, it has no time either (None)."""
        elapsed = 0.0
        start = 0.0
        for leg in self.legs:
            length = leg.distance_m or 0.0
            if leg.target_s is not None:
                seconds = leg.target_s
            elif untargeted_mps:
                seconds = length / untargeted_mps
            else:
                return None
            if metres <= start + length + 1e-9:
                return elapsed + seconds * (metres - start) / length
            elapsed += seconds
            start += length
        return None


@dataclass(frozen=True)
class Schedule:
    name: str
    steps: tuple[Step, ...]
    description: str = ""
    reps: tuple[Step, ...] = field(init=False)

    def __post_init__(self) -> None:
        reps = tuple(step for step in self.steps if step.kind is StepKind.REP)
        object.__setattr__(self, "reps", reps)

    @property
    def sets_total(self) -> int:
        return max((step.set_no or 0 for step in self.reps), default=0)

    @property
    def estimated_total_s(self) -> float:
        """Warmup, rep targets or lengths, rests, set-break minimums and cooldown."""
        return sum(step.duration_s or step.target_s or 0.0 for step in self.steps)

    @property
    def untimed_reps(self) -> int:
        """Reps whose time cannot be estimated (count reps, all-out with no target)."""
        return sum(1 for rep in self.reps if rep.duration_s is None and rep.target_s is None)

    @property
    def distance_m(self) -> float:
        return sum(rep.distance_m or 0.0 for rep in self.reps)


def expand(plan: Plan) -> Schedule:
    """Flatten a plan into the exact sequence of steps the engine will run."""
    steps: list[Step] = []
    if plan.warmup:
        steps.append(Step(StepKind.WARMUP, duration_s=plan.warmup, max_s=plan.warmup_max))
    set_no, rep_in_set, index = 1, 0, 0
    for number, block in enumerate(plan.blocks):
        last_block = number == len(plan.blocks) - 1
        for set_in_block in range(1, block.sets + 1):
            for rep_no in range(1, block.reps + 1):
                rep_in_set += 1
                index += 1
                steps.append(rep_step(plan, block, set_no, rep_in_set, index))
                if rep_no < block.reps:
                    steps.append(_rest(block.rest_after(rep_no), set_no, rep_in_set, index))
            more_sets = set_in_block < block.sets
            if more_sets or (not last_block and block.ends_with_set_break):
                steps.append(_set_break(block.set_break or SetBreak(), set_no, rep_in_set))
                set_no, rep_in_set = set_no + 1, 0
            elif not last_block:
                gap = _rest(block.rest_after(block.reps), set_no, rep_in_set, index)
                steps.append(replace(gap, assumed=not block.gap_written))
    if plan.cooldown:
        steps.append(Step(StepKind.COOLDOWN, duration_s=plan.cooldown, max_s=plan.cooldown_max))
    return Schedule(plan.name, _jogs_on_the_line(_with_set_sizes(steps), plan.lap),
                    plan.description)


def _rest(rest: float | Jog | None, set_no: int, rep_no: int, index: int) -> Step:
    if not isinstance(rest, Jog):
        return Step(StepKind.REST, set_no, rep_no, index, duration_s=rest)
    guide = Leg(distance_m=rest.distance, label=rest.label,
                target_s=rest.distance * JOG_GUIDE_PACE)
    return Step(StepKind.REST, set_no, rep_no, index, legs=(guide,))


def _jogs_on_the_line(steps: tuple[Step, ...], lap: float) -> tuple[Step, ...]:
    """A jog ends on the beam when it runs from a finish on the line, whole laps, to a rep
    that starts on the line: then it crosses the line every lap."""
    marked = list(steps)
    for number, step in enumerate(steps):
        if step.kind is not StepKind.REST or not step.legs:
            continue
        before, after = steps[number - 1], steps[number + 1]
        jog = step.distance_m or 0.0
        laps = round(jog / lap)
        whole = laps >= 1 and abs(jog - laps * lap) < _SAME_PLACE_M
        if whole and before.crossing_m and after.crossing_m and not after.start_offset_m:
            marked[number] = replace(step, crossing_m=tuple(lap * n for n in range(1, laps + 1)))
    return tuple(marked)


def _set_break(set_break: SetBreak, set_no: int, rep_no: int) -> Step:
    return Step(StepKind.SET_BREAK, set_no, rep_no, duration_s=set_break.low, max_s=set_break.high)


def _with_set_sizes(steps: list[Step]) -> tuple[Step, ...]:
    sizes: dict[int, int] = {}
    for step in steps:
        if step.kind is StepKind.REP and step.set_no is not None:
            sizes[step.set_no] = max(sizes.get(step.set_no, 0), step.rep_no or 0)
    return tuple(
        replace(step, reps_in_set=sizes[step.set_no]) if step.kind is StepKind.REP else step
        for step in steps
    )


def rep_step(plan: Plan, block: Block, set_no: int = 1, rep_no: int = 1, index: int = 1) -> Step:
    """One rep of `block` as `expand` makes it (targets in seconds, crossings, cues)."""
    legs = tuple(resolve_leg(plan, segment) for segment in block.segments)
    rep = Step(StepKind.REP, set_no, rep_no, index, legs=legs)
    if legs[0].duration_s is not None:
        return replace(rep, duration_s=sum(leg.duration_s or 0.0 for leg in legs))
    if legs[0].count is not None:
        return rep
    total = rep.distance_m or 0.0
    crossings = block.crossings or block.default_crossings(plan.lap)
    crossing_m = tuple(total - (crossings - n) * plan.lap for n in range(1, crossings + 1))
    offset = total % plan.lap
    on_the_line = min(offset, plan.lap - offset) < _SAME_PLACE_M
    rep = replace(rep, crossing_m=crossing_m, start_offset_m=0.0 if on_the_line else offset)
    kick_crossings: list[int] = []
    kick_times: list[float] = []
    boundary = 0.0
    for leg in legs[:-1]:
        boundary += leg.distance_m or 0.0
        on_line = [n for n, at in enumerate(crossing_m, 1) if abs(at - boundary) < _SAME_PLACE_M]
        if on_line:
            kick_crossings.append(on_line[0])
        elif (time := rep.time_at(boundary)) is not None:
            kick_times.append(time)
    splits: list[float] = []
    if block.splits:
        marks = (block.splits * n for n in range(1, math.ceil(total / block.splits)))
        splits = [time for mark in marks if mark < total - 1e-9
                  and (time := rep.time_at(mark)) is not None]
    return replace(rep, kick_crossings=tuple(kick_crossings), kick_times_s=tuple(kick_times),
                 split_times_s=tuple(splits))


def resolve_leg(plan: Plan, segment: Segment) -> Leg:
    """A segment with its target worked out in seconds from the plan's references."""
    leg = Leg(segment.distance, segment.duration, segment.count, segment.label)
    target = segment.target
    if target is None:
        return leg
    text = target.text or target.kind.value
    if target.kind is TargetKind.MAX:
        return replace(leg, max_effort=True, target_text="max")
    if segment.distance is None:  # a load on a count rep: shown, never timed
        return replace(leg, target_text=text)
    distance = segment.distance
    match target.kind:
        case TargetKind.TIME:
            fast, slow = target.low, target.high or target.low
        case TargetKind.PACE:
            fast = slow = distance * (target.low or 0.0)
        case TargetKind.RACE_PACE:
            fast = slow = distance * (plan.pace or 0.0)
        case TargetKind.RACE:
            known = race_time(plan.races, target.race or "")
            fast = slow = distance * (known.pace_s_per_m if known else 0.0)
        case TargetKind.PERCENT:
            speed = plan.max_speed or 0.0
            fast = distance / (speed * (target.high or target.low or 0.0) / 100)
            slow = distance / (speed * (target.low or 0.0) / 100)
    middle = ((fast or 0.0) + (slow or 0.0)) / 2
    span = (fast, slow) if fast != slow else None
    return replace(leg, target_s=middle, target_range_s=span, target_text=text)


def rep_position(steps: tuple[Step, ...], done: int) -> int:
    """The step of the first rep not done after `done` reps (past the last: len(steps))."""
    reps = [number for number, step in enumerate(steps) if step.kind is StepKind.REP]
    return reps[done] if done < len(reps) else len(steps)


def min_gap_s(step: Step, crossing: int, override_s: float | None = None) -> float:
    """How long after GO (or the previous counted crossing) crossing `crossing` may come.

    Earlier breaks are the runner leaving the line or one body breaking the beam twice.
    By default half the target time of that stretch, or its distance at a superhuman speed.
    """
    if override_s is not None:
        return override_s
    start_m = step.crossing_m[crossing - 2] if crossing > 1 else 0.0
    end_m = step.crossing_m[crossing - 1]
    start_t = step.time_at(start_m) if crossing > 1 else 0.0
    end_t = step.time_at(end_m)
    if start_t is not None and end_t is not None:
        return (end_t - start_t) / 2
    return (end_m - start_m) / FASTEST_HUMAN_MPS
