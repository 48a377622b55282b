"""Fifty phones connecting and dropping through a session, on loopback, bounded in time: every
lap is a rep on disk, every cue is played, and no phone's stream is left behind. (How late
the cues were, and the memory, are `trackside bench --only phones` figures.)"""

from __future__ import annotations

from pathlib import Path

from trackside.adapters.store import NewSession, SessionStore
from trackside.adapters.store_recorder import SessionRecorder
from trackside.bench.phones import laps, phones, serving
from trackside.bench.rig import CueTimes, Seen, session
from trackside.core.events import (
    Command,
    Commanded,
    CueDue,
    RepRecorded,
    Source,
)
from trackside.core.schedule import expand
from trackside.core.settings import EngineSettings
from trackside.plan_source import load_plan
from trackside.runtime.clock import MonotonicClock

SECONDS = 4.0
PLAN = "100x100m r2"


def test_fifty_phones_coming_and_going_lose_no_rep_and_no_cue(tmp_path: Path) -> None:
    clock, player, seen = MonotonicClock(), CueTimes(), Seen()
    loop = session(PLAN, clock, settings=EngineSettings(lead_in_s=0.5, min_lap_s=0.2),
                   players=[player])
    store = SessionStore.open(tmp_path / "trackside.db")
    plan = load_plan(PLAN)
    recorder = SessionRecorder(store, NewSession.of(PLAN, plan, expand(plan)))
    loop.sinks.keep_durably(recorder)
    loop.sinks.add_recorder(seen, "BENCH")
    with serving(loop) as page:
        loop.inbox.put(Commanded(clock.now(), Command.PRESS, Source.REMOTE))
        with phones(page.address or "", 50, SECONDS, churn=True):
            sent = laps(loop, SECONDS - 1.5)
        streams_left = page.hub.phones
    store.close()
    recorded = [effect for effect in seen.effects if isinstance(effect, RepRecorded)]
    assert sent >= 2 and len(recorded) == sent
    assert recorder.session is not None and recorder.session.id is not None
    on_disk = SessionStore.open(tmp_path / "trackside.db").export(recorder.session.id).reps
    assert list(on_disk) == recorded
    cues = [effect for effect in seen.effects if isinstance(effect, CueDue)]
    assert len(player.played) == len(cues)
    assert streams_left == 0
