"""Crossing stamp error: a line written to a serial port, and the time the timer stamps on it.

Three pseudo-terminals (raw mode), one writer: a separate process that writes numbered
lines to them in turn, a line to each every 30 ms or so at random phases, and notes the
monotonic time just before each write (the monotonic clock is one clock for every
process on the machine). Meanwhile, in this process, the real Loop counts down timed reps
and rests in the real window at 1920x1080, and:

  - the product: `BeamSensor` (protocol `line`), opened as the app opens it (`open_beam`),
    reads the first port and puts each `Crossing` in the loop's inbox; its stamp is read
    where the loop hands it on;
  - the floor: a bare thread blocked in `os.read` on the second port stamps each line
    the moment the read returns;
  - the naive reference: a thread that polls the third port once per 33 ms frame, as a
    pygame loop with `Clock.tick(30)` would, and stamps what it finds then.

The error of each is stamp - write time; the goal is on the product's p99.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
import tty
from contextlib import ExitStack
from dataclasses import dataclass, field

from trackside.app import open_beam
from trackside.bench.result import Figure, Result, Spread
from trackside.bench.rig import Seen, open_window, run_for, session, start
from trackside.bench.suite import Options
from trackside.config import BeamConfig
from trackside.core.events import Crossing, Phase
from trackside.core.settings import EngineSettings
from trackside.runtime.clock import MonotonicClock
from trackside.runtime.loop import Loop

_PLAN = "100x5s r5"
LINE_PERIOD_S = 0.03  # how often the writer sends a line to each port
_FRAME_S = 1 / 30
_MS = 1000.0


@dataclass
class Port:
    """A pseudo-terminal: the master end for the writer, the slave end for a reader."""

    master: int
    slave: int
    stamps: dict[int, float] = field(default_factory=dict)  # line number -> stamp

    @classmethod
    def open(cls) -> Port:
        master, slave = os.openpty()
        tty.setraw(master)
        tty.setraw(slave)
        return cls(master, slave)

    @property
    def path(self) -> str:
        return os.ttyname(self.slave)

    def close(self) -> None:
        for fd in (self.master, self.slave):
            os.close(fd)


def run(options: Options) -> Result:
    clock = MonotonicClock()
    loop = session(_PLAN, clock, screen=open_window(clock),
                   settings=EngineSettings(lead_in_s=1.0))
    lines = 60 if options.quick else 1000
    product, lost, bare, polled = stamp_errors(loop, lines)
    goal_ms = min(2.0, 5 * bare.p99)
    return Result("crossing", "Crossing stamp error", (
        Figure(f"beam adapter in the loop ({product.count} lines)", "ms", product,
               reference=bare.p99, reference_name="floor: bare blocking read, p99",
               goal="p99 <= 2 ms and <= 5x floor", passed=product.p99 <= goal_ms and not lost),
        Figure("floor: bare blocking read", "ms", bare),
        Figure("naive: polled once per 33 ms frame", "ms", polled),
    ), notes=(f"{lines} lines to each port while '{_PLAN}' counts down at 1920x1080"
              + (f"; {lost} lines never reached the loop" if lost else ""),))


def stamp_errors(loop: Loop, lines: int) -> tuple[Spread, int, Spread, Spread]:
    """`lines` lines to each port while `loop` runs (its window open, at READY): the beam
    adapter's stamp error and how many lines never reached the loop, the bare blocking
    read's and the once-a-frame poll's (ms). Closes the loop's screen."""
    beam, floor, naive = Port.open(), Port.open(), Port.open()
    seen = Seen()
    loop.sinks.add_recorder(seen, "BENCH")
    stack = ExitStack()
    open_beam(BeamConfig(port=beam.path, baud=115200), loop.clock, loop.inbox.put, stack)
    readers = [threading.Thread(target=read_blocking, args=(floor,), daemon=True),
               threading.Thread(target=_poll_each_frame, args=(naive,), daemon=True)]
    for reader in readers:
        reader.start()
    try:
        start(loop, Phase.LEAD_IN)
        writer = start_writer([beam.master, floor.master, naive.master], lines)
        while writer.poll() is None:
            run_for(loop, 0.5)
        run_for(loop, 0.2)  # the last lines reach the loop
        written = written_times(writer)
    finally:
        stack.close()
        loop.screen.close()
    beam.stamps = {int(item.raw): item.at for item in seen.inputs if isinstance(item, Crossing)}
    errors = [line_errors(port, times) for port, times in zip((beam, floor, naive), written)]
    for port in (beam, floor, naive):
        port.close()  # the reader threads end on the error
    product, bare, polled = (Spread.of(each).scaled(_MS) for each in errors)
    return product, len(written[0]) - len(errors[0]), bare, polled


def line_errors(port: Port, written: list[float]) -> list[float]:
    """Each stamped line's stamp - its write time (s); a line never stamped has none."""
    return [port.stamps[n] - at for n, at in enumerate(written) if n in port.stamps]


def read_blocking(port: Port) -> None:
    pending = b""
    try:
        while data := os.read(port.slave, 4096):
            at = time.monotonic()
            pending += data
            *done, pending = pending.split(b"\n")
            for line in done:
                port.stamps[int(line)] = at
    except OSError:
        return  # closed at the end


def _poll_each_frame(port: Port) -> None:
    os.set_blocking(port.slave, False)
    pending = b""
    try:
        while True:
            time.sleep(_FRAME_S)
            try:
                data = os.read(port.slave, 65536)
            except BlockingIOError:
                continue
            at = time.monotonic()
            pending += data
            *done, pending = pending.split(b"\n")
            for line in done:
                port.stamps[int(line)] = at
    except OSError:
        return


def written_times(writer: subprocess.Popen[str]) -> list[list[float]]:
    """When the writer wrote each line to each port (it has ended)."""
    out, _ = writer.communicate()
    return json.loads(out)


def start_writer(masters: list[int], lines: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "trackside.bench.crossing", str(lines), *map(str, masters)],
        pass_fds=masters, stdout=subprocess.PIPE, text=True)


def _write_lines(lines: int, masters: list[int]) -> list[list[float]]:
    """Write line n to each port in turn at random phases; the time just before each write."""
    chance = random.Random(1)
    written: list[list[float]] = [[] for _ in masters]
    due = time.monotonic() + 0.05
    for number in range(lines):
        for port, master in enumerate(masters):
            due += LINE_PERIOD_S / len(masters) * chance.uniform(0.5, 1.5)
            time.sleep(max(0.0, due - time.monotonic()))
            written[port].append(time.monotonic())
            os.write(master, b"%d\n" % number)
    return written


if __name__ == "__main__":  # the writer process
    count, *fds = map(int, sys.argv[1:])
    print(json.dumps(_write_lines(count, fds)))
