"""The phone page's figures: push latency to a browser's DOM, the countdown on the phone beside
the timer's own, the cues with ten phones against none, the CPU and memory the server adds,
and fifty phones connecting and dropping through a session.

The real Loop, the real PhonePage (hub, pairing, uvicorn on its thread) on loopback, the real
clock. The browser is Debian's chromium driven by Playwright (skipped with a note where it
is absent); the other phones are plain SSE clients in a process of their own
(`phone_clients`), so the timer's process carries only the server's cost.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from trackside.app import phone_page
from trackside.bench.result import Figure, Result, Spread
from trackside.bench.rig import CueTimes, cpu_share, run_for, session
from trackside.bench.suite import Options
from trackside.config import WebConfig
from trackside.core.events import (
    Command,
    Commanded,
    Crossing,
    CueDue,
    Effect,
    Input,
    Phase,
    PhaseStarted,
    QuitRequested,
    RepRecorded,
    Source,
)
from trackside.core.settings import EngineSettings
from trackside.runtime.clock import MonotonicClock
from trackside.runtime.loop import Loop
from trackside.web.page import PhonePage
from trackside.web.server import PlanOptions

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
_CUE_PLAN = "100x5s r5"  # 8 cues every 10 s, as in cue_onset
_LAP_PLAN = "100x100m r4"  # a lap ends each rep; a 4 s rest counts down 4-3-2-1
_MS = 1000.0
_OBSERVE = """() => {
  window.bench = {rows: [], ticks: []};
  const stamp = () => performance.timeOrigin + performance.now();
  new MutationObserver(() => {
    const n = document.querySelectorAll('#reps tr').length;
    while (window.bench.rows.length < n) window.bench.rows.push(stamp());
  }).observe(document.getElementById('reps'), {childList: true});
  new MutationObserver(() => window.bench.ticks.push(
      [document.getElementById('clock').textContent, stamp()])
  ).observe(document.getElementById('clock'), {childList: true, characterData: true,
                                                subtree: true});
}"""


@dataclass
class _Stamped:
    """A Recorder that notes the wall clock (epoch s) when each effect was carried out."""

    effects: list[tuple[Effect, float]] = field(default_factory=list)
    problem: str | None = None  # it never fails to keep one

    def input(self, item: Input) -> None:
        pass

    def effect(self, effect: Effect, driven_at: float | None) -> None:
        self.effects.append((effect, time.time()))


@contextmanager
def serving(loop: Loop) -> Iterator[PhonePage]:
    """The phone page on loopback for `loop`, as the app opens it; the loop runs on a thread
    (the caller drives phones and inputs) until the block ends."""
    page = phone_page(WebConfig(enabled=True, host="127.0.0.1", port=0), PlanOptions(), loop,
                      None)
    runner = threading.Thread(target=loop.run, name="timer", daemon=True)
    loop.run_once(until=loop.clock.now())  # the first frame, then the server
    page.start()
    runner.start()
    try:
        yield page
    finally:
        loop.inbox.put(QuitRequested(loop.clock.now()))
        runner.join(10)
        page.close()


@contextmanager
def phones(url: str, count: int, seconds: float, churn: bool = False) -> Iterator[None]:
    """`count` SSE phones in a process of their own for `seconds` (bounded)."""
    command = [sys.executable, "-m", "trackside.bench.phone_clients", url, "--clients",
               str(count), "--seconds", str(seconds)] + ["--churn"] * churn
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(min(0.4, seconds / 4))  # connected before anything is measured
        yield
    finally:
        try:
            process.communicate(timeout=seconds + 10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def laps(loop: Loop, seconds: float, each: Callable[[], None] = lambda: None) -> int:
    """Cross the line soon after each GO for `seconds` (the loop runs on its thread);
    `each` is called between looks. Returns the laps sent."""
    sent, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.3)
        if loop.engine.phase is Phase.REP:  # a distance rep: it runs until the line
            time.sleep(0.3)  # past the minimum lap after GO
            loop.inbox.put(Crossing(loop.clock.now(), raw="bench"))
            sent += 1
        each()
    return sent


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(options: Options) -> Result:
    figures, notes = [], []
    figures += _cues_and_cost(options)
    figures += _churn(options, quiet=figures[1].spread)
    if CHROMIUM.exists():
        figures += _in_a_browser(options)
    else:
        notes.append("no /usr/bin/chromium: push latency and countdown agreement not measured")
    return Result("phones", "The phone page", tuple(figures), tuple(notes))


def _cue_delays(played: list[tuple[object, float]], effects: list[tuple[Effect, float]]
                ) -> list[float]:
    """How late each cue was played: its player's time minus its due time, in order."""
    cues = [effect for effect, _ in effects if isinstance(effect, CueDue)]
    return [at - cue.due for cue, (_, at) in zip(cues, played, strict=False)]


