"""The thread-safe queue of inputs, handed out in time order.

Adapter threads (gpiozero callbacks, the serial reader, stdin) stamp an input where they
read it and `put` it here; only the main loop takes them out. An input may carry a time
in the future (a simulated athlete's next crossing): it waits here until its time.
"""

from __future__ import annotations

import heapq
import itertools
import threading

from trackside.core.events import Inbound
from trackside.runtime.clock import Clock


class Inbox:
    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Inbound]] = []
        self._order = itertools.count()  # keeps equal stamps in arrival order
        self._condition = threading.Condition()

    def put(self, item: Inbound) -> None:
        with self._condition:
            heapq.heappush(self._heap, (item.at, next(self._order), item))
            self._condition.notify()

    def take_due(self, now: float) -> list[Inbound]:
        """Every input stamped at or before `now`, oldest first."""
        due: list[Inbound] = []
        with self._condition:
            while self._heap and self._heap[0][0] <= now:
                due.append(heapq.heappop(self._heap)[2])
        return due

    def wait_until(self, until: float, clock: Clock) -> None:
        """Sleep until `until` on `clock`, or until an input is due, whichever is first."""
        with self._condition:
            while True:
                wake = min(until, self._heap[0][0]) if self._heap else until
                if clock.now() >= wake:
                    return
                clock.wait(self._condition, wake)  # a put() wakes us early
