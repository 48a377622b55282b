"""The main loop and the one place effects are carried out.

Rules:
  1. One thread (this one) touches the engine and the screen. Other threads only put
     stamped inputs in the inbox.
  2. The loop sleeps until the earliest of: the engine's next deadline, the screen's next
     change, the next input. No busy loop, no polling of inputs once per frame.
  3. Inputs are handed to the engine in time order, and the engine is advanced to each
     input's stamp first, so a late wake-up never reorders or shifts anything.
  4. Cues are driven the moment they are due, before anything is drawn.
  5. Subscribers (the phone page) hear of each pass after the screen is drawn: the view
     and that pass's effects. They must not block; one that raises is reported once and
     the timer runs on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from trackside.clock import Clock
from trackside.core.engine import Engine
from trackside.core.events import (
    ButtonReleased,
    Cue,
    CueDue,
    Effect,
    Input,
    Phase,
    PlanRequested,
    QuitRequested,
)
from trackside.core.schedule import Step
from trackside.core.view import View
from trackside.inbox import Inbox

log = logging.getLogger(__name__)

# The longest the loop ever sleeps: keeps the watchdog fed and the idle cost negligible.
MAX_SLEEP_S = 1.0


class Screen(Protocol):
    def show(self, view: View, now: float) -> None: ...
    def next_change(self, view: View, now: float) -> float | None: ...
    def poll(self, now: float) -> list[Input]: ...
    def close(self) -> None: ...


class CuePlayer(Protocol):
    def play(self, cue: Cue, *, count: int | None = None) -> None: ...


class Recorder(Protocol):
    """Something that keeps a record: the event log, the session store."""

    def input(self, item: Input) -> None: ...
    def effect(self, effect: Effect, driven_at: float | None) -> None: ...


class Subscriber(Protocol):
    """Hears of every pass: copies what it needs and returns at once (see rule 5)."""

    def publish(self, view: View, effects: Sequence[Effect]) -> None: ...


Observer = Callable[[Effect, Step | None], None]


@dataclass
class Outputs:
    """Carries out the engine's effects, in order: sound first, then the records."""

    clock: Clock
    players: list[CuePlayer] = field(default_factory=list)
    recorders: list[Recorder] = field(default_factory=list)
    observers: list[Observer] = field(default_factory=list)  # e.g. the simulated athlete

    def apply(self, effects: Iterable[Effect], step: Step | None) -> None:
        effects = list(effects)
        # Every cue of the batch sounds first: a record (a rep committed to disk) may wait.
        driven = {id(e): self._sound(e) for e in effects if isinstance(e, CueDue)}
        for effect in effects:
            driven_at = driven.get(id(effect))
            for recorder in self.recorders:
                recorder.effect(effect, driven_at)
            for observer in self.observers:
                observer(effect, step)

    def record(self, item: Input) -> None:
        for recorder in self.recorders:
            recorder.input(item)

    def _sound(self, cue: CueDue) -> float:
        for player in self.players:  # the buzzer first: it is the precise cue
            try:
                player.play(cue.cue, count=cue.count)
            except Exception:  # a broken output must never stop the timer
                log.exception("cue output %s failed", type(player).__name__)
        return self.clock.now()


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
    engine: Engine
    inbox: Inbox
    clock: Clock
    outputs: Outputs
    screen: Screen = field(default_factory=NullScreen)
    linger: bool = False  # keep the summary up after the session until a press or quit
    heartbeat: Callable[[], None] | None = None  # the systemd watchdog, pinged every pass
    indicators: list[Callable[[View], None]] = field(default_factory=list)  # e.g. the LED
    notices: list[Callable[[], str | None]] = field(default_factory=list)  # e.g. the store's
    subscribers: list[Subscriber] = field(default_factory=list)  # e.g. the phone page
    done: bool = field(default=False, init=False)
    plan_request: PlanRequested | None = field(default=None, init=False)  # run next
    _effects: list[Effect] = field(default_factory=list, init=False)  # of this pass
    _failed: set[int] = field(default_factory=set, init=False)  # subscribers reported

    def run(self) -> None:
        while not self.done:
            self.step()

    def next_session(self, engine: Engine) -> None:
        """Run `engine` next (after a plan request): the devices stay as they are."""
        self.engine, self.done, self.plan_request = engine, False, None

    def step(self, until: float | None = None) -> None:
        """One pass: inputs, deadlines, the screen, then sleep (never past `until`)."""
        self._effects = []
        for item in self.inbox.take_due(self.clock.now()):
            self._take(item)
        if self.plan_request is not None:
            return  # the app runs the next plan at once: nothing more to show of this one
        now = self.clock.now()
        self._apply(self.engine.advance(now))
        for item in self.screen.poll(now):
            self.inbox.put(item)
        view = self.engine.view(now)
        if notices := [text for notice in self.notices if (text := notice())]:
            view = replace(view, notice=" | ".join(notices))
        self.screen.show(view, now)
        for indicator in self.indicators:
            indicator(view)
        if self.heartbeat is not None:
            self.heartbeat()
        self._publish(view)
        if self.engine.phase is Phase.FINISHED and not self.linger:
            self.done = True
            return
        wakes = [self.engine.deadline(), self.screen.next_change(view, now), until]
        self.inbox.wait_until(min([t for t in wakes if t is not None] + [now + MAX_SLEEP_S]),
                              self.clock)

    def _take(self, item: Input) -> None:
        if isinstance(item, PlanRequested):
            self._plan_requested(item)
            return
        if self.engine.phase is Phase.FINISHED:
            # Only the summary is up: a press (or quit) closes it.
            self.done = self.done or isinstance(item, ButtonReleased | QuitRequested)
            return
        self._apply(self.engine.advance(item.at))
        self.outputs.record(item)
        self._apply(self.engine.handle(item))
        if isinstance(item, QuitRequested):
            self.done = True

    def _plan_requested(self, item: PlanRequested) -> None:
        """Another plan, only while nothing runs; a session not yet started is stopped
        (kept, as a quit keeps it) so the new plan takes its place."""
        if not self.engine.idle:
            log.warning("plan %r not started: a session is running", item.spec)
            return
        if self.engine.phase is not Phase.FINISHED:
            self._apply(self.engine.handle(QuitRequested(item.at)))
        self.plan_request, self.done = item, True

    def _apply(self, effects: list[Effect]) -> None:
        if effects:
            self.outputs.apply(effects, self.engine.current_step)
            self._effects += effects

    def _publish(self, view: View) -> None:
        effects = tuple(self._effects)
        for subscriber in self.subscribers:
            try:
                subscriber.publish(view, effects)
            except Exception:  # a broken subscriber must never stop the timer
                if id(subscriber) not in self._failed:
                    self._failed.add(id(subscriber))
                    log.exception("subscriber %s failed", type(subscriber).__name__)
