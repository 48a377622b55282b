"""Wall-clock time for a session: when, by the calendar, something happened, and how sure we are.

Rules:
  1. Durations come from the monotonic clock, always. Wall time is a label: an anchor pairs
     one monotonic moment with the wall-clock time then, and any monotonic stamp of the same
     boot (the same monotonic clock) maps through it.
  2. Every anchor says where its wall time came from. A Pi has no real-time clock and at the
     track no network, so its date can be days off: the system clock while synchronised
     beats a phone's clock, which beats the system clock unsynchronised.
  3. A better anchor on the same boot replaces a worse one: wall times move, durations never
     (they do not depend on the anchor).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum


class ClockSource(Enum):
    """Where a wall-clock time came from, worst first."""

    UNSYNCHRONISED = "unsynchronised"  # the system clock, not known to be right
    PHONE = "phone"  # a paired phone's clock, sent when it connected
    SYNCHRONISED = "synchronised"  # the system clock, synchronised (NTP)

    def better_than(self, other: ClockSource) -> bool:
        return _RANK.index(self) > _RANK.index(other)


_RANK = list(ClockSource)


@dataclass(frozen=True, slots=True)
class WallAnchor:
    """The wall-clock time `wall` (timezone-aware) at monotonic second `mono_s`."""

    wall: datetime
    mono_s: float
    source: ClockSource

    def wall_at(self, mono_s: float) -> datetime:
        """The wall-clock time at another monotonic second of the same boot."""
        return self.wall + timedelta(seconds=mono_s - self.mono_s)

    def taken_at(self, mono_s: float) -> WallAnchor:
        """The same anchor, as if taken at another monotonic second of the same boot."""
        return WallAnchor(self.wall_at(mono_s), mono_s, self.source)

    def mono_at(self, wall: datetime) -> float:
        """The monotonic second of the same boot when the wall clock read `wall`."""
        return self.mono_s + (wall - self.wall).total_seconds()
