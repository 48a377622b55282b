"""CPU: CPU seconds per wall second of the real loop and its display, at 1920x1080.

Three states of the product in the window (waiting at READY, a warm-up counting whole
seconds down, a rep's running clock with tenths) and the rep in the terminal view (block
digits on a 120x40 pseudo-terminal whose other end a `cat` drains). Beside them, in the
same run, the naive references: a loop that redraws the whole window 60 times a second
(pygame's `Clock.tick(60)`), and one that rewrites the whole terminal frame as often. Each
state and its naive reference take turns in short stretches, so a neighbour's load on a
shared machine falls on both alike.
"""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import termios
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

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
_TURNS = 4  # product and naive stretches, alternating
_TERMINAL = (120, 40)  # columns, rows: the block digits at their largest
_NAIVE = "naive: full redraw at 60 fps"


def run(options: Options) -> Result:
    seconds = 1.5 if options.quick else 20.0
    stretch = seconds / _TURNS
    clock = MonotonicClock()
    loop = session(_WARMUP_PLAN, clock, screen=open_window(clock))
    try:
        run_for(loop, 0.5)  # the first full draw and the fonts: not measured
        ready = cpu_share(lambda: run_for(loop, seconds))
        start(loop, Phase.WARMUP)
        countdown, naive_countdown = (c.cpu for c in _take_turns(loop, stretch,
                                                                   _redraw_at_60_fps))
    finally:
        loop.screen.close()
    loop = session(_REP_PLAN, clock, screen=open_window(clock),
                   settings=EngineSettings(lead_in_s=0.5))
    try:
        start(loop, Phase.REP)  # no crossing comes: the rep runs on
        rep, naive_rep = (c.cpu for c in _take_turns(loop, stretch, _redraw_at_60_fps))
    finally:
        loop.screen.close()
    with _PseudoTerminal(_TERMINAL) as terminal:
        loop = session(_REP_PLAN, clock, screen=terminal.screen(clock),
                       settings=EngineSettings(lead_in_s=0.5))
        start(loop, Phase.REP)
        text_rep, naive_text = _take_turns(loop, stretch, terminal.rewrite_at_60_fps,
                                           terminal.count)

    naive = (naive_countdown + naive_rep) / 2
    return Result("cpu", "CPU, % of one core (1920x1080)", (
        Figure("waiting at READY", "% core", None, value=ready * 100,
               reference=naive * 100, reference_name=_NAIVE,
               goal="<= 0.2 %", passed=ready <= 0.002),
        Figure("counting whole seconds down", "% core", None, value=countdown * 100,
               reference=naive_countdown * 100, reference_name=_NAIVE,
               goal="<= 0.3 %", passed=countdown <= 0.003),
        Figure("a rep running (tenths)", "% core", None, value=rep * 100,
               reference=naive_rep * 100, reference_name=_NAIVE,
               goal="<= 1 % and <= 0.1x naive",
               passed=rep <= 0.01 and rep <= 0.1 * naive_rep),
        Figure("naive: full redraw at 60 fps", "% core", None, value=naive * 100),
        Figure(f"terminal {_TERMINAL[0]}x{_TERMINAL[1]}: a rep running (tenths)", "% core",
               None, value=text_rep.cpu * 100, reference=naive_text.cpu * 100,
               reference_name="naive: whole frame at 60 fps", goal="<= 1 %",
               passed=text_rep.cpu <= 0.01),
        Figure("terminal: naive, whole frame at 60 fps", "% core", None,
               value=naive_text.cpu * 100),
        Figure("terminal: written in a rep", "KiB/s", None, value=text_rep.written / 1024,
               reference=naive_text.written / 1024,
               reference_name="naive: whole frame at 60 fps", goal="<= 0.1x naive",
               passed=text_rep.written <= 0.1 * naive_text.written),
    ), notes=(f"{seconds:g} s per state, SDL video driver {os.environ['SDL_VIDEODRIVER']}",))


@dataclass(frozen=True, slots=True)
class _Cost:
    cpu: float  # CPU seconds per wall second
    written: float  # characters written to the terminal per second


def _take_turns(loop: Loop, stretch_s: float, naive: Callable[[Loop, float], None],
                written: Callable[[], int] = lambda: 0) -> tuple[_Cost, _Cost]:
    """(the product, the naive loop): each the mean over alternating stretches."""
    costs: dict[str, list[_Cost]] = {"product": [], "naive": []}
    for _ in range(_TURNS):
        for name, work in (("product", lambda: run_for(loop, stretch_s)),
                           ("naive", lambda: naive(loop, stretch_s))):
            before = written()
            cpu = cpu_share(work)
            costs[name].append(_Cost(cpu, (written() - before) / stretch_s))
    return tuple(_Cost(sum(c.cpu for c in each) / _TURNS, sum(c.written for c in each) / _TURNS)
                 for each in costs.values())  # type: ignore[return-value]


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


class _PseudoTerminal:
    """A terminal of `size` for the terminal view: its other end drained by `cat`."""

    def __init__(self, size: tuple[int, int]) -> None:
        self._size = size
        master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self._drain = subprocess.Popen(["cat"], stdin=master, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)  # EIO when the view closes
        os.close(master)
        self._stream: TextIO = open(slave, "w", encoding="utf-8")  # noqa: SIM115 - see __exit__
        self._count = _Counted(self._stream)

    def __enter__(self) -> _PseudoTerminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()
        self._drain.wait(timeout=5)

    def screen(self, clock: MonotonicClock):  # noqa: ANN201 - a TerminalScreen
        from trackside.adapters.terminal import TerminalScreen

        self._terminal = TerminalScreen(clock, stream=self._count, keys=None)
        return self._terminal

    def count(self) -> int:
        """Characters written to the terminal so far."""
        return self._count.written

    def rewrite_at_60_fps(self, loop: Loop, seconds: float) -> None:
        """The terminal view as a naive loop draws it: the whole frame, 60 times a second."""
        import time

        end = loop.clock.now() + seconds
        while (now := loop.clock.now()) < end:
            self._terminal.forget()
            self._terminal.show(view_of(loop.engine, now), now)
            time.sleep(1 / 60)


class _Counted:
    """A text stream that counts the characters written through it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.written = 0

    def write(self, text: str) -> int:
        self.written += len(text)
        return self._stream.write(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()