def _cues_and_cost(options: Options) -> list[Figure]:
    """Cue onset, CPU and RSS: no page, the page with no phone, the page with ten phones."""
    stretch = 3.0 if options.quick else 30.0
    clock = MonotonicClock()
    before = rss_mb()
    bare_cpu = cpu_share(lambda: run_for(session(_CUE_PLAN, clock), stretch))  # no page
    player, seen = CueTimes(), _Stamped()
    loop = session(_CUE_PLAN, clock, settings=EngineSettings(lead_in_s=1.0), players=[player])
    loop.sinks.add_recorder(seen, "BENCH")
    turns: dict[bool, list[tuple[int, int, float]]] = {False: [], True: []}
    with serving(loop) as page:
        time.sleep(1.0)  # the server's imports: not part of its idle cost
        idle_cpu = cpu_share(lambda: time.sleep(stretch))  # at READY, nobody watching
        idle_rss = ten_rss = rss_mb()
        loop.inbox.put(Commanded(clock.now(), Command.PRESS, Source.REMOTE))
        for turn in range(4):  # alternate, so a neighbour's load falls on both alike
            with_phones, first = turn % 2 == 1, len(player.played)
            if with_phones:
                with phones(page.address or "", 10, stretch + 1.5):
                    cpu = cpu_share(lambda: time.sleep(stretch))
                    ten_rss = max(ten_rss, rss_mb())
            else:
                cpu = cpu_share(lambda: time.sleep(stretch))
            turns[with_phones].append((first, len(player.played), cpu))
    delays = _cue_delays(player.played, seen.effects)
    none, ten = (Spread.of([d for a, b, _ in turns[key] for d in delays[a:b]]).scaled(_MS)
                 for key in (False, True))
    cpu_none, cpu_ten = (sum(c for *_, c in turns[key]) / 2 for key in (False, True))
    goal = none.p99 + 1.0
    return [
        Figure(f"cue onset, 10 phones ({ten.count} cues)", "ms", ten, reference=none.p99,
               reference_name="no phone, same run (p99)",
               goal=f"p99 <= no phone + 1 ms ({goal:.2f})", passed=ten.p99 <= goal),
        Figure(f"cue onset, no phone ({none.count} cues)", "ms", none),
        Figure("CPU added by the page, nobody watching (READY)", "% core", None,
               value=(idle_cpu - bare_cpu) * 100, reference=bare_cpu * 100,
               reference_name="the timer alone at READY", goal="<= 1 %",
               passed=idle_cpu - bare_cpu <= 0.01),
        Figure("CPU added by 10 phones watching a session", "% core", None,
               value=(cpu_ten - cpu_none) * 100, reference=cpu_none * 100,
               reference_name="the same session, no phone", goal="<= 3 %",
               passed=cpu_ten - cpu_none <= 0.03),
        Figure("RSS added by the page (its imports, its thread)", "MB", None,
               value=idle_rss - before, reference=before, reference_name="the process before",
               goal="<= 30 MB", passed=idle_rss - before <= 30),
        Figure("RSS added by 10 phones", "MB", None, value=ten_rss - idle_rss,
               reference=idle_rss, reference_name="the page, nobody watching", goal="<= 5 MB",
               passed=ten_rss - idle_rss <= 5),
    ]


