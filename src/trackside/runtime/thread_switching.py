"""How often the interpreter passes between threads during a run: every 1 ms, not Python's
default 5 ms.

Inputs are stamped on threads of their own (the beam's reader, the button's edges), and the
phone page serves and the store writes on theirs. A thread woken by a byte or a deadline waits
for the one holding the interpreter at most this long, whatever Python the other is running
(a frame's drawing, a page's JSON). The C calls a frame makes hold it for less (a 1080p fill
or blit, about 0.6 ms on an x86 core; `display.update` lets go of it).

Rules:
  1. `quick_switches` is the only place the process's switch interval is set: the app's run
     calls it once, and the benchmarks, so they measure what a run does.
  2. It is put back when the run's stack closes.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack

SWITCH_INTERVAL_S = 0.001


def quick_switches(stack: ExitStack) -> None:
    """Threads switch every `SWITCH_INTERVAL_S` until `stack` closes."""
    stack.callback(sys.setswitchinterval, sys.getswitchinterval())
    sys.setswitchinterval(SWITCH_INTERVAL_S)
