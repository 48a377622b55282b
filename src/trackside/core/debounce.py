"""Debouncing a button from the stamps of its raw edges.

A mechanical button chatters for a few milliseconds when it closes and opens, and some
GPIO backends report phantom edges (lgpio: gpiozero issue 1090). gpiozero's own
`bounce_time` is ignored by its mock pins and behaves differently on each backend, so
the debounce is ours and runs on stamps alone.

Rules for this module:
  1. A burst is a run of edges each less than `window_s` after the one before. A burst
     settles once `window_s` has passed since its last edge with no further edge.
  2. A settled burst that leaves the button in a new state is one press (or release),
     stamped at the burst's *first* edge: the moment the contacts first met (or parted).
     A burst that ends where it began (a glitch) emits nothing.
  3. Presses and releases alternate: never two presses without a release between them.
  4. No clock reads, sleeps or threads: time arrives as `at` and `now`. The caller asks
     `deadline()` when to call `settle(now)` if no further edge comes.
Holds and long holds are not decided here: the engine reads them from the stamps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trackside.core.events import ButtonPressed, ButtonReleased

ButtonEdge = ButtonPressed | ButtonReleased


@dataclass
class Debouncer:
    """Turns raw edges of one button into clean, alternating presses and releases."""

    window_s: float = 0.01
    _pressed: bool = field(default=False, init=False)  # the settled state
    _level: bool = field(default=False, init=False)  # the raw state after the last edge
    _burst_at: float | None = field(default=None, init=False)  # first edge of the open burst
    _last_edge_at: float = field(default=float("-inf"), init=False)

    def edge(self, pressed: bool, at: float) -> list[ButtonEdge]:
        """A raw edge: the contacts now read `pressed`, seen at `at`."""
        at = max(at, self._last_edge_at)  # stamps from one callback thread never go back
        settled = self.settle(at)
        if pressed == self._level:
            return settled  # a repeated report of the same level is not an edge
        self._level = pressed
        self._last_edge_at = at
        if self._burst_at is None:
            self._burst_at = at
        return settled

    def deadline(self) -> float | None:
        """When the open burst settles if no edge comes first; None with no burst open."""
        return None if self._burst_at is None else self._last_edge_at + self.window_s

    def settle(self, now: float) -> list[ButtonEdge]:
        """Close the open burst if it has been quiet for the whole window by `now`."""
        due = self.deadline()
        if due is None or now < due:
            return []
        burst_at, self._burst_at = self._burst_at, None
        assert burst_at is not None
        if self._level == self._pressed:
            return []  # a glitch: it came back to where it was
        self._pressed = self._level
        return [ButtonPressed(at=burst_at) if self._pressed else ButtonReleased(at=burst_at)]
