"""CPU: CPU seconds per wall second of the real loop and window at 1920x1080.

Three states of the product (waiting at READY, a warm-up counting down, a rep's running
clock with tenths) and, in the same run, the naive reference: a loop that redraws the
whole screen 60 times a second (pygame's `Clock.tick(60)`), showing the same countdown.
The countdown and the naive loop take turns in short stretches, so a neighbour's load
on a shared machine falls on both alike.
"""

from __future__ import annotations

import os

import pygame

from trackside.bench.result import Figure, Result
from trackside.bench.rig import cpu_share, open_window, run_for, session, start
from trackside.bench.suite import Options
from trackside.core.events import Phase
from trackside.core.readout import content
from trackside.core.settings import EngineSettings
from trackside.core.view import view_of
from trackside.runtime.clock import MonotonicClock
from trackside.runtime.loop import Loop

_WARMUP_PLAN = "wu1h; 2x400m @65s r60"
_REP_PLAN = "2x400m @65s r60"
_TURNS = 4  # countdown and naive stretches, alternating


def run(options: Options) -> Result:
    seconds = 1.5 if options.quick else 20.0
    clock = MonotonicClock()
    loop = session(_WARMUP_PLAN, clock, screen=open_window(clock))
    try:
        run_for(loop, 0.5)  # the first full draw and the fonts: not measured
        ready = cpu_share(lambda: run_for(loop, seconds))
        start(loop, Phase.WARMUP)
        countdown, naive = _take_turns(loop, seconds / _TURNS)
    finally:
        loop.screen.close()
    loop = session(_REP_PLAN, clock, screen=open_window(clock),
                   settings=EngineSettings(lead_in_s=0.5))
    try:
        start(loop, Phase.REP)  # no crossing comes: the rep runs on
        rep = cpu_share(lambda: run_for(loop, seconds))
    finally:
        loop.screen.close()

    ratio_goal = 0.25
    return Result("cpu", "CPU, % of one core (1920x1080)", (
        Figure("counting down", "% core", None, value=countdown * 100,
               reference=naive * 100, reference_name="naive: full redraw at 60 fps",
               goal="<= 3 % and <= 0.25x naive",
               passed=countdown <= 0.03 and countdown <= ratio_goal * naive),
        Figure("waiting at READY", "% core", None, value=ready * 100,
               reference=naive * 100, reference_name="naive: full redraw at 60 fps",
               goal="<= 1 %", passed=ready <= 0.01),
        Figure("a rep running (tenths)", "% core", None, value=rep * 100,
               reference=naive * 100, reference_name="naive: full redraw at 60 fps"),
        Figure("naive: full redraw at 60 fps", "% core", None, value=naive * 100),
    ), notes=(f"{seconds:g} s per state, SDL video driver {os.environ['SDL_VIDEODRIVER']}",))


def _take_turns(loop: Loop, stretch_s: float) -> tuple[float, float]:
    """(the product's countdown, the naive loop): each the mean over alternating stretches."""
    product, naive = [], []
    for _ in range(_TURNS):
        product.append(cpu_share(lambda: run_for(loop, stretch_s)))
        naive.append(cpu_share(lambda: _redraw_at_60_fps(loop, stretch_s)))
    return sum(product) / _TURNS, sum(naive) / _TURNS


def _redraw_at_60_fps(loop: Loop, seconds: float) -> None:
    """What a first pygame program does: draw everything every frame, tick(60)."""
    from trackside.adapters.render import Painter
    from trackside.adapters.theme import theme

    painter = Painter(pygame.display.get_surface(), theme("day"))
    frames = pygame.time.Clock()
    end = loop.clock.now() + seconds
    while (now := loop.clock.now()) < end:
        pygame.event.pump()
        painter.forget()
        painter.paint(content(view_of(loop.engine, now)))
        pygame.display.flip()
        frames.tick(60)
