"""Where the engine's effects are carried out: every sink, in one stated order, each guarded.

A loop pass carries out what happened in it (its inputs and effects, in order) like this:
  1. Cues: every cue is played the moment it is carried out, on every player (the buzzer
     first: it is the precise cue), before anything below can make the pass wait. A cue a
     stall made late never comes here to be played: the engine hands it out as missed
     (`CueMissed`, more than `core.settings.LATE_S` late), for the logs only.
  2. The durable record (the session store) gets every input and effect, then `settle`:
     a rep is committed before anything shows it. The wait is bounded (`SETTLE_S`): a dying
     SD card delays the screen by its commit time, never a cue.
  3. The event logs, and what each keeps waiting is tried again (`retry`): every pass,
     so at least once a second (`loop.MAX_SLEEP_S`) with nothing new to write.
  4. The screens draw the view.
  5. The subscribers get `publish(view, effects)`: once a pass, after all of the above,
     with the pass's effects (possibly none). A subscriber must never block.
Every sink is guarded the same way, every touch of it (a method looked up, a `problem`
read) inside the guard: its first exception is logged once (its traceback at
debug level), the sink is left out for the rest of the run, and every screen says so from
then on ('SPEAKER OFF: ...'), as does any other part the timer runs without (`add_notice`:
'PHONE PAGE OFF: port 8080 is in use'). The timer runs on. A record that keeps what it
cannot write and tries again by itself (the store, the event log) raises nothing for that:
its own `problem` is on every screen while it lasts ('NOT SAVING: disk full, 3 reps waiting').
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from trackside.core.events import Cue, CueDue, Effect, Input
from trackside.core.view import View
from trackside.runtime.clock import Clock

log = logging.getLogger(__name__)
T = TypeVar("T")

SETTLE_S = 0.25  # the most a pass waits for the durable record before showing anything
_REASON_CHARS = 60  # a notice shares a status line with the sensor and the plan


class CuePlayer(Protocol):
    """`name`: the athlete a group's staggered start calls, given only when there is one."""

    def play(self, cue: Cue, *, count: int | None = None, name: str = "") -> None: ...


class Recorder(Protocol):
    """Something that keeps a record: the event log, a benchmark's tally."""

    def input(self, item: Input) -> None: ...
    def effect(self, effect: Effect, driven_at: float | None) -> None: ...

    @property
    def problem(self) -> str | None:
        """Its own notice while it cannot write and keeps trying ('NOT LOGGING: disk full,
        12 lines waiting'), else None."""
        ...


class DurableRecord(Recorder, Protocol):
    """The session's record on disk, saved off the loop's thread."""

    def settle(self, timeout_s: float) -> None:
        """Wait, at most `timeout_s`, until the reps it was given are on disk."""
        ...


class Display(Protocol):
    def show(self, view: View, now: float) -> None: ...


class Subscriber(Protocol):
    def publish(self, view: View, effects: Sequence[Effect]) -> None: ...


@dataclass(eq=False)
class _Guard:
    """One sink's fault: the first exception is told once, then the sink is left out."""

    label: str  # what the screen says when the sink fails: 'NOT LOGGING'
    fault: str | None = None  # 'NOT LOGGING: disk full'

    def run(self, action: Callable[[], T]) -> T | None:
        """`action()`'s value; None once the sink has failed. `action` is a lambda, so that
        looking up the sink's method is guarded too."""
        if self.fault is not None:
            return None
        try:
            return action()
        except Exception as exc:  # noqa: BLE001 - a broken output must never stop the timer
            self.fault = f"{self.label}: {_reason(exc)}"
            log.error("%s; the timer runs on without it", self.fault)
            log.debug("what failed", exc_info=True)
            return None


