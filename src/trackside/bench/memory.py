"""Memory: peak RSS over a 3-hour session with 10,000 crossings, on the fake clock.

A subprocess (`python -m trackside.bench.memory`) runs the product's pieces as the app
wires them: the Loop, the Engine, the window at 1920x1080 (dummy driver) drawing every
change, the session store writing every input and rep to SQLite, and the JSON event log.
The plan is 150 x 400 m @ 60 s with 12 s rests (3 hours); a simulated athlete presses and
ends each rep with a crossing, and stray crossings (other runners, double breaks) come in
between, all judged and logged, until 10,000 crossings have been seen. It reports its peak
RSS (VmHWM), and its RSS a third of the way in and at the end: flat means the end is
no more than 2 MB above the third.

The floor, in the same run: the same subprocess opening the same window, store and log
and drawing one frame, with no session.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from trackside.bench.result import Figure, Result
from trackside.bench.suite import Options

_PLAN = "150x400m @60s r12"
_QUICK_PLAN = "3x400m @60s r12"  # 4 minutes, 300 crossings: the same pattern, shorter
_MIN_LAP_S = 30.0
_FLAT_MB = 2.0
_MB = 1024 * 1024


def run(options: Options) -> Result:
    plan, crossings = (_QUICK_PLAN, 300) if options.quick else (_PLAN, 10_000)
    floor = _child(["--floor"])
    session = _child(["--plan", plan, "--crossings", str(crossings)])
    growth = session["end_mb"] - session["third_mb"]
    return Result("memory", "Memory", (
        Figure(f"peak RSS, {session['hours']:.1f} h session, {session['crossings']} crossings",
               "MB", None, value=session["peak_mb"], reference=floor["peak_mb"],
               reference_name="floor: same process, one frame, no session",
               goal="<= 80 MB", passed=session["peak_mb"] <= 80),
        Figure("RSS growth, a third of the way in to the end", "MB", None, value=growth,
               goal=f"flat: <= {_FLAT_MB:g} MB", passed=growth <= _FLAT_MB),
    ), notes=(f"'{plan}', {session['reps']} reps recorded, {session['passes']} loop passes",))


def _child(arguments: list[str]) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="trackside-bench-") as folder:
        env = {**os.environ, "SDL_VIDEODRIVER": os.environ.get("SDL_VIDEODRIVER", "dummy"),
               "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
        done = subprocess.run(
            [sys.executable, "-m", "trackside.bench.memory", "--folder", folder, *arguments],
            env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"memory child failed: {done.stderr.strip()[-800:]}")
    return json.loads(done.stdout)


# --- the subprocess ----------------------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / _MB


def _peak_mb() -> float:
    """This process's own peak (not getrusage's, which keeps the parent's from before exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / _MB  # kB
    raise RuntimeError("no VmHWM in /proc/self/status")


def _session(folder: Path, plan: str | None, crossings: int) -> dict[str, float]:
    from trackside.adapters.eventlog import EventLog
    from trackside.adapters.store import NewSession, SessionStore
    from trackside.adapters.store_recorder import SessionRecorder
    from trackside.bench.rig import SIZE, open_window, press, session
    from trackside.commands.simulate import SimulatedAthlete
    from trackside.core.events import Crossing, Phase
    from trackside.core.schedule import expand
    from trackside.core.settings import EngineSettings
    from trackside.plan_source import load_plan
    from trackside.runtime.clock import FakeClock

    clock = FakeClock()
    spec = plan or _PLAN
    schedule = expand(load_plan(spec))
    store = SessionStore.open(folder / "memory.db")
    recorder = SessionRecorder(store, NewSession.of(spec, load_plan(spec), schedule))
    events = EventLog.open(str(folder / "events.jsonl"))
    screen = open_window(clock, SIZE)
    loop = session(spec, clock, screen=screen, settings=EngineSettings(min_lap_s=_MIN_LAP_S))
    counts = _Crossings()
    loop.sinks.keep_durably(recorder)
    loop.sinks.add_recorder(events, retry=events.retry)
    loop.sinks.add_recorder(counts, "BENCH")
    try:
        if plan is None:  # the floor: one frame, no session
            loop.run_once(until=clock.now())
            store.flush()
            return {"peak_mb": _peak_mb(), "end_mb": _rss_mb()}
        loop.sinks.add_subscriber(SimulatedAthlete(loop.inbox.put, clock, seed=3), "BENCH")
        press(loop)
        length = schedule.estimated_total_s
        strays = crossings - len(schedule.reps)  # the athlete crosses once a rep
        stray_gap = length / strays * 0.5  # strays only come outside a rep's last half
        next_stray, third_mb, passes = 1.0, None, 0
        while not loop.done:
            loop.run_once(until=next_stray)
            passes += 1
            if third_mb is None and clock.now() >= length / 3:
                store.flush()
                third_mb = _rss_mb()
            if clock.now() >= next_stray:
                in_finish = (loop.engine.phase is Phase.REP
                             and clock.now() - loop.engine.started_at > _MIN_LAP_S - 2)
                if not in_finish and strays > 0:
                    loop.inbox.put(Crossing(at=next_stray, raw="stray"))
                    strays -= 1
                next_stray += stray_gap
        store.flush()
        return {"peak_mb": _peak_mb(), "third_mb": third_mb, "end_mb": _rss_mb(),
                "hours": clock.now() / 3600, "reps": len(loop.engine.results),
                "passes": passes, "crossings": counts.seen}
    finally:
        screen.close()
        events.close()
        store.close()


class _Crossings:
    """A recorder that counts the crossings the loop handed to the engine."""

    seen = 0
    problem = None  # counting never fails

    def input(self, item: object) -> None:
        from trackside.core.events import Crossing

        if isinstance(item, Crossing):
            self.seen += 1

    def effect(self, effect: object, driven_at: float | None) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", required=True)
    parser.add_argument("--floor", action="store_true")
    parser.add_argument("--plan")
    parser.add_argument("--crossings", type=int, default=10_000)
    args = parser.parse_args()
    print(json.dumps(_session(Path(args.folder), None if args.floor else args.plan,
                              args.crossings)))


if __name__ == "__main__":
    main()
