"""One button, three meanings: a press, a hold (pause/resume), a long hold (end the session).

The button's edges become the same `Commanded` values a console line or a phone gives, so
the engine has one path for a gesture whoever made it.

Rules:
  1. A press counts at the moment the button went down (that is the lap time), but is only
     known to be a press when the button comes up before `hold_s`.
  2. A hold fires at down + `hold_s` while the button is still down; a long hold fires at
     down + `long_hold_s`. A release after a hold is not a press.
  3. A release with no press before it (a bounce, a press before the program started) is
     ignored; so is a second press while the button is down. No clock reads: time arrives
     as stamps and `due(now)`.
"""

from __future__ import annotations

from trackside.core.events import Command, Commanded


class ButtonGestures:
    def __init__(self, hold_s: float = 2.0, long_hold_s: float = 5.0) -> None:
        if not 0 < hold_s < long_hold_s:
            raise ValueError("need 0 < hold_s < long_hold_s")
        self._hold_s = hold_s
        self._long_hold_s = long_hold_s
        self._down_at: float | None = None
        self._holds_fired = 0  # 0 none, 1 hold, 2 long hold

    def pressed(self, at: float) -> None:
        if self._down_at is None:
            self._down_at, self._holds_fired = at, 0

    def released(self, at: float) -> list[Commanded]:
        """Gestures completed by a release at `at` (holds due before it come first)."""
        gestures = self.due(at)
        down, fired = self._down_at, self._holds_fired
        self._down_at = None
        if down is not None and fired == 0:
            gestures.append(Commanded(down, Command.PRESS))
        return gestures

    def deadline(self) -> float | None:
        """When the button, if still down, becomes a hold or a long hold."""
        if self._down_at is None or self._holds_fired == 2:
            return None
        return self._down_at + (self._hold_s if self._holds_fired == 0 else self._long_hold_s)

    def due(self, now: float) -> list[Commanded]:
        """Holds whose time has come by `now`, each stamped at its own time."""
        gestures: list[Commanded] = []
        while (when := self.deadline()) is not None and when <= now:
            self._holds_fired += 1
            gestures.append(Commanded(when, Command.HOLD if self._holds_fired == 1
                                      else Command.LONG_HOLD))
        return gestures
