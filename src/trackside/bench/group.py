"""A group of 12 on one beam: the work a crossing costs, and the crossing stamps while it runs.

  - assignment: the engine's `handle` of each crossing of a 12-athlete group running
    40 x 800 m (two crossings each a rep: 960 crossings, a double break after one in four,
    now and then a runner leaving the line after a GO), on the fake clock, timed as the
    CPU time of this thread (a busy machine's other processes are not in it);
    and the whole of what the loop does for it: the engine, then `view_of` and the words
    the screen draws (`content`). Beside it, the same engine's `handle` for one athlete
    running the same plan: what a crossing cost before groups. The goals: far below a
    frame (33 ms at 30 fps): the engine's p99 at most 1 ms, the whole pass's a tenth of a
    frame.
  - stamps: the crossing benchmark (bench/crossing) run twice in a row, a session of one
    counting down, then the 12 on the 400 m reps of a group, every crossing judged by the
    group; the group's p99 beside the single one's.
"""

from __future__ import annotations

import heapq
import random
import time

from trackside.bench.crossing import stamp_errors
from trackside.bench.result import Figure, Result, Spread
from trackside.bench.rig import open_window, session
from trackside.bench.suite import Options
from trackside.core.events import (
    AthleteStarted,
    ButtonPressed,
    ButtonReleased,
    Crossing,
    Effect,
    Phase,
    PhaseStarted,
)
from trackside.core.readout import content
from trackside.core.settings import EngineSettings
from trackside.core.view import view_of
from trackside.runtime.clock import FakeClock, MonotonicClock

ATHLETES = 12
_PLAN = "40x800m @pace r60"
_STAMP_PLAN = "100x400m @pace r30"
_US = 1e6
_MS = 1000.0


def run(options: Options) -> Result:
    reps = 8 if options.quick else 40
    plan = _PLAN.replace("40x", f"{reps}x")
    engine_only, whole = _assignment(plan, ATHLETES)
    single, _ = _assignment(plan.replace("@pace", "@4:00/km"), 1)
    lines = 60 if options.quick else 1000
    clock = MonotonicClock()
    alone, lost, bare, _ = stamp_errors(session("100x5s r5", clock, screen=open_window(clock),
                                                settings=EngineSettings(lead_in_s=1.0)), lines)
    grouped, group_lost, _, _ = stamp_errors(
        session(_STAMP_PLAN, clock, screen=open_window(clock),
                settings=EngineSettings(lead_in_s=1.0), athletes=ATHLETES), lines)
    frame_us = _MS / 30 * 1000
    return Result("group", f"A group of {ATHLETES} on one beam", (
        Figure(f"assignment: engine.handle, a crossing of {ATHLETES} ({engine_only.count})",
               "us", engine_only, reference=frame_us, reference_name="a 30 fps frame",
               goal="p99 <= 1 ms", passed=engine_only.p99 <= 1000),
        Figure(f"a crossing of {ATHLETES}: engine, view and words ({whole.count})", "us",
               whole, reference=frame_us, reference_name="a 30 fps frame",
               goal="p99 <= a tenth of a frame", passed=whole.p99 <= frame_us / 10),
        Figure("one athlete: engine.handle, a crossing", "us", single),
        Figure(f"crossing stamp, a group of {ATHLETES} running ({grouped.count} lines)", "ms",
               grouped, reference=alone.p99, reference_name="one athlete, same run, p99",
               goal="p99 <= 2 ms and <= 5x floor",
               passed=grouped.p99 <= min(2.0, 5 * bare.p99) and not group_lost),
        Figure("crossing stamp, one athlete", "ms", alone),
        Figure("floor: bare blocking read", "ms", bare),
    ), notes=(f"assignment: '{plan}' on the fake clock; stamps: {lines} lines a run, "
              f"'{_STAMP_PLAN}' for the group" + (
                  f"; {lost + group_lost} lines never reached the loop"
                  if lost + group_lost else ""),))


def _assignment(plan: str, athletes: int) -> tuple[Spread, Spread]:
    """The engine's handle of each crossing, and the engine's with the view and the words
    after it (us), `athletes` running `plan` on the fake clock, each near their target."""
    engine, chance = session(plan, FakeClock(), athletes=athletes).engine, random.Random(1)
    pending: list[float] = []
    _run_to(pending, chance, [*engine.handle(ButtonPressed(0.0)),
                              *engine.handle(ButtonReleased(0.1))])
    handled: list[float] = []
    whole: list[float] = []
    while engine.phase is not Phase.FINISHED:
        deadline = engine.deadline()
        if pending and (deadline is None or pending[0] <= deadline):
            at = heapq.heappop(pending)
            began = time.thread_time()  # this thread's CPU: what the work costs, not the
            effects = engine.handle(Crossing(at))  # time other processes took the core
            middle = time.thread_time()
            content(view_of(engine, at))
            handled.append((middle - began) * _US)
            whole.append((time.thread_time() - began) * _US)
        elif deadline is not None:
            effects = engine.advance(deadline)
        else:
            break
        _run_to(pending, chance, effects)
    return Spread.of(handled), Spread.of(whole)


def _run_to(pending: list[float], chance: random.Random, effects: list[Effect]) -> None:
    """Each rep that starts: its crossings near the athlete's target, a double break after
    one in four, now and then a runner leaving the line just after the GO."""
    for effect in effects:
        if isinstance(effect, AthleteStarted):
            go, step = effect.at, effect.step
        elif isinstance(effect, PhaseStarted) and effect.phase is Phase.REP and effect.step:
            go, step = effect.at, effect.step  # one athlete: the rep starts with the phase
        else:
            continue
        for metres in step.crossing_m:
            at = go + (step.time_at(metres) or 0.0) * chance.uniform(0.98, 1.02)
            heapq.heappush(pending, at)
            if chance.random() < 0.25:
                heapq.heappush(pending, at + chance.uniform(0.05, 0.2))
        if chance.random() < 0.1:
            heapq.heappush(pending, go + chance.uniform(0.2, 1.0))
