"""A plan as a structured workout, for a watch: the steps it runs, in the order it runs them.

Rules for this module:
  1. The watch does what Trackside does: every rep, rest and set break is a step with the
     same length, and a rep's target is the speed range `expand` works out for it (so a
     'pace' or percentage target arrives as the athlete's own speed).
  2. A rep of several segments is its segments back to back, with no rest between them.
  3. A set break is a rest of its minimum, then a rest that ends on the lap button; where
     the set break has a top (3:00-4:00) the top rides along as Trackside's own value.
  4. Repeats where they save steps: 4 reps with one rest between each are a repeat of
     (rep, rest) three times and the fourth rep, exactly as Trackside runs them (no rest
     after the last). Descending rests are written out one by one.
  5. Pure: `core.workout_as_plan` reads the result back into the same plan.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from trackside.core.plan import Block, Plan, SetBreak
from trackside.core.schedule import Step as ScheduleStep
from trackside.core.schedule import expand
from trackside.core.workout import Ends, Intensity, Item, Repeat, Speed, Step, Workout


def workout_of(plan: Plan) -> Workout:
    items: list[Item] = []
    if plan.warmup:
        items.append(Step(Intensity.WARMUP, Ends.TIME, plan.warmup))
    reps = iter(expand(plan).reps)
    for number, block in enumerate(plan.blocks):
        rep = _rep(block, _first_of_block(reps, block))
        items += _alternating(_one_set(block, rep), _set_break(block.set_break), block.sets)
        if number + 1 < len(plan.blocks):
            if block.ends_with_set_break:
                items += _set_break(block.set_break)
            else:
                items.append(_rest(block.rest_after(block.reps) or 0.0))
    if plan.cooldown:
        items.append(Step(Intensity.COOLDOWN, Ends.TIME, plan.cooldown))
    return Workout(plan.name, tuple(items), plan.description, lap_m=plan.lap, pace=plan.pace,
                   max_speed=plan.max_speed, races=plan.races)


def _first_of_block(reps: Iterator[ScheduleStep], block: Block) -> ScheduleStep:
    """The first of the block's reps in the schedule (all are alike); the others skipped."""
    first = next(reps)
    for _ in range(block.sets * block.reps - 1):
        next(reps)
    return first


def _rep(block: Block, rep: ScheduleStep) -> tuple[Step, ...]:
    steps = []
    for number, (segment, leg) in enumerate(zip(block.segments, rep.legs, strict=True)):
        if leg.distance_m is not None:
            ends, amount = Ends.DISTANCE, leg.distance_m
        elif leg.duration_s is not None:
            ends, amount = Ends.TIME, leg.duration_s
        else:
            ends, amount = Ends.COUNT, float(leg.count or 0)
        speed = None
        if leg.distance_m is not None and leg.target_s is not None:
            fast_s, slow_s = leg.target_range_s or (leg.target_s, leg.target_s)
            speed = Speed(slow=leg.distance_m / slow_s, fast=leg.distance_m / fast_s)
        first = number == 0  # the rep's own options ride on its first segment
        steps.append(Step(
            Intensity.WORK, ends, amount, speed, name=segment.label or "",
            target_text=segment.target.text if segment.target else "",
            splits_m=block.splits if first else None,
            crossings=block.crossings if first else None))
    return tuple(steps)


def _one_set(block: Block, rep: tuple[Step, ...]) -> list[Item]:
    if isinstance(block.rest, tuple):  # one rest per gap: written out
        items: list[Item] = []
        for rep_no in range(1, block.reps + 1):
            items += rep
            if rep_no < block.reps:
                items.append(_rest(block.rest_after(rep_no) or 0.0))
        return items
    between = [_rest(block.rest)] if block.rest is not None else []
    return _alternating(list(rep), between, block.reps)


def _alternating(body: Sequence[Item], join: Sequence[Item], times: int) -> list[Item]:
    """body, join, body, ..., body: `times` bodies."""
    if times == 1:
        return list(body)
    if times == 2:
        return [*body, *join, *body]
    return [Repeat(times - 1, (*body, *join)), *body]


def _rest(seconds: float) -> Step:
    return Step(Intensity.REST, Ends.TIME, seconds)


def _set_break(set_break: SetBreak | None) -> list[Item]:
    set_break = set_break or SetBreak()
    minimum = [_rest(set_break.low)] if set_break.low > 0 else []
    return [*minimum, Step(Intensity.REST, Ends.PRESS, max_s=set_break.high)]