def _churn(options: Options, quiet: Spread | None) -> list[Figure]:
    """Fifty phones connecting and dropping through a session of laps: cues, reps, memory."""
    seconds = 8.0 if options.quick else 60.0
    clock = MonotonicClock()
    player, seen = CueTimes(), _Stamped()
    loop = session(_LAP_PLAN, clock, settings=EngineSettings(lead_in_s=1.0, min_lap_s=0.2),
                   players=[player])
    loop.sinks.add_recorder(seen, "BENCH")
    memory: list[float] = []
    with serving(loop) as page:
        loop.inbox.put(Commanded(clock.now(), Command.PRESS, Source.REMOTE))
        with phones(page.address or "", 50, seconds, churn=True):
            sent = laps(loop, seconds - 1.0, lambda: memory.append(rss_mb()))
        left = page.hub.phones
    reps = [effect for effect, _ in seen.effects if isinstance(effect, RepRecorded)]
    delays = Spread.of(_cue_delays(player.played, seen.effects)).scaled(_MS)
    growth = memory[-1] - memory[len(memory) // 3]
    reference = quiet.p99 if quiet else 0.0
    return [
        Figure(f"50 phones churning: cue onset ({delays.count} cues)", "ms", delays,
               reference=reference, reference_name="no phone, same run (p99)",
               goal=f"p99 <= no phone + 2 ms ({reference + 2:.2f})",
               passed=delays.p99 <= reference + 2.0),
        Figure(f"50 phones churning: reps lost of {sent} laps", "reps", None,
               value=sent - len(reps), goal="0", passed=len(reps) == sent),
        Figure("50 phones churning: RSS growth, a third of the way in to the end", "MB",
               None, value=growth, goal="flat: <= 2 MB", passed=growth <= 2.0),
        Figure("50 phones churning: streams still open after", "phones", None,
               value=float(left), goal="0", passed=left == 0),
    ]


def _in_a_browser(options: Options) -> list[Figure]:
    """A lap's push to the browser's DOM; the phone's countdown beside the timer's seconds."""
    from playwright.sync_api import sync_playwright

    laps = 5 if options.quick else 20
    clock = MonotonicClock()
    seen = _Stamped()
    loop = session(_LAP_PLAN, clock, settings=EngineSettings(lead_in_s=1.0, min_lap_s=0.2))
    loop.sinks.add_recorder(seen, "BENCH")
    epoch = time.time() - time.monotonic()  # the same machine: both clocks, side by side
    with serving(loop) as page, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 360, "height": 800})
        tab.goto(page.address or "")
        tab.wait_for_selector("#reps", state="attached")
        tab.evaluate(_OBSERVE)
        rtt = tab.evaluate("""async () => { const t = [];
            for (let i = 0; i < 20; i++) { const s = performance.now();
              await (await fetch('/api/time', {cache: 'no-store'})).json();
              t.push(performance.now() - s); } return t; }""")
        loop.inbox.put(Commanded(clock.now(), Command.PRESS, Source.REMOTE))
        while sum(isinstance(e, RepRecorded) for e, _ in seen.effects) < laps:
            time.sleep(0.3)
            if loop.engine.phase is Phase.REP:
                loop.inbox.put(Crossing(clock.now(), raw="bench"))
                time.sleep(0.5)
        time.sleep(4.5)  # the last rest counts down
        shown = tab.evaluate("window.bench")
        browser.close()
    pushed = [at for effect, at in seen.effects if isinstance(effect, RepRecorded)]
    latency = Spread.of([(dom / 1000 - at) for dom, at in zip(shown["rows"], pushed,
                                                              strict=False)]).scaled(_MS)
    one_way = Spread.of([value / 2 for value in rtt])
    agreement = Spread.of(_tick_errors(seen.effects, shown["ticks"], epoch)).scaled(_MS)
    return [
        Figure(f"push latency, a lap to the browser's DOM ({latency.count} laps)", "ms",
               latency, reference=one_way.median, reference_name="floor: half a fetch's "
               "round trip, same page (p50)", goal="p99 <= 50 ms", passed=latency.p99 <= 50),
        Figure(f"countdown on the phone vs the timer's seconds ({agreement.count} ticks)",
               "ms", agreement, goal="p99 <= 50 ms", passed=agreement.p99 <= 50),
    ]


def _tick_errors(effects: list[tuple[Effect, float]], ticks: list[list[object]],
                 epoch: float) -> list[float]:
    """When each rest's 3, 2, 1 appeared on the phone, minus when the timer's second began."""
    errors = []
    rests = [effect.at for effect, _ in effects
             if isinstance(effect, PhaseStarted) and effect.phase is Phase.REST]
    for began in rests:
        for shown in (3, 2, 1):
            due = (began + 4.0 - shown + epoch) * _MS
            seen = [at for text, at in ticks if text == str(shown) and abs(at - due) < 500]
            if seen:
                errors.append(abs(min(seen) - due) / _MS)
    return errors
