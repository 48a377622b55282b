"""Timing under the load it will really have: the crossing stamp and the cue onset while the
window renders a rep with tenths at 1920x1080, the store commits every input to a real file,
and ten phones watch the live page.

Each turn runs the real Loop on the real clock through `100x5s r5` (tenths in each rep, the
flash of a rest's last seconds, 8 cues every 10 s) under one load, added to the one before:

  - window: the window alone;
  - + store: the session recorded into an SQLite file on disk (WAL, synchronous=FULL: a
    commit is an fsync), every crossing a row;
  - + 10 phones: the phone page served on loopback, ten SSE clients in a process of their
    own reading the live stream (the loop then runs on a thread, as beside the server).

The loads take turns, repeated, so a neighbour's load on this shared machine falls on each
alike. The beam is opened as the app opens it (`open_beam`: line protocol on a pseudo-terminal;
the suite switches threads as a run does). The floors, beside each turn:

  - crossing: a bare thread blocked in `os.read` on a second pseudo-terminal stamps each line
    as the read returns, in this process, under the same load: one writer process alternates
    lines between the two ports (a line to each every 30 ms or so, random phases);
  - cue: bare sleeps to absolute deadlines in a process of their own (`sleeps`): the
    machine's load, not the timer's threads.

The cue is the buzzer pin's edge (BuzzerCues on a mock pin, as in `cue_onset`).
"""

from __future__ import annotations

import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from gpiozero.pins.mock import MockFactory

from trackside.adapters.gpio import BuzzerCues
from trackside.app import open_beam
from trackside.bench.crossing import (
    LINE_PERIOD_S,
    Port,
    read_blocking,
    line_errors,
    start_writer,
    written_times,
)
from trackside.bench.cue_onset import EdgeTimes, edge_delays
from trackside.bench.phones import phones, serving
from trackside.bench.result import Figure, Result, Spread, percentile
from trackside.bench.rig import Seen, open_window, run_for, session, start
from trackside.bench.sleeps import beside_result, sleeping_beside
from trackside.bench.suite import Options
from trackside.config import BeamConfig
from trackside.core.events import Crossing, CueDue, Phase
from trackside.core.settings import EngineSettings
from trackside.plan_source import load_plan
from trackside.runtime.clock import MonotonicClock
from trackside.session_open import open_session, open_store

_PLAN = "100x5s r5"
_LOADS = ("window", "window + store", "window + store + 10 phones")
_BUZZER_PIN = 18
_MS = 1000.0


@dataclass
class _Samples:
    """One load's samples over its turns (s), and each turn's p99s (ms), for the spread."""

    stamps: list[float] = field(default_factory=list)
    stamp_floor: list[float] = field(default_factory=list)
    cues: list[float] = field(default_factory=list)
    cue_floor: list[float] = field(default_factory=list)
    lost: int = 0
    turns: list[tuple[float, ...]] = field(default_factory=list)  # the four p99s

    def add(self, stamps: list[float], stamp_floor: list[float], cues: list[float],
            cue_floor: list[float], lost: int) -> None:
        self.stamps += stamps
        self.stamp_floor += stamp_floor
        self.cues += cues
        self.cue_floor += cue_floor
        self.lost += lost
        self.turns.append(tuple(Spread.of(each).scaled(_MS).p99
                                for each in (stamps, stamp_floor, cues, cue_floor)))


def run(options: Options) -> Result:
    seconds = 4.0 if options.quick else 30.0
    repeats = 1 if options.quick else 3
    samples = {load: _Samples() for load in _LOADS}
    with tempfile.TemporaryDirectory(prefix="trackside-bench-") as folder:
        for turn in range(repeats):
            for number, load in enumerate(_LOADS):
                _turn(load, seconds, Path(folder) / f"{turn}-{number}.db", samples[load])
    figures = [figure for load, got in samples.items() for figure in _figures(load, got)]
    notes = [f"{repeats} turns of {seconds:g} s under each load, in turn, of '{_PLAN}' at "
             "1920x1080; a line to each port every 30 ms"]
    for load, got in samples.items():
        notes.append(f"{load}: each turn's p99 (ms), crossing / its floor / cue / its floor: "
                     + ", ".join(" / ".join(f"{p99:.2f}" for p99 in turn) for turn in got.turns))
    return Result("under_load", "Crossing stamp and cue onset under load", tuple(figures),
                  tuple(notes))


