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

from trackside.core.events import Cue, CueDue, Phase
from trackside.core.schedule import Step
from trackside.core.settings import EngineSettings

_QUIET_START_S = 0.5


def phase_cues(
    phase: Phase, step: Step | None, start: float, end: float | None, settings: EngineSettings
) -> list[CueDue]:
    """The cues of `phase` begun at `start` (ending at `end`, if it ends on time), in order."""
    cues: list[CueDue] = []
    if phase is Phase.SET_BREAK and step is not None:
        if step.duration_s:
            minimum = start + step.duration_s
            cues += [CueDue(Cue.TEN_SECONDS, minimum - settings.warning_s),
                     CueDue(Cue.BREAK_OVER, minimum)]
        if end is not None:
            cues.append(CueDue(Cue.TEN_SECONDS, end - settings.warning_s))
    elif phase in (Phase.REST, Phase.LEAD_IN) and end is not None:
        cues.append(CueDue(Cue.TEN_SECONDS, end - settings.warning_s))
        cues += _count_in(end, settings.count_in)
    elif phase is Phase.WARMUP and end is not None:
        cues.append(CueDue(Cue.TEN_SECONDS, end - settings.warning_s))
    elif phase is Phase.REP and step is not None:
        cues += [CueDue(Cue.SPLIT, start + t) for t in step.split_times_s]
        cues += [CueDue(Cue.KICK, start + t) for t in step.kick_times_s]
        if end is not None:
            cues += _count_in(end, settings.count_in)
    return sorted((cue for cue in cues if cue.due > start + _QUIET_START_S),
                  key=lambda cue: cue.due)


def _count_in(end: float, beeps: int) -> list[CueDue]:
    """3-2-1 before `end`: COUNT cues that know their number."""
    return [CueDue(Cue.COUNT, end - n, count=n) for n in range(beeps, 0, -1)]
