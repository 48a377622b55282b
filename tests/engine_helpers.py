"""Small helpers for engine transcripts: build a plan from a dict, press, hold, cross, read
the screen."""

from __future__ import annotations

from typing import Any

from trackside.core.engine import Engine
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Crossing,
    CueDue,
    Effect,
    PhaseStarted,
    RepRecorded,
)
from trackside.core.plan import Plan
from trackside.core.readout import content, plain_text, prompt_words
from trackside.core.schedule import expand
from trackside.core.settings import EngineSettings
from trackside.core.view import view_of


def engine_for(*blocks: dict[str, Any], settings: EngineSettings = EngineSettings(),
               **plan: Any) -> Engine:
    return Engine(expand(Plan.model_validate({"name": "test", **plan, "blocks": blocks})),
                  settings)


def walk(engine: Engine, now: float) -> list[Effect]:
    """Advance to `now` as the loop does, waking at every deadline on its way: on time, so
    nothing is missed (a single jump past a deadline is a stall: `engine.advance`)."""
    effects: list[Effect] = []
    while (due := engine.deadline()) is not None and due <= now:
        effects += engine.advance(due)
    return effects + engine.advance(now)


def press(engine: Engine, at: float, hold_s: float = 0.1) -> list[Effect]:
    """A press and its release, the loop on time until then."""
    effects = walk(engine, at) + engine.handle(ButtonPressed(at))
    return effects + walk(engine, at + hold_s) + engine.handle(ButtonReleased(at + hold_s))


def cross(engine: Engine, at: float, **crossing: Any) -> list[Effect]:
    """A crossing at `at`, the loop on time until then."""
    return walk(engine, at) + engine.handle(Crossing(at, **crossing))


def phases(effects: list[Effect]) -> list[tuple[str, float]]:
    return [(e.phase.value, e.at) for e in effects if isinstance(e, PhaseStarted)]


def screen(engine: Engine, now: float) -> str:
    """What the screen says at `now`, as the headless status line prints it."""
    return plain_text(content(view_of(engine, now)))


def prompt(engine: Engine, now: float) -> str:
    """What the screen asks of the athlete at `now`: 'PRESS TO START SET 2', or ''."""
    return prompt_words(view_of(engine, now))


def cues(effects: list[Effect]) -> list[tuple[str, float]]:
    return [(e.cue.value, e.due) for e in effects if isinstance(e, CueDue)]


def reps(effects: list[Effect]) -> list[RepRecorded]:
    return [e for e in effects if isinstance(e, RepRecorded)]
