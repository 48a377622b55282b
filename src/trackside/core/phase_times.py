"""How long each phase runs on its own clock, and when it ends by itself: one rule for the
engine and the view."""

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


def phase_end(phase: Phase, step: Step | None, started_at: float, lead_in_s: float
              ) -> float | None:
    """When `phase`, begun at `started_at`, ends by itself (a range at its top); None: only
    an input ends it (a set break past its minimum waits for a press)."""
    top = ranged_top_s(phase, step)
    if top is not None:
        return started_at + top
    if phase is Phase.SET_BREAK:
        return None
    length = phase_length_s(phase, step, lead_in_s)
    return None if length is None else started_at + length
