"""Small helpers for engine transcripts: build a plan from a dict, press, hold, cross."""

from __future__ import annotations

from typing import Any

from trackside.core.engine import Engine
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Crossing,
    CueDue,
    Effect,
    Input,
    PhaseStarted,
    RepRecorded,
)
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.core.settings import EngineSettings


def engine_for(*blocks: dict[str, Any], settings: EngineSettings = EngineSettings(),
               **plan: Any) -> Engine:
    return Engine(expand(Plan.model_validate({"name": "test", **plan, "blocks": blocks})),
                  settings)


def feed(engine: Engine, item: Input) -> list[Effect]:
    """What the main loop does with one input: advance to its stamp, then hand it over."""
    return engine.advance(item.at) + engine.handle(item)


def press(engine: Engine, at: float, hold_s: float = 0.1) -> list[Effect]:
    return feed(engine, ButtonPressed(at)) + feed(engine, ButtonReleased(at + hold_s))


def cross(engine: Engine, at: float) -> list[Effect]:
    return feed(engine, Crossing(at))


def phases(effects: list[Effect]) -> list[tuple[str, float]]:
    return [(e.phase.value, e.at) for e in effects if isinstance(e, PhaseStarted)]


def cues(effects: list[Effect]) -> list[tuple[str, float]]:
    return [(e.cue.value, e.due) for e in effects if isinstance(e, CueDue)]


def reps(effects: list[Effect]) -> list[RepRecorded]:
    return [e for e in effects if isinstance(e, RepRecorded)]
