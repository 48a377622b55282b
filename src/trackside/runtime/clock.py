"""Clocks: the real monotonic one, a fake one for tests, a scaled one for demos.

Every interval in Trackside is measured on one of these; wall time is only a label.
`wait` blocks on a condition until it is notified or the clock reaches `until`, so the
main loop sleeps to an absolute deadline on whichever clock it runs.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Monotonic seconds."""
        ...

    def wait(self, condition: threading.Condition, until: float) -> None:
        """Wait on `condition` (held by the caller) until notified or `until` is reached."""
        ...


class MonotonicClock:
    """The real clock: `time.monotonic`, never stepped by NTP."""

    def now(self) -> float:
        return time.monotonic()

    def wait(self, condition: threading.Condition, until: float) -> None:
        remaining = until - time.monotonic()
        if remaining > 0:
            condition.wait(remaining)


@dataclass
class FakeClock:
    """Time moves only when told: waiting jumps straight to the deadline."""

    t: float = 0.0

    def now(self) -> float:
        return self.t

    def wait(self, condition: threading.Condition, until: float) -> None:
        self.t = max(self.t, until)

    def advance(self, seconds: float) -> None:
        self.t += seconds


@dataclass
class ScaledClock:
    """Real time sped up `speed` times, for the demo: a session in a minute."""

    speed: float
    _origin: float = field(default_factory=time.monotonic, init=False)

    def now(self) -> float:
        return (time.monotonic() - self._origin) * self.speed

    def wait(self, condition: threading.Condition, until: float) -> None:
        remaining = (until - self.now()) / self.speed
        if remaining > 0:
            condition.wait(remaining)
