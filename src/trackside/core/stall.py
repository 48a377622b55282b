"""A stall: the caller came back more than a moment (`EngineSettings.late_s`) after something
was due. The timer says what it passed rather than pretend (core.engine rule 7).

Rules for this module:
  1. Pure: `now` is the latest moment the caller has come to, handed in, never read.
  2. A cue due more than a moment before `now` is missed (`CueMissed`), never sounded: a
     burst of stale beeps would mislead.
  3. A GO more than a moment late starts its rep when it sounds, `now`, and says how late
     it was; under a moment it starts at its own time (a late wake-up shifts nothing).
  4. One watch per engine: a group's lanes use the engine's (core.group_run), so an
     athlete's GO is heard as a session of one's is.
"""

from __future__ import annotations

from dataclasses import dataclass

from trackside.core.events import CueDue, CueMissed, Effect


@dataclass
class StallWatch:
    late_s: float  # a moment, on the run's clock
    now: float = float("-inf")  # the latest moment the caller has come to

    def came_to(self, now: float) -> None:
        self.now = max(self.now, now)

    def heard(self, effects: list[Effect]) -> list[Effect]:
        """`effects` with every cue a stall passed missed, not sounded (rule 2)."""
        late = self.now - self.late_s
        return [CueMissed(e.cue, e.due, self.now, e.count, e.name)
                if isinstance(e, CueDue) and e.due < late else e for e in effects]

    def late_start_s(self, due: float) -> float:
        """How late a GO due at `due` sounds: 0 unless a stall passed it (rule 3); the rep
        then starts at `due` plus this."""
        return self.now - due if self.now - due > self.late_s else 0.0
