"""Plans of every kind, a simulated athlete's reps, and a session started from them."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from trackside.adapters.store import NewSession, SessionHandle, SessionStore
from trackside.core.events import RepRecorded, Source
from trackside.core.plan import Plan
from trackside.core.schedule import Schedule, expand
from trackside.core.wall_anchor import ClockSource, WallAnchor

PLANS = {
    "distance": {"name": "4x200m", "blocks": [
        {"reps": 4, "distance": "200m", "target": "30s", "rest": 5}]},
    "timed": {"name": "3x20s hill", "blocks": [{"reps": 3, "duration": "20s", "rest": 10}]},
    "count": {"name": "2x10 squats", "blocks": [
        {"reps": 2, "count": 10, "label": "squat", "rest": 30}]},
    "segmented": {"name": "300+100", "lap": 200, "blocks": [
        {"sets": 2, "reps": 2, "rest": 60, "set_break": "3min", "segments": [
            {"distance": "300m", "target": "48s"}, {"distance": "100m", "target": "14s"}]}]},
}
STARTED = datetime(2026, 5, 2, 17, 30, tzinfo=UTC)


def plan(kind: str) -> Plan:
    return Plan.model_validate(PLANS[kind])


def athlete_reps(schedule: Schedule, start_at: float = 1000.0) -> list[RepRecorded]:
    """What the engine would record: a little off target, slowing down, rests between."""
    reps, at = [], start_at
    for step in schedule.reps:
        if step.duration_s is not None:
            seconds, source, target = step.duration_s, Source.TIME, None
        elif step.count is not None:
            seconds, source, target = 25.0 + step.rep_index, Source.BUTTON, None
        else:
            target = step.target_s
            seconds, source = (target or 60.0) + 0.3 * step.rep_index - 0.5, Source.BEAM
        distance = step.distance_m or 0.0
        splits = tuple(seconds * metres / distance for metres in step.crossing_m[:-1])
        reps.append(RepRecorded(set_no=step.set_no, rep_no=step.rep_no, index=step.rep_index,
                                started_at=at, ended_at=at + seconds, target_s=target,
                                splits_s=splits, source=source))
        at += seconds + 30.0
    return reps


def at_the_track() -> WallAnchor:
    """The wall clock of the tests: STARTED at monotonic 0, as a Pi with no network has it."""
    return WallAnchor(STARTED, 0.0, ClockSource.UNSYNCHRONISED)


def open_store(path: Path, **options: Any) -> SessionStore:
    """The store as a run opens it, on the tests' wall clock; retries after 10 to 50 ms."""
    return SessionStore.open(path, **{"wall_clock": at_the_track, "retry_s": (0.01, 0.05),
                                      **options})


def start(store: SessionStore, kind: str, spec: str | None = None
          ) -> tuple[SessionHandle, list[RepRecorded]]:
    """A session of a plan of `kind`, started at monotonic 0; returns its handle (its `id`
    is known once flushed) and the reps an athlete would run."""
    the_plan = plan(kind)
    schedule = expand(the_plan)
    session = store.start_session(
        NewSession.of(spec or f"plans/{kind}.toml", the_plan, schedule), started_mono=0.0)
    return session, athlete_reps(schedule)


def started(store: SessionStore, kind: str) -> tuple[SessionHandle, list[RepRecorded]]:
    """`start`, and its row on disk (its `id` is known)."""
    session, reps = start(store, kind)
    store.flush()
    assert session.id is not None
    return session, reps


@contextmanager
def mounted(target: Path, *how: str) -> Iterator[Path]:
    """`mount *how target` for the block (skips the test without root or permission)."""
    if os.geteuid() != 0:
        pytest.skip("mounting needs root")
    target.mkdir(exist_ok=True)
    done = subprocess.run(["mount", *how, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=True)
