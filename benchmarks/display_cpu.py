"""CPU cost of the window display, driven by the real main loop on the real clock.

    SDL_VIDEODRIVER=dummy python benchmarks/display_cpu.py [--seconds 20] [--size 1920x1080]

Measures CPU seconds per wall second (process time / wall time) in two states:
  ready      the READY screen: nothing changes, the loop wakes only to read keys
  countdown  a warm-up countdown: the number and the bar change once a second
  rep        a rep's running clock: tenths under a minute, keys read every 20 ms
Budget (issue 4): under 3 % of one core counting down, under 1 % at ready.
Not part of the test suite: it takes real time.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from trackside.adapters.display import PygameScreen  # noqa: E402
from trackside.clock import MonotonicClock  # noqa: E402
from trackside.core.engine import Engine, EngineSettings  # noqa: E402
from trackside.core.events import ButtonPressed, ButtonReleased, Phase  # noqa: E402
from trackside.core.plan import Plan  # noqa: E402
from trackside.core.schedule import expand  # noqa: E402
from trackside.inbox import Inbox  # noqa: E402
from trackside.loop import Loop, Outputs  # noqa: E402

BLOCKS = [{"reps": 2, "distance": "400m", "target": "65s", "rest": 60}]


def measure(loop: Loop, clock: MonotonicClock, seconds: float) -> float:
    """CPU seconds per wall second over `seconds` of the loop."""
    end = clock.now() + seconds
    wall, cpu = time.perf_counter(), time.process_time()
    while clock.now() < end:
        loop.step(until=end)
    return (time.process_time() - cpu) / (time.perf_counter() - wall)


def start(loop: Loop, inbox: Inbox, clock: MonotonicClock, phase: Phase) -> None:
    """Press the button and run the loop until `phase` begins."""
    now = clock.now()
    inbox.put(ButtonPressed(at=now))
    inbox.put(ButtonReleased(at=now + 0.1))
    while loop.engine.phase is not phase and clock.now() < now + 10.0:
        loop.step(until=now + 10.0)
    assert loop.engine.phase is phase, loop.engine.phase


def session(plan: dict, clock: MonotonicClock, size: tuple[int, int]) -> tuple[Loop, Inbox]:
    inbox = Inbox()
    engine = Engine(expand(Plan.model_validate(plan)), EngineSettings())
    loop = Loop(engine, inbox, clock, Outputs(clock), PygameScreen(clock, size=size))
    loop.step(until=clock.now() + 1.0)  # first full draw, fonts loaded: not measured
    return loop, inbox


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    size = tuple(int(part) for part in args.size.split("x"))
    clock = MonotonicClock()

    loop, inbox = session({"name": "warm-up", "warmup": 3600, "blocks": BLOCKS}, clock, size)
    try:
        ready = measure(loop, clock, args.seconds)
        start(loop, inbox, clock, Phase.WARMUP)
        countdown = measure(loop, clock, args.seconds)
    finally:
        loop.screen.close()
    loop, inbox = session({"name": "rep", "blocks": BLOCKS}, clock, size)
    try:
        start(loop, inbox, clock, Phase.REP)  # no crossing comes: the rep runs on
        rep = measure(loop, clock, args.seconds)
    finally:
        loop.screen.close()
    print(f"{size[0]}x{size[1]}, {args.seconds:g} s each, SDL_VIDEODRIVER="
          f"{os.environ['SDL_VIDEODRIVER']}")
    print(f"ready:     {ready * 100:.2f} % of one core (budget 1 %)")
    print(f"countdown: {countdown * 100:.2f} % of one core (budget 3 %)")
    print(f"rep:       {rep * 100:.2f} % of one core (no budget set)")

if __name__ == "__main__":
    main()
