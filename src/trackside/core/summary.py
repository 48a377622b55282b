"""The numbers a coach reads after a session, grouped by what was run.

Rules for this module:
  1. Reps are grouped by what they were: every part the same distance, count or duration,
     the same label and the same target. No figure mixes two groups: 10 squats are never
     averaged with 10 m bounds, nor the 400 m reps of hard-kick-500 with its 500 m ones.
  2. Every figure is computed from the times *as shown* (core/precision), in whole steps of
     its precision, so the arithmetic a coach reads adds up: a difference is the shown time
     minus the shown target; best, worst and fade are exact; an average and a spread are
     rounded to the nearest step (a half up), and vs-target is the shown average minus the
     shown target.
  3. A figure has the finest precision of the times it is made of: hundredths as soon as
     one came from the beam.
  4. A timed rep (ended by its own clock) says nothing of speed, nor does a time read after a
     stall (uncertain): counted, never averaged. A late start is a true time: averaged.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from trackside.core.events import RepRecorded, Source
from trackside.core.precision import decimals, shown_s, shown_target_s
from trackside.core.schedule import Step


@dataclass(frozen=True, slots=True)
class Group:
    """Reps that belong together and their figures: seconds as shown, None where meaningless."""

    step: Step | None  # what the reps are (the plan's rep); None: not in the plan's steps
    indexes: tuple[int, ...]  # its reps, 1-based over the plan, in the order they were run
    decimals: int  # the precision of its figures: 2 is 0.01 s
    target_s: float | None  # as shown
    mean_s: float | None
    best_s: float | None
    worst_s: float | None
    spread_s: float | None  # the sample standard deviation; None under two reps
    fade_s: float | None  # last minus first, positive when slowing down; None under two reps
    vs_target_s: float | None  # the average minus the target


@dataclass(frozen=True, slots=True)
class VsTarget:
    """The average difference to target over every rep that had one, as shown."""

    seconds: float
    decimals: int


@dataclass(frozen=True, slots=True)
class Summary:
    reps: int
    vs_target: VsTarget | None  # over the whole session: the headline `history` shows too
    groups: tuple[Group, ...]  # in the order each was first run


def summarise(results: Sequence[RepRecorded], plan_reps: Sequence[Step]) -> Summary:
    """The session's figures; `plan_reps` are the plan's reps, in order (`RepRecorded.index`)."""
    members: dict[Hashable, list[RepRecorded]] = {}
    steps: dict[Hashable, Step | None] = {}
    for rep in results:
        step = plan_reps[rep.index - 1] if 0 < rep.index <= len(plan_reps) else None
        key = _key(step, rep)
        members.setdefault(key, []).append(rep)
        steps.setdefault(key, step)
    groups = tuple(_group(steps[key], reps) for key, reps in members.items())
    return Summary(len(results), vs_target(results), groups)


def shown_time_s(rep: RepRecorded) -> float:
    """The rep's time as every screen and file shows it."""
    return shown_s(rep.duration_s, rep.source)


def shown_delta_s(rep: RepRecorded) -> float | None:
    """The shown time minus the shown target, at the time's precision; None without a target."""
    steps = 10 ** decimals(rep.source)
    return None if rep.target_s is None else _delta_ticks(rep, rep.target_s, steps) / steps


def figure_decimals(results: Sequence[RepRecorded]) -> int:
    """The decimals of figures made of `results` (rule 3): 2 with a beam time, else 1."""
    return max((decimals(rep.source) for rep in results), default=decimals(Source.BEAM))


def vs_target(results: Sequence[RepRecorded]) -> VsTarget | None:
    """The average shown difference to target over the reps that had a target."""
    targeted = [(rep, rep.target_s) for rep in results
                if rep.target_s is not None and measured(rep)]
    if not targeted:
        return None
    places = figure_decimals([rep for rep, _ in targeted])
    steps = 10**places
    deltas = [_delta_ticks(rep, target, steps) for rep, target in targeted]
    return VsTarget(_mean(deltas) / steps, places)


def measured(rep: RepRecorded) -> bool:
    """Whether the rep's time says something of speed (rule 4)."""
    return rep.source is not Source.TIME and not rep.uncertain


def _key(step: Step | None, rep: RepRecorded) -> Hashable:
    """What makes reps comparable (rule 1); a rep the plan does not know goes by its target."""
    if step is None:
        return ("unknown", None if rep.target_s is None else shown_target_s(rep.target_s))
    return tuple(
        (leg.distance_m, leg.duration_s, leg.count, leg.label, leg.max_effort,
         leg.target_range_s, None if leg.target_s is None else shown_target_s(leg.target_s),
         leg.target_text if leg.target_s is None else "")  # a load, '85%', is a target too
        for leg in step.legs
    )


def _group(step: Step | None, reps: list[RepRecorded]) -> Group:
    timed = [rep for rep in reps if measured(rep)]
    places = figure_decimals(timed or reps)
    steps = 10**places
    target = None if reps[0].target_s is None else shown_target_s(reps[0].target_s)
    indexes = tuple(rep.index for rep in reps)
    if not timed:
        return Group(step, indexes, places, target, None, None, None, None, None, None)
    times = [_ticks(shown_time_s(rep), steps) for rep in timed]
    mean = _mean(times)
    several = len(times) > 1
    return Group(
        step=step,
        indexes=indexes,
        decimals=places,
        target_s=target,
        mean_s=mean / steps,
        best_s=min(times) / steps,
        worst_s=max(times) / steps,
        spread_s=_spread(times) / steps if several else None,
        fade_s=(times[-1] - times[0]) / steps if several else None,
        vs_target_s=None if target is None else (mean - _ticks(target, steps)) / steps,
    )


def _delta_ticks(rep: RepRecorded, target_s: float, steps: int) -> int:
    return _ticks(shown_time_s(rep), steps) - _ticks(shown_target_s(target_s), steps)


def _ticks(seconds: float, steps: int) -> int:
    """`seconds`, a multiple of 1/steps up to float noise, in whole steps."""
    return round(seconds * steps)


def _mean(ticks: list[int]) -> int:
    """The average to the nearest step, a half up."""
    return (2 * sum(ticks) + len(ticks)) // (2 * len(ticks))


def _spread(ticks: list[int]) -> int:
    """The sample standard deviation to the nearest step."""
    count = len(ticks)
    variance = (count * sum(t * t for t in ticks) - sum(ticks) ** 2) / (count * (count - 1))
    return math.floor(math.sqrt(variance) + 0.5)
