"""Which cues a phase sounds, and when. Pure: a phase, its step and its times in, cues out.

Rules:
  1. Every countdown that leads to a rep (a rest, the lead-in) warns at ten seconds and
     counts the last three; the rep itself starts with GO (the engine adds it on entry).
  2. A set break warns ten seconds before its minimum and chimes BREAK_OVER at it (from
     then it waits for the button); with a maximum it warns again before that.
  3. A rep sounds its split and kick times; a timed rep counts down its last seconds.
  4. Nothing sounds in the first half second of a phase: it would blur into the cue that
     started the phase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trackside.core.events import Cue, CueDue, Phase
from trackside.core.schedule import Step

if TYPE_CHECKING:
    from trackside.core.engine import EngineSettings

_QUIET_START_S = 0.5


def phase_cues(
    phase: Phase, step: Step | None, start: float, end: float | None, settings: EngineSettings
) -> list[CueDue]:
    """The cues of `phase` begun at `start` (ending at `end`, if it ends on time), in order."""
    cues: list[tuple[float, Cue]] = []
    count_in = [(n, Cue.COUNT) for n in range(1, settings.count_in + 1)]
    if phase is Phase.SET_BREAK and step is not None:
        if step.duration_s:
            minimum = start + step.duration_s
            cues += [(minimum - settings.warning_s, Cue.TEN_SECONDS), (minimum, Cue.BREAK_OVER)]
        if end is not None:
            cues.append((end - settings.warning_s, Cue.TEN_SECONDS))
    elif phase in (Phase.REST, Phase.LEAD_IN) and end is not None:
        cues.append((end - settings.warning_s, Cue.TEN_SECONDS))
        cues += [(end - n, cue) for n, cue in count_in]
    elif phase is Phase.WARMUP and end is not None:
        cues.append((end - settings.warning_s, Cue.TEN_SECONDS))
    elif phase is Phase.REP and step is not None:
        cues += [(start + t, Cue.SPLIT) for t in step.split_times_s]
        cues += [(start + t, Cue.KICK) for t in step.kick_times_s]
        if end is not None:
            cues += [(end - n, cue) for n, cue in count_in]
    return [
        CueDue(cue, due)
        for due, cue in sorted(cues, key=lambda pair: pair[0])
        if due > start + _QUIET_START_S
    ]
