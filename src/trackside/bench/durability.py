"""Durability: kill -9 `trackside run --headless --db F` at random moments while reps are
being recorded, then read the database.

Each round starts `trackside run PLAN --headless --db F --events E --min-lap 0 --resume`
(the first round, or after a finished session, has nothing to resume and runs PLAN),
waits for its first status line, presses, then sends `lap` lines every 2-20 ms: with
no rest between reps, each accepted lap records a rep. At a random moment 0.1-0.9 s after
the press the process gets SIGKILL. The reps it had acknowledged are the `rep` lines of
its event log (written just before its status line, so they are at least what it
showed); every one must be in the database, once, and the database's reps must run
1..n with no gap. Checked after each kill, before the next round resumes the session
(a resumed run would record a lost rep again and hide the loss).

The reference: the reps acknowledged over all rounds (each one could have been lost).
Beside it, the window a kill can land in: how long the store takes from `record_rep`
(the moment the main loop hands a rep over, just before it is logged and shown) to its
commit, measured with the product's SessionStore on the same disk.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from trackside.adapters.store import NewSession, SessionStore
from trackside.adapters.store_reader import SessionReader
from trackside.bench.result import Figure, Result, Spread
from trackside.bench.suite import Options
from trackside.core.events import RepRecorded, Source

_PLAN = "200x100m r0"
_TIMING = ["--min-lap", "0", "--lead-in", "0.05"]
_MS = 1000.0


@dataclass
class _Round:
    acknowledged: list[int] = field(default_factory=list)  # rep indexes, event-log order
    lost: list[int] = field(default_factory=list)
    lost_age_s: list[float] = field(default_factory=list)  # acknowledged this long before
    gaps: bool = False


def run(options: Options) -> Result:
    rounds = 3 if options.quick else 25
    chance = random.Random(options.quick)
    with tempfile.TemporaryDirectory(prefix="trackside-bench-") as home:
        folder = Path(home)
        results = [_round(folder, number, chance) for number in range(rounds)]
    acknowledged = sum(len(r.acknowledged) for r in results)
    lost = sum(len(r.lost) for r in results)
    gaps = sum(r.gaps for r in results)
    ages = [age for r in results for age in r.lost_age_s]
    figures = [
        Figure(f"reps lost after {rounds} kills (of those acknowledged)", "reps", None,
               value=lost, reference=acknowledged,
               reference_name="reps acknowledged before the kills",
               goal="0 lost, no gap", passed=lost == 0 and gaps == 0),
    ]
    if ages:
        figures.append(Figure("lost reps: acknowledged before the kill by", "ms",
                              Spread.of(ages).scaled(_MS)))
    figures.append(Figure("a rep handed to the store until committed", "ms",
                          Spread.of(_commit_latency(30 if options.quick else 200)).scaled(_MS)))
    return Result("durability", "Durability under kill -9", tuple(figures), notes=(
        f"'{_PLAN}' {' '.join(_TIMING)}, laps every 2-20 ms, kill 0.1-0.9 s after the press;"
        f" rounds with a gap in the database: {gaps}",))


def _round(folder: Path, number: int, chance: random.Random) -> _Round:
    db, events = folder / "durability.db", folder / f"events-{number}.jsonl"
    process = _Headless(["run", _PLAN, "--headless", "--db", str(db), "--events", str(events),
                         "--resume", *_TIMING], folder)
    try:
        process.first_line()
        process.send("press")
        killed_at = process.lap_until(time.monotonic() + chance.uniform(0.1, 0.9), chance)
    finally:
        process.kill()
    return _check(db, events, killed_at)


def _check(db: Path, events: Path, killed_at: float) -> _Round:
    result = _Round()
    acknowledged: dict[int, float] = {}
    for line in events.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        if event["type"] == "rep":
            acknowledged[event["index"]] = event["mono_ns"] / 1e9
    result.acknowledged = list(acknowledged)
    reader = SessionReader(db)
    sessions = reader.history()  # none if killed before the start press was handled
    on_disk = [rep.index for rep in reader.export(sessions[0].id).reps] if sessions else []
    result.gaps = on_disk != list(range(1, len(on_disk) + 1))
    result.lost = [index for index in acknowledged if index not in set(on_disk)]
    result.lost_age_s = [killed_at - acknowledged[index] for index in result.lost]
    return result


def _commit_latency(reps: int) -> list[float]:
    """Seconds from `record_rep` to its commit (a flush returns right after it)."""
    with tempfile.TemporaryDirectory(prefix="trackside-bench-") as folder:
        with SessionStore.open(Path(folder) / "latency.db") as store:
            session = store.start_session(NewSession(_PLAN, _PLAN, "{}", "{}", reps), 0.0)
            latency = []
            for index in range(1, reps + 1):
                rep = RepRecorded(1, index, index, float(index), index + 0.5, None, (),
                                  Source.BEAM)
                began = time.monotonic()
                store.record_rep(session, rep)
                store.flush()
                latency.append(time.monotonic() - began)
                time.sleep(0.005)  # reps come one at a time, not in a burst
    return latency


class _Headless:
    """A `trackside ... --headless` process: control lines in, status lines out."""

    def __init__(self, arguments: list[str], home: Path) -> None:
        env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
               "XDG_DATA_HOME": str(home / "data"), "GPIOZERO_PIN_FACTORY": "mock",
               "SDL_AUDIODRIVER": os.environ.get("SDL_AUDIODRIVER", "dummy")}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "trackside", *arguments], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1, env=env)
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._lines.put(line)

    def first_line(self, timeout_s: float = 20.0) -> str:
        return self._lines.get(timeout=timeout_s)

    def send(self, control: str) -> None:
        assert self._process.stdin is not None
        self._process.stdin.write(control + "\n")
        self._process.stdin.flush()

    def lap_until(self, deadline: float, chance: random.Random) -> float:
        """Send laps until `deadline`, then SIGKILL; the monotonic time of the kill."""
        while (now := time.monotonic()) < deadline and self._process.poll() is None:
            try:
                self.send("lap")
            except BrokenPipeError:
                break  # the session finished by itself
            time.sleep(min(chance.uniform(0.002, 0.02), max(0.0, deadline - now)))
        killed_at = time.monotonic()
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
        return killed_at

    def kill(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait(10)
