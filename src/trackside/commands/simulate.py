"""A simulated athlete (or group) for the demo, the screenshots and end-to-end tests.

It subscribes to the loop and answers the way a runner would: it presses the button to
start, crosses the beam near each target (with a little noise), presses at set breaks
once the minimum is over, and does its count reps in a plausible time. A simulated group
runs each athlete from their own GO, each near their own target, one of them now and then
having a bad rep (so they pass each other). Inputs are stamped in the future and wait in
the inbox until their moment.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from trackside.core.engine import Engine
from trackside.core.events import (
    AthleteStarted,
    ButtonPressed,
    ButtonReleased,
    Crossing,
    Effect,
    Input,
    Phase,
    PhaseStarted,
    SensorState,
)
from trackside.core.group import Roster
from trackside.core.group_run import GroupRun
from trackside.core.schedule import Schedule, Step, StepKind
from trackside.core.settings import EngineSettings
from trackside.core.view import View, view_of
from trackside.runtime.clock import Clock, FakeClock
from trackside.runtime.inbox import Inbox
from trackside.runtime.loop import Loop
from trackside.runtime.sinks import Sinks

_PRESS_S = 0.15  # how long a quick press holds the button down
_FIRST_PRESS_S = 2.0  # how long it looks at a waiting timer before pressing
_UNTARGETED_MPS = 7.0  # an all-out rep with no target: a decent sprinter's speed
_COUNT_REP_S = 2.5  # seconds per repetition of a count rep (a squat, a bound)


@dataclass
class SimulatedAthlete:
    """A subscriber that puts the runner's presses and crossings."""

    put: Callable[[Input], None]
    clock: Clock
    noise: float = 0.02  # each rep lands within about +-2 % of target
    seed: int = 1
    set_break_extra_s: float = 3.0  # how long after the minimum it presses
    warmup_s: float | None = None  # cut the warmup and cooldown short (the demo), or run them
    runs: bool = True  # False: it only presses; a SimulatedGroup runs the reps
    _random: random.Random = field(init=False)
    _arrived: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def publish(self, view: View, effects: Sequence[Effect]) -> None:
        """Start a waiting timer, then answer the start of each phase."""
        if not self._arrived:
            self._arrived = True
            if view.phase is Phase.READY:
                self._press(self.clock.now() + _FIRST_PRESS_S)
        for effect in effects:
            if isinstance(effect, PhaseStarted) and effect.step is not None:
                self._answer(effect.phase, effect.step, effect.at)

    def _answer(self, phase: Phase, step: Step, at: float) -> None:
        match phase:
            case Phase.REP if self.runs:
                self._run(step, at)
            case Phase.SET_BREAK:
                self._press(at + (step.duration_s or 0.0) + self.set_break_extra_s)
            case Phase.READY:
                self._press(at + _FIRST_PRESS_S)
            case Phase.REST if step.kind is StepKind.REST and step.duration_s is None:
                # a jog: back in about its usual time (a group's rest has no step of its own)
                self._press(at + (step.target_s or 0.0))
            case Phase.WARMUP | Phase.COOLDOWN if self.warmup_s is not None:
                self._press(at + min(self.warmup_s, step.duration_s or 0.0))

    def _run(self, rep: Step, go: float) -> None:
        if rep.duration_s is not None:
            return  # a timed rep ends on its clock
        pace = 1.0 + self._random.uniform(-self.noise, self.noise)
        if rep.count is not None:
            self._press(go + rep.count * _COUNT_REP_S * pace)
            return
        for metres in rep.crossing_m:
            seconds = rep.time_at(metres, untargeted_mps=_UNTARGETED_MPS)
            assert seconds is not None  # every crossing is within the rep
            self.put(Crossing(at=go + seconds * pace, raw="simulated"))

    def _press(self, at: float) -> None:
        self.put(ButtonPressed(at=at))
        self.put(ButtonReleased(at=at + _PRESS_S))


@dataclass
class SimulatedGroup:
    """A group's runners: each crosses the beam from their own GO near their own target
    (AthleteStarted carries it); now and then one has a bad rep and is passed."""

    put: Callable[[Input], None]
    clock: Clock
    noise: float = 0.02
    bad_rep: float = 0.08  # how much slower a bad rep is
    bad_reps: float = 0.15  # how often one comes
    seed: int = 1
    _random: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def publish(self, view: View, effects: Sequence[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, AthleteStarted) and effect.step.duration_s is None:
                slower = self.bad_rep if self._random.random() < self.bad_reps else 0.0
                pace = 1.0 + slower + self._random.uniform(-self.noise, self.noise)
                step, go = effect.step, effect.at
                if step.count is not None:
                    done = go + step.count * _COUNT_REP_S * pace
                    self.put(ButtonPressed(at=done))
                    self.put(ButtonReleased(at=done + _PRESS_S))
                for metres in step.crossing_m:
                    seconds = step.time_at(metres, untargeted_mps=_UNTARGETED_MPS)
                    assert seconds is not None  # every crossing is within the rep
                    self.put(Crossing(at=go + seconds * pace, raw="simulated"))


@dataclass
class _FirstGo:
    """Notes when the first rep started."""

    at: float | None = None

    def publish(self, view: View, effects: Sequence[Effect]) -> None:
        for effect in effects:
            if self.at is None and isinstance(effect, PhaseStarted) and effect.phase is Phase.REP:
                self.at = effect.at


def view_at(schedule: Schedule, seconds_after_first_go: float,
            settings: EngineSettings = EngineSettings(sensor=SensorState.SIMULATED),
            roster: Roster | None = None) -> View:
    """The screen `seconds_after_first_go` into a session run exactly on target (by each of
    `roster`'s athletes, on their own targets: a group, never passing)."""
    clock, inbox = FakeClock(), Inbox()
    group = GroupRun(roster, settings) if roster is not None and len(roster.names) > 1 else None
    engine = Engine(schedule, settings, group=group)
    sinks, first_go = Sinks(clock), _FirstGo()
    sinks.add_subscriber(SimulatedAthlete(inbox.put, clock, noise=0.0, runs=group is None),
                         "ATHLETE GONE")
    if group is not None:
        sinks.add_subscriber(SimulatedGroup(inbox.put, clock, noise=0.0, bad_reps=0.0),
                             "GROUP GONE")
    sinks.add_subscriber(first_go, "NOT WATCHING")
    loop = Loop(engine, inbox, clock, sinks)

    def moment() -> float | None:
        return None if first_go.at is None else first_go.at + seconds_after_first_go

    while not loop.done and (moment() is None or clock.t < moment()):
        loop.run_once(until=moment())
    # The last wait may have overshot; nothing was processed after it, so look back.
    at = moment()
    return view_of(engine, clock.t if at is None else at)
