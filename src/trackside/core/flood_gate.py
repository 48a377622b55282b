"""Keeping a flooding sensor from flooding the app.

A sensor stuck toggling, or wired to the wrong baud rate, can send thousands of lines a
second. The engine's lockout would reject those crossings anyway; the gate keeps them from
reaching the inbox, the event log and the main thread at all, and counts what it dropped.

Rules: a token bucket on the caller's clock (`now` is a parameter); a burst of `burst` lines
always passes, then `rate` lines a second. Pure: no clock reads, no threads.
"""

from __future__ import annotations


class FloodGate:
    def __init__(self, rate: float = 50.0, burst: float = 100.0) -> None:
        self.rate = rate
        self._burst = burst
        self._tokens = burst
        self._last: float | None = None
        self._dropped = 0

    def admit(self, now: float) -> bool:
        if self._last is not None:
            self._tokens = min(self._burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        self._dropped += 1
        return False

    def take_dropped(self) -> int:
        """How many lines were dropped since the last call."""
        dropped, self._dropped = self._dropped, 0
        return dropped