def _figures(load: str, got: _Samples) -> list[Figure]:
    stamps, stamp_floor, cues, cue_floor = (
        Spread.of(each).scaled(_MS)
        for each in (got.stamps, got.stamp_floor, got.cues, got.cue_floor))
    early = sum(delay < 0 for delay in got.cues)
    floor_p99, groups = _p99_of_as_many(got.cue_floor, cues.count)
    cue_goal = floor_p99 + 0.5
    lost = f", {got.lost} lost" if got.lost else ""
    return [
        Figure(f"{load}: crossing stamp ({stamps.count} lines{lost})", "ms", stamps,
               reference=stamp_floor.p99, reference_name="floor: bare threaded read, p99",
               goal=f"p99 <= 2x floor ({2 * stamp_floor.p99:.2f})",
               passed=stamps.p99 <= 2 * stamp_floor.p99 and not got.lost),
        Figure(f"{load}: floor, bare threaded read beside it", "ms", stamp_floor),
        Figure(f"{load}: cue onset, buzzer pin ({cues.count} cues, {early} early)", "ms", cues,
               reference=floor_p99,
               reference_name=f"floor: p99 of {cues.count} bare sleeps, median of {groups}",
               goal=f"p99 <= floor + 0.5 ms ({cue_goal:.2f}); never early",
               passed=cues.p99 <= cue_goal and early == 0),
        Figure(f"{load}: floor, bare sleep in a process beside it", "ms", cue_floor),
    ]


def _p99_of_as_many(floor: list[float], count: int) -> tuple[float, int]:
    """The floor's p99 (ms) over as many samples as the figure has, in consecutive groups,
    the median group's; and how many groups. The p99 of 75 cues is their largest: against
    the p99 of 1,000 sleeps, even cues exactly as late as the sleeps would miss half the time.
    """
    groups = [floor[start:start + count] for start in range(0, len(floor) - count + 1, count)]
    if not groups:
        return Spread.of(floor).scaled(_MS).p99, 1
    return percentile(sorted(Spread.of(group).p99 for group in groups), 50) * _MS, len(groups)


def _turn(load: str, seconds: float, db_path: Path, into: _Samples) -> None:
    """Run the session for `seconds` under `load`; add what was measured to `into`."""
    clock = MonotonicClock()
    beam, floor = Port.open(), Port.open()
    threading.Thread(target=read_blocking, args=(floor,), daemon=True).start()
    factory = MockFactory(pin_class=EdgeTimes)
    seen = Seen()
    with ExitStack() as stack:
        buzzer = BuzzerCues(_BUZZER_PIN, "active", clock, pin_factory=factory)
        stack.callback(buzzer.close)
        loop = session(_PLAN, clock, screen=open_window(clock),
                       settings=EngineSettings(lead_in_s=1.0), players=[buzzer])
        stack.callback(loop.screen.close)
        loop.sinks.add_recorder(seen, "BENCH")
        if load != "window":
            store = open_store(db_path, clock.now, stack)
            loop.sinks.keep_durably(
                open_session(load_plan(_PLAN), _PLAN, store, clock.now).recorder)
        open_beam(BeamConfig(port=beam.path, baud=115200), clock, loop.inbox.put, stack)
        start(loop, Phase.LEAD_IN)
        sleeper = sleeping_beside(seconds)
        writer = start_writer([beam.master, floor.master], round(seconds / LINE_PERIOD_S))
        if load.endswith("phones"):
            with serving(loop) as page, phones(page.address or "", 10, seconds + 1.0):
                writer.wait()
                time.sleep(0.2)  # the last lines reach the loop
        else:
            while writer.poll() is None:
                run_for(loop, 0.5)
            run_for(loop, 0.2)
    written = written_times(writer)
    beam.stamps = {int(item.raw): item.at for item in seen.inputs if isinstance(item, Crossing)}
    for port in (beam, floor):
        port.close()  # the floor's reader ends on the error
    stamps, stamp_floor = (line_errors(port, times) for port, times
                           in zip((beam, floor), written))
    cues = [effect for effect in seen.effects if isinstance(effect, CueDue)]
    delays, _ = edge_delays(cues, factory.pin(_BUZZER_PIN).changes)
    into.add(stamps, stamp_floor, delays, beside_result(sleeper), len(written[0]) - len(stamps))
