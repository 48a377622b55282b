"""One button, three meanings: a press, a hold (pause/resume), a long hold (end the session).

Rules:
  1. A press counts at the moment the button went down (that is the lap time), but is only
     known to be a press when the button comes up before `hold_s`.
  2. A hold fires at down + `hold_s` while the button is still down; a long hold fires at
     down + `long_hold_s`. A release after a hold is not a press.
  3. A release with no press before it (a bounce, a press before the program started) is
     ignored. No clock reads: time arrives as stamps and `due(now)`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Press:
    at: float  # when the button went down


@dataclass(frozen=True, slots=True)
class Hold:
    at: float  # down + hold_s


@dataclass(frozen=True, slots=True)
class LongHold:
    at: float  # down + long_hold_s


Gesture = Press | Hold | LongHold


class ButtonGestures:
    def __init__(self, hold_s: float = 2.0, long_hold_s: float = 5.0) -> None:
        if not 0 < hold_s < long_hold_s:
            raise ValueError("need 0 < hold_s < long_hold_s")
        self._hold_s = hold_s
        self._long_hold_s = long_hold_s
        self._down_at: float | None = None
        self._holds_fired = 0  # 0 none, 1 hold, 2 long hold

    @property
    def is_down(self) -> bool:
        return self._down_at is not None

    def pressed(self, at: float) -> None:
        if self._down_at is None:
            self._down_at, self._holds_fired = at, 0

    def released(self, at: float) -> list[Gesture]:
        """Gestures completed by a release at `at` (holds due before it come first)."""
        gestures = self.due(at)
        down, fired = self._down_at, self._holds_fired
        self._down_at = None
        if down is not None and fired == 0:
            gestures.append(Press(at=down))
        return gestures

    def deadline(self) -> float | None:
        if self._down_at is None or self._holds_fired == 2:
            return None
        return self._down_at + (self._hold_s if self._holds_fired == 0 else self._long_hold_s)

    def due(self, now: float) -> list[Gesture]:
        """Holds whose time has come by `now`, each stamped at its own time."""
        gestures: list[Gesture] = []
        while (when := self.deadline()) is not None and when <= now:
            self._holds_fired += 1
            gestures.append(Hold(at=when) if self._holds_fired == 1 else LongHold(at=when))
        return gestures
