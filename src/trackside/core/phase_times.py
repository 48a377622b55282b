"""How long each phase runs on its own clock: one rule for the engine and the view."""

from __future__ import annotations

from trackside.core.events import Phase
from trackside.core.schedule import Step

# Phases that count down the length of their step (a set break: its minimum).
COUNTDOWNS = (Phase.WARMUP, Phase.LEAD_IN, Phase.REST, Phase.SET_BREAK, Phase.COOLDOWN)


def phase_length_s(phase: Phase, step: Step | None, lead_in_s: float) -> float | None:
    """How long `phase` runs on its own clock (a range: its minimum); None: until an input."""
    if phase is Phase.LEAD_IN:
        return lead_in_s
    if step is not None and phase in (*COUNTDOWNS, Phase.REP):
        return step.duration_s
    return None


def ranged_top_s(phase: Phase, step: Step | None) -> float | None:
    """A range's top (`sb3:00-4:00`, `wu15:00-20:00`): when `phase` ends by itself, from its
    start; None for a phase without a range."""
    if step is None or phase not in COUNTDOWNS:
        return None
    return step.max_s
