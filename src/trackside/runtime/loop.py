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
"""

from __future__ import annotations

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
    Input,
    Phase,
    QuitRequested,
)
from trackside.core.view import View, view_of
from trackside.runtime.clock import Clock
from trackside.runtime.inbox import Inbox
from trackside.runtime.sinks import Sinks

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
    done: bool = field(default=False, init=False)
    _finished_at: float | None = field(default=None, init=False)  # when the summary went up
    _pressed_after: bool = field(default=False, init=False)  # a press began over the summary

    def __post_init__(self) -> None:
        self.sinks.add_display(self.screen, "SCREEN OFF")

    def run(self) -> None:
        while not self.done:
            self.run_once()

    def run_once(self, until: float | None = None) -> None:
        """One pass: inputs and deadlines, their effects carried out, the screen, then sleep
        (never past `until`)."""
        now = self.clock.now()
        self.engine.woke(now)  # after a stall, what the inputs cause is late too
        happened: list[Input | Effect] = []
        for item in self.inbox.take_due(now):
            happened += self._take(item)
        happened += self.engine.advance(now)
        self.sinks.carry(happened)
        for item in self.screen.poll(now):
            self.inbox.put(item)
        view = view_of(self.engine, now, self.sinks.notice)
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

    def _take(self, item: Input) -> list[Input | Effect]:
        """The input and what it caused, in order, for the sinks."""
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
