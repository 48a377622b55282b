"""What a screen shows of a group, as a value: `group_view_of` (a GroupRun at a moment -> a
GroupView), which core.view puts in the View.

Rules for this module:
  1. Pure: it reads the group and the moment, changes nothing; no words (core.group_readout
     says them).
  2. Plain data that compares by value, with times relative to the moment, so a display
     can compare successive views and redraw only what changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from trackside.core.events import MarkRole, RepMissed, RepRecorded
from trackside.core.group_run import FINISHERS_SHOWN, GroupRun, Lane, LaneState
from trackside.core.schedule import Step

GONE_SHOWN_S = 2.0  # 'BEN GO' stays up this long after Ben's GO


@dataclass(frozen=True, slots=True)
class Finisher:
    """An athlete's rep as it ended: `rep` None when their finish was not seen."""

    name: str
    index: int  # the rep, 1-based over the plan
    rep: RepRecorded | None
    target_s: float | None


@dataclass(frozen=True, slots=True)
class Call:
    """An athlete whose GO is coming: `in_s` seconds from the moment (negative: just gone)."""

    name: str
    in_s: float


@dataclass(frozen=True, slots=True)
class GroupView:
    names: tuple[str, ...]  # in start order
    together: bool  # one GO for everyone, so no name is called
    clock_name: str  # whose time the running clock is, when athletes go at their own times
    finishers: tuple[Finisher, ...]  # newest first, at most FINISHERS_SHOWN; together: one rep's
    calls: tuple[Call, ...]  # soonest first: who goes next and when, and who just went
    unexpected: int  # marks that fit nobody since the GO of the first rep shown (CHECK ORDER)
    missed: tuple[RepMissed, ...]  # every rep whose finish was not seen
    plan_reps: tuple[tuple[Step, ...], ...]  # each athlete's reps: their summary groups by them


def group_view_of(group: GroupRun, moment: float, missed: tuple[RepMissed, ...]) -> GroupView:
    """The group at `moment` (a paused run: the moment it paused)."""
    names = group.roster.names
    together = not group.roster.settings.calls_names
    finishes = group.finishes[-FINISHERS_SHOWN:]
    if together and finishes:  # one rep at a time: its finishers, until the next rep's first
        finishes = [finish for finish in finishes if finish.index == finishes[-1].index]
    running = [lane for lane in group.lanes if lane.state is LaneState.RUNNING]
    shown = [finish.started_at for finish in finishes] + [lane.started_at for lane in running]
    since = min(shown, default=moment)  # the GO of the first rep on the screen
    first = _longest_running(group)
    calls = [Call(names[lane.athlete], lane.go_at - moment) for lane in group.lanes
             if lane.state is LaneState.WAITING and lane.go_at is not None]
    calls += [Call(names[lane.athlete], lane.started_at - moment) for lane in running
              if not together and moment - lane.started_at < GONE_SHOWN_S]
    return GroupView(
        names=names,
        together=together,
        clock_name="" if together or first is None else names[first.athlete],
        finishers=tuple(
            Finisher(names[finish.athlete], finish.index, finish.rep,
                     finish.missed.target_s if finish.missed else None)
            for finish in reversed(finishes)),
        calls=tuple(sorted(calls, key=lambda call: (call.in_s, call.name))),
        unexpected=sum(1 for mark in group.marks
                       if mark.role is MarkRole.UNEXPECTED and mark.at >= since),
        missed=missed,
        plan_reps=tuple(schedule.reps for schedule in group.roster.schedules),
    )


def clock_start(group: GroupRun) -> float | None:
    """When the running clock started: the GO of the athlete who has run longest."""
    lane = _longest_running(group)
    return None if lane is None else lane.started_at


def _longest_running(group: GroupRun) -> Lane | None:
    running = [lane for lane in group.lanes if lane.state is LaneState.RUNNING]
    return min(running, key=lambda lane: (lane.started_at, lane.athlete), default=None)


def next_go(group: GroupRun) -> float | None:
    """The next GO of anyone waiting for theirs."""
    return min((lane.go_at for lane in group.lanes
                if lane.state is LaneState.WAITING and lane.go_at is not None), default=None)