@dataclass
class Sinks:
    """Every place an effect goes. Add the sinks, then the loop calls `carry` and `show`."""

    clock: Clock  # to stamp when each cue was driven
    _players: list[tuple[CuePlayer, _Guard]] = field(default_factory=list, init=False)
    _durable: tuple[DurableRecord, _Guard] | None = field(default=None, init=False)
    _recorders: list[tuple[Recorder, _Guard]] = field(default_factory=list, init=False)
    _retries: list[tuple[Callable[[], object], _Guard]] = field(default_factory=list,
                                                                 init=False)
    _displays: list[tuple[Display, _Guard]] = field(default_factory=list, init=False)
    _subscribers: list[tuple[Subscriber, _Guard]] = field(default_factory=list, init=False)
    _notices: list[tuple[Callable[[], str | None], _Guard]] = field(default_factory=list,
                                                                     init=False)

    def add_player(self, player: CuePlayer, label: str) -> None:
        """A cue output; players sound in the order they were added."""
        self._players.append((player, _Guard(label)))

    def keep_durably(self, record: DurableRecord) -> None:
        """The session's record; a later session's replaces it."""
        self._durable = (record, _Guard("NOT SAVING"))

    def add_recorder(self, recorder: Recorder, label: str = "NOT LOGGING",
                     first: Callable[[], object] | None = None,
                     retry: Callable[[], object] | None = None) -> None:
        """`first`: what it writes before anything else (the event log's `run_started`), now,
        guarded like the rest. `retry`: how it tries again what waits (step 3)."""
        guard = _Guard(label)
        if first is not None:
            guard.run(first)
        self._recorders.append((recorder, guard))
        if retry is not None:
            self._retries.append((retry, guard))

    def add_display(self, display: Display, label: str) -> None:
        self._displays.append((display, _Guard(label)))

    def add_subscriber(self, subscriber: Subscriber, label: str) -> None:
        self._subscribers.append((subscriber, _Guard(label)))

    def add_notice(self, problem: Callable[[], str | None], label: str) -> None:
        """A part the timer runs on without when it fails, saying so by itself (the phone
        page: 'PHONE PAGE OFF: port 8080 is in use'); None while all is well. `problem` is
        guarded as a sink is: one that raises is `label: reason` from then on."""
        self._notices.append((problem, _Guard(label)))

    @property
    def notice(self) -> str:
        """Every fault the timer works around, for the screens: '' while all is well."""
        faults: list[str | None] = []
        if self._durable is not None:
            durable, guard = self._durable
            faults += [guard.run(lambda: durable.problem), guard.fault]
        for recorder, guard in self._recorders:
            faults.append(guard.run(lambda: recorder.problem))
        faults += [guard.fault for _, guard in self._guarded()]
        for problem, guard in self._notices:
            faults += [guard.run(problem), guard.fault]
        return " | ".join(dict.fromkeys(fault for fault in faults if fault))  # each once

    def carry(self, happened: Sequence[Input | Effect]) -> None:
        """Steps 1-3 of a pass: the cues, the durable record and its settling, the logs."""
        record = [(item, self._sound(item) if isinstance(item, CueDue) else None)
                  for item in happened]
        if self._durable is not None:
            durable, guard = self._durable
            guard.run(lambda: _write(durable, record))
            guard.run(lambda: durable.settle(SETTLE_S))
        for recorder, guard in self._recorders:
            guard.run(lambda: _write(recorder, record))
        for retry, guard in self._retries:
            guard.run(retry)

    def show(self, view: View, now: float, effects: Sequence[Effect]) -> None:
        """Steps 4-5 of a pass: the displays, then the subscribers."""
        for display, guard in self._displays:
            guard.run(lambda: display.show(view, now))
        for subscriber, guard in self._subscribers:
            guard.run(lambda: subscriber.publish(view, effects))

    def _sound(self, cue: CueDue) -> float:
        """Play `cue` on every player now; when it was driven."""
        named = {"name": cue.name} if cue.name else {}
        for player, guard in self._players:
            guard.run(lambda: player.play(cue.cue, count=cue.count, **named))
        return self.clock.now()

    def _guarded(self) -> list[tuple[object, _Guard]]:
        return [*self._players, *self._recorders, *self._displays, *self._subscribers]


def _write(recorder: Recorder, record: Sequence[tuple[Input | Effect, float | None]]) -> None:
    for item, driven_at in record:
        if isinstance(item, Input):
            recorder.input(item)
        else:
            recorder.effect(item, driven_at)


def _reason(exc: BaseException) -> str:
    """What went wrong, in the few words a status line has room for."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "disk full"  # as the store says it
    text = exc.strerror.lower() if isinstance(exc, OSError) and exc.strerror else str(exc)
    text = text or type(exc).__name__
    return text if len(text) <= _REASON_CHARS else text[:_REASON_CHARS - 1] + "…"
