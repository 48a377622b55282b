"""The real pieces a benchmark runs: the main loop, the engine and the window, on the real clock.

Rules for this module:
  1. Nothing here is a stand-in: `session` builds the same Engine, Loop, Sinks and
     PygameScreen the app builds, so a figure is the product's figure.
  2. The window is 1920x1080 on SDL's dummy video driver unless SDL_VIDEODRIVER says
     otherwise (on a Pi: SDL_VIDEODRIVER=kmsdrm measures the real flips).
  3. pygame is imported only when a window is opened, so `trackside bench --only drift`
     and the smoke test stay quick.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from trackside.core.engine import Engine
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Cue,
    Effect,
    Input,
    Phase,
)
from trackside.core.group import Roster
from trackside.core.group_run import GroupRun
from trackside.core.schedule import expand
from trackside.core.settings import EngineSettings
from trackside.plan_source import load_plan
from trackside.runtime.clock import Clock, MonotonicClock
from trackside.runtime.inbox import Inbox
from trackside.runtime.loop import Loop, NullScreen, Screen
from trackside.runtime.sinks import CuePlayer, Sinks

SIZE = (1920, 1080)


def open_window(clock: Clock, size: tuple[int, int] = SIZE) -> Screen:
    """The product's window at `size`, on the dummy video driver unless told otherwise."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    from trackside.adapters.display import PygameScreen

    return PygameScreen(clock, size=size)


def session(plan: str, clock: Clock | None = None, *, screen: Screen | None = None,
            settings: EngineSettings = EngineSettings(),
            players: list[CuePlayer] | None = None, athletes: int = 1) -> Loop:
    """A Loop running `plan` (any PLAN argument) on `clock`, at READY; with `athletes`
    over one, a group of them started together, their paces 2 % apart around the plan's
    (`plan` then needs a `pace` target)."""
    clock = clock or MonotonicClock()
    if athletes > 1:
        schedules = tuple(expand(load_plan(plan, pace=f"{240 * (1 + 0.02 * n):.0f}s/km"))
                          for n in range(athletes))
        roster = Roster(tuple(f"A{n + 1}" for n in range(athletes)), schedules)
        engine = Engine(roster.schedule, settings, group=GroupRun(roster, settings))
    else:
        engine = Engine(expand(load_plan(plan)), settings)
    sinks = Sinks(clock)
    for player in players or []:
        sinks.add_player(player, "BENCH")
    return Loop(engine, Inbox(), clock, sinks, screen or NullScreen())


def press(loop: Loop) -> None:
    """A quick press of the button, now."""
    now = loop.clock.now()
    loop.inbox.put(ButtonPressed(at=now))
    loop.inbox.put(ButtonReleased(at=now + 0.1))


def run_until(loop: Loop, done: Callable[[], bool], timeout_s: float) -> None:
    """Step the loop until `done()`; AssertionError after `timeout_s` on the loop's clock."""
    end = loop.clock.now() + timeout_s
    while not done():
        if loop.done or loop.clock.now() >= end:
            raise AssertionError(f"gave up after {timeout_s:g} s at {loop.engine.phase}")
        loop.run_once(until=end)


def start(loop: Loop, phase: Phase, timeout_s: float = 15.0) -> None:
    """Press the button and run the loop until `phase` begins."""
    press(loop)
    run_until(loop, lambda: loop.engine.phase is phase, timeout_s)


def run_for(loop: Loop, seconds: float) -> None:
    """Run the loop for `seconds` on its clock (or until the session ends)."""
    end = loop.clock.now() + seconds
    while not loop.done and loop.clock.now() < end:
        loop.run_once(until=end)


def cpu_share(work: Callable[[], None]) -> float:
    """CPU seconds per wall second this process spent doing `work` (all its threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return (time.process_time() - cpu) / (time.perf_counter() - wall)


@dataclass
class CueTimes:
    """A CuePlayer that notes when it was asked to play (monotonic), beside each cue."""

    played: list[tuple[Cue, float]] = field(default_factory=list)

    def play(self, cue: Cue, *, count: int | None = None, name: str = "") -> None:
        self.played.append((cue, time.monotonic()))


@dataclass
class Seen:
    """A Recorder that keeps every input and effect the loop carried out, in order."""

    inputs: list[Input] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    problem: str | None = None  # it never fails to keep one

    def input(self, item: Input) -> None:
        self.inputs.append(item)

    def effect(self, effect: Effect, driven_at: float | None) -> None:
        self.effects.append(effect)
