"""One process's run of a recorded session, as the app runs it: the real loop on a fake
clock, a simulated athlete, the session's recorder as the durable record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from trackside.adapters.store import NewSession, SessionStore
from trackside.adapters.store_recorder import SessionRecorder
from trackside.adapters.store_writes import SessionHandle
from trackside.commands.simulate import SimulatedAthlete
from trackside.core.engine import Engine
from trackside.core.events import Effect, QuitRequested, RepRecorded
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.core.view import View
from trackside.runtime.clock import FakeClock
from trackside.runtime.inbox import Inbox
from trackside.runtime.loop import Loop, NullScreen, Screen
from trackside.runtime.sinks import Sinks


@dataclass
class AfterRep:
    """A subscriber that does `then` once rep `index` is recorded."""

    index: int | None
    then: Callable[[], object]

    def publish(self, view: View, effects: Sequence[Effect]) -> None:
        if any(isinstance(e, RepRecorded) and e.index == self.index for e in effects):
            self.then()


def run_recorded(store: SessionStore, session: SessionHandle | NewSession, the_plan: Plan,
                 clock: FakeClock, *, done: tuple[RepRecorded, ...] = (),
                 quit_after: int | None = None, seed: int = 7, screen: Screen | None = None,
                 watcher: AfterRep | None = None) -> tuple[Engine, SessionRecorder]:
    """Run `session` to its end, or quit once rep `quit_after` is recorded."""
    inbox, engine, sinks = Inbox(), Engine(expand(the_plan), done=done), Sinks(clock)
    recorder = SessionRecorder(store, session, mono_ns=lambda: int(clock.now() * 1e9))
    sinks.keep_durably(recorder)  # its problem is on screen, as the app shows it
    sinks.add_subscriber(SimulatedAthlete(inbox.put, clock, seed=seed), "ATHLETE GONE")
    sinks.add_subscriber(AfterRep(quit_after, lambda: inbox.put(QuitRequested(clock.now()))),
                         "NOT QUITTING")
    if watcher is not None:
        sinks.add_subscriber(watcher, "NOT WATCHING")
    Loop(engine, inbox, clock, sinks, screen or NullScreen()).run()
    return engine, recorder
