"""A simulated athlete for the demo, the screenshots and end-to-end tests.

It watches the engine's effects and answers the way a runner would: it presses the button
to start, crosses the beam near each target (with a little noise), presses at set breaks
once the minimum is over, and does its count reps in a plausible time. Its inputs are
stamped in the future and wait in the inbox until their moment.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from trackside.core.engine import Engine
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Crossing,
    Effect,
    Input,
    Phase,
    PhaseStarted,
)
from trackside.core.schedule import Schedule, Step
from trackside.core.settings import EngineSettings
from trackside.core.view import View, view_of
from trackside.runtime.clock import FakeClock
from trackside.runtime.inbox import Inbox
from trackside.runtime.loop import Loop, Outputs

_PRESS_S = 0.15  # how long a quick press holds the button down
_UNTARGETED_MPS = 7.0  # an all-out rep with no target: a decent sprinter's speed
_COUNT_REP_S = 2.5  # seconds per repetition of a count rep (a squat, a bound)


@dataclass
class SimulatedAthlete:
    inbox: Inbox
    noise: float = 0.02  # each rep lands within about +-2 % of target
    seed: int = 1
    set_break_extra_s: float = 3.0  # how long after the minimum it presses
    warmup_s: float | None = None  # cut the warmup and cooldown short (the demo), or run them
    _random: random.Random = field(init=False)
    _started: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def start(self, at: float) -> None:
        """Press the button at `at` to start the session."""
        self._press(at)

    def observe(self, effect: Effect) -> None:
        """React to one effect: the start of a phase."""
        if not isinstance(effect, PhaseStarted) or effect.step is None:
            return
        step = effect.step
        match effect.phase:
            case Phase.REP:
                self._run(step, effect.at)
            case Phase.SET_BREAK:
                self._press(effect.at + (step.duration_s or 0.0) + self.set_break_extra_s)
            case Phase.READY:
                self._press(effect.at + 2.0)
            case Phase.WARMUP | Phase.COOLDOWN if self.warmup_s is not None:
                self._press(effect.at + min(self.warmup_s, step.duration_s or 0.0))

    def _run(self, rep: Step, go: float) -> None:
        if rep.duration_s is not None:
            return  # a timed rep ends on its clock
        pace = 1.0 + self._random.uniform(-self.noise, self.noise)
        if rep.count is not None:
            self._press(go + rep.count * _COUNT_REP_S * pace)
            return
        for metres in rep.crossing_m:
            self._put(Crossing(at=go + _seconds_to(rep, metres) * pace, raw="simulated"))

    def _press(self, at: float) -> None:
        self._put(ButtonPressed(at=at))
        self._put(ButtonReleased(at=at + _PRESS_S))

    def _put(self, item: Input) -> None:
        self.inbox.put(item)


def _seconds_to(rep: Step, metres: float) -> float:
    """When an athlete on target reaches `metres`: untargeted legs at a sprinter's speed."""
    elapsed, start = 0.0, 0.0
    for leg in rep.legs:
        length = leg.distance_m or 0.0
        covered = min(length, max(0.0, metres - start))
        speed = length / leg.target_s if leg.target_s else _UNTARGETED_MPS
        elapsed += covered / speed
        start += length
    return elapsed


def view_at(schedule: Schedule, seconds_after_first_go: float,
            settings: EngineSettings = EngineSettings()) -> View:
    """The screen `seconds_after_first_go` into a session run exactly on target."""
    clock, inbox = FakeClock(), Inbox()
    engine = Engine(schedule, settings)
    athlete = SimulatedAthlete(inbox, noise=0.0)
    first_go: list[float] = []

    def note_first_go(effect: Effect) -> None:
        if not first_go and isinstance(effect, PhaseStarted) and effect.phase is Phase.REP:
            first_go.append(effect.at)

    loop = Loop(engine, inbox, clock, Outputs(clock, observers=[athlete.observe, note_first_go]))
    athlete.start(0.0)
    while not loop.done and (not first_go or clock.t < first_go[0] + seconds_after_first_go):
        loop.run_once(until=first_go[0] + seconds_after_first_go if first_go else None)
    # The last wait may have overshot; nothing was processed after it, so look back.
    return view_of(engine, first_go[0] + seconds_after_first_go if first_go else clock.t)
