"""Cue onset error: when each cue is driven, minus its deadline, while the window renders.

The real Loop on the real clock runs timed reps with short rests (a GO, a 3-2-1 and a
REP_DONE every few seconds, the screen flashing in the last seconds of each rest) at
1920x1080. Two outputs listen: the app's BuzzerCues on a mock pin (the edge's time is
read from the pin) and a recording player after it (where the speaker would be). The
floor, in the same run: a bare `time.sleep` to an absolute deadline on the main thread,
half of the samples before the session and half after.
"""

from __future__ import annotations

import time

from gpiozero.pins.mock import MockFactory, MockPWMPin

from trackside.adapters.gpio import BuzzerCues
from trackside.bench.result import Figure, Result, Spread
from trackside.bench.rig import CueTimes, Seen, open_window, run_for, session, start
from trackside.bench.sleeps import bare_sleeps
from trackside.bench.suite import Options
from trackside.core.events import CueDue, Phase
from trackside.core.settings import EngineSettings
from trackside.runtime.clock import MonotonicClock

_PLAN = "100x5s r5"  # 8 cues every 10 s
_BUZZER_PIN = 18
_MS = 1000.0


class EdgeTimes(MockPWMPin):
    """A mock pin that notes the monotonic time of every change (MockPin keeps only gaps)."""

    def __init__(self, factory: MockFactory, info: object) -> None:
        self.changes: list[tuple[float, float]] = []  # (monotonic s, new state)
        super().__init__(factory, info)

    def _change_state(self, value: float) -> bool:
        at = time.monotonic()
        changed = super()._change_state(value)
        if changed:
            self.changes.append((at, value))
        return changed


def run(options: Options) -> Result:
    seconds = 6.0 if options.quick else 120.0
    floor_samples = 30 if options.quick else 200
    floor = bare_sleeps(floor_samples // 2)
    clock = MonotonicClock()
    factory = MockFactory(pin_class=EdgeTimes)
    buzzer = BuzzerCues(_BUZZER_PIN, "active", clock, pin_factory=factory)
    player, seen = CueTimes(), Seen()
    loop = session(_PLAN, clock, screen=open_window(clock),
                   settings=EngineSettings(lead_in_s=1.0), players=[buzzer, player])
    loop.sinks.add_recorder(seen, "BENCH")
    try:
        start(loop, Phase.LEAD_IN)
        run_for(loop, seconds)
    finally:
        loop.screen.close()
        buzzer.close()
    floor += bare_sleeps(floor_samples - floor_samples // 2)

    cues = [effect for effect in seen.effects if isinstance(effect, CueDue)]
    played = [at - cue.due for cue, (_, at) in zip(cues, player.played, strict=True)]
    pin = factory.pin(_BUZZER_PIN)
    edges, missed = edge_delays(cues, pin.changes)
    floor_spread = Spread.of(floor).scaled(_MS)
    goal = floor_spread.p99 + 1.0
    figures = []
    for name, delays in (("buzzer pin edge", edges), ("cue player called", played)):
        spread = Spread.of(delays).scaled(_MS)
        early = sum(delay < 0 for delay in delays)
        figures.append(Figure(
            f"{name} ({len(delays)} cues, {early} early)", "ms", spread,
            reference=floor_spread.p99, reference_name="floor: bare sleep to a deadline, p99",
            goal=f"p99 <= floor + 1 ms ({goal:.2f}); never early",
            passed=spread.p99 <= goal and early == 0))
    figures.append(Figure("floor: bare sleep to a deadline", "ms", floor_spread))
    notes = [f"{seconds:g} s of '{_PLAN}' at 1920x1080"]
    if missed:
        notes.append(f"{missed} cues found the buzzer still on (no new edge): left out")
    return Result("cue_onset", "Cue onset error", tuple(figures), tuple(notes))


def edge_delays(cues: list[CueDue], edges: list[tuple[float, float]]
                 ) -> tuple[list[float], int]:
    """Each cue's first rising edge at or after its deadline (less 10 ms, to see an early one)."""
    rises = [at for at, state in edges if state > 0]
    delays, missed = [], 0
    for cue in cues:
        after = [at for at in rises if cue.due - 0.01 <= at < cue.due + 0.1]
        if after:
            delays.append(after[0] - cue.due)
        else:
            missed += 1
    return delays, missed
