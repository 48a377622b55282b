"""The main loop: inputs to the engine in time order, its effects to the sinks, then sleep.

Rules:
  1. One thread (this one) touches the engine and the screen. Other threads only put
     stamped inputs in the inbox.
  2. The loop sleeps until the earliest of: the engine's next deadline, the screen's next
     change, the next input. No busy loop, no polling of inputs once per frame.
  3. Inputs are handed to the engine in time order; the engine advances to each input's
     stamp first, so a late wake-up never reorders or shifts anything. The engine is told
     when the pass woke: one more than a moment late is a stall (engine rule 7).
  4. Each pass hands what happened in it, in order, to the sinks (`runtime.sinks`: cues
     first, then the durable record, settled, then the logs), and only then draws the
     view and publishes it.
  5. One engine is one session. A phone's plan (`PlanRequested`) is taken only while
     nothing runs (`Engine.idle`): the loop then ends, and the app gives it the next
     session's engine (`next_session`) on the same devices. The request never reaches the
     engine or the record: the session it replaces was never started, or has ended.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from trackside.core.engine import Engine
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Command,
    Commanded,
    Effect,
    Inbound,
    Input,
    Phase,
    PlanRequested,
    QuitRequested,
)
from trackside.core.view import PhoneCard, View, view_of
from trackside.runtime.clock import Clock
from trackside.runtime.inbox import Inbox
from trackside.runtime.sinks import Sinks

log = logging.getLogger(__name__)

# The longest the loop ever sleeps: keeps the watchdog fed and the idle cost negligible.
MAX_SLEEP_S = 1.0


class Screen(Protocol):
    def show(self, view: View, now: float) -> None: ...
    def next_change(self, view: View, now: float) -> float | None: ...
    def poll(self, now: float) -> list[Input]: ...
    def close(self) -> None: ...


class NullScreen:
    """No display at all (tests, `view_at`)."""

    def show(self, view: View, now: float) -> None:
        pass

    def next_change(self, view: View, now: float) -> float | None:
        return None

    def poll(self, now: float) -> list[Input]:
        return []

    def close(self) -> None:
        pass


@dataclass
class Loop:
    """The one loop. Its `screen` is also its first display: the sinks guard its drawing."""

    engine: Engine
    inbox: Inbox
    clock: Clock
    sinks: Sinks
    screen: Screen = field(default_factory=NullScreen)
    # How long the summary stays up after the session (clock seconds) unless a new press
    # or a quit closes it: 0 not at all, math.inf until then.
    linger: float = 0.0
    heartbeat: Callable[[], None] | None = None  # the systemd watchdog, pinged every pass
    pairing: Callable[[], PhoneCard | None] = lambda: None  # the phone page's card, at READY
    done: bool = field(default=False, init=False)
    quitting: bool = field(default=False, init=False)  # a quit ended it: no session follows
    plan_request: PlanRequested | None = field(default=None, init=False)  # the next session's
    _finished_at: float | None = field(default=None, init=False)  # when the summary went up
    _pressed_after: bool = field(default=False, init=False)  # a press began over the summary

    def __post_init__(self) -> None:
        self.sinks.add_display(self.screen, "SCREEN OFF")

    def run(self) -> None:
        while not self.done:
            self.run_once()

    def next_session(self, engine: Engine) -> None:
        """Run `engine` next (after a plan request, or another round): the devices, the
        screen and the sinks stay as they are."""
        self.engine, self.done, self.plan_request = engine, False, None
        self._finished_at, self._pressed_after = None, False

    def run_once(self, until: float | None = None) -> None:
        """One pass: inputs and deadlines, their effects carried out, the screen, then sleep
        (never past `until`)."""
        now = self.clock.now()
        self.engine.woke(now)  # after a stall, what the inputs cause is late too
        happened: list[Input | Effect] = []
        for item in self.inbox.take_due(now):
            if self.plan_request is not None:  # the rest is for the next session's engine
                self.inbox.put(item)
                continue
            happened += self._take(item)
        happened += self.engine.advance(now)
        self.sinks.carry(happened)
        for item in self.screen.poll(now):
            self.inbox.put(item)
        view = view_of(self.engine, now, self.sinks.notice, self.pairing())
        effects = [item for item in happened if not isinstance(item, Input)]
        self.sinks.show(view, now, effects)
        if self.heartbeat is not None:
            self.heartbeat()
        closes = None
        if self.engine.phase is Phase.FINISHED:
            self._finished_at = now if self._finished_at is None else self._finished_at
            closes = self._finished_at + self.linger
            self.done = self.done or now >= closes
        if self.done:
            return
        wakes = [self.engine.deadline(), self.screen.next_change(view, now), until, closes]
        self.inbox.wait_until(min([t for t in wakes if t is not None] + [now + MAX_SLEEP_S]),
                              self.clock)

    def _take(self, item: Inbound) -> list[Input | Effect]:
        """The input and what it caused, in order, for the sinks."""
        if isinstance(item, PlanRequested):
            self._plan_requested(item)
            return []
        self.quitting = self.quitting or isinstance(item, QuitRequested)
        if self.engine.phase is Phase.FINISHED:
            # Only the summary is up: a new press (or quit) closes it, not the end of the
            # hold that ended the session.
            self._pressed_after = self._pressed_after or isinstance(item, ButtonPressed)
            self.done = self.done or isinstance(item, QuitRequested) or (
                isinstance(item, ButtonReleased) and self._pressed_after) or (
                isinstance(item, Commanded) and item.command is Command.PRESS)
            return []
        if isinstance(item, QuitRequested):
            self.done = True
        # `handle` advances by itself; advancing first puts what came due before the
        # input ahead of it in the record.
        return [*self.engine.advance(item.at), item, *self.engine.handle(item)]

    def _plan_requested(self, item: PlanRequested) -> None:
        """Another plan, only while nothing runs (rule 5)."""
        if not self.engine.idle:
            log.warning("plan %r not started: a session is running", item.spec)
            return
        self.plan_request, self.done = item, True
