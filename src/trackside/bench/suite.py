"""The benchmarks, in the order they run, and how to run a selection of them.

Each is imported only when it runs: most need pygame, some need a subprocess, and
`--only drift` should not pay for the others. They run with the app's thread switching
(`runtime.thread_switching`), as a run does.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass

from trackside.bench.result import Result
from trackside.runtime.thread_switching import quick_switches


@dataclass(frozen=True, slots=True)
class Options:
    quick: bool = False
    drift_s: float | None = None  # the real-clock drift window; None: 10 s quick, 120 s full


# name -> (module, what it measures)
BENCHMARKS: dict[str, tuple[str, str]] = {
    "crossing": ("trackside.bench.crossing", "crossing stamp error through a pseudo-terminal"),
    "lap_clock": ("trackside.bench.lap_clock", "lap-time error with a sensor clock"),
    "cue_onset": ("trackside.bench.cue_onset", "cue onset error while the display renders"),
    "under_load": ("trackside.bench.under_load",
                   "crossing stamp and cue onset with the window, the store and 10 phones"),
    "drift": ("trackside.bench.drift", "schedule drift: fake clock 3 h, real clock"),
    "cpu": ("trackside.bench.cpu", "CPU per wall second, product vs a 60 fps redraw"),
    "startup": ("trackside.bench.startup", "process start to the first frame"),
    "memory": ("trackside.bench.memory", "peak RSS over a 3-hour session"),
    "durability": ("trackside.bench.durability", "kill -9 while reps are recorded"),
    "phones": ("trackside.bench.phones", "the phone page: pushes, cues, CPU, memory, churn"),
    "group": ("trackside.bench.group", "a group of 12: a crossing's work, crossing stamps"),
}


def run_suite(names: Sequence[str], options: Options,
              each: Callable[[Result], None] = lambda result: None) -> list[Result]:
    """Run the named benchmarks (all when empty) in suite order; `each` sees each result."""
    chosen = [name for name in BENCHMARKS if not names or name in names]
    results = []
    with ExitStack() as stack:
        quick_switches(stack)
        for name in chosen:
            module = importlib.import_module(BENCHMARKS[name][0])
            began = time.perf_counter()
            result = module.run(options).with_seconds(time.perf_counter() - began)
            each(result)
            results.append(result)
    return results
