"""The hand-off from the main loop to the phones: the newest state, and a queue per phone.

Rules for this module:
  1. `publish` runs on the main thread, every pass. It keeps a reference to the view (a
     frozen value) and the moment it was published; only when something a phone shows has
     changed does it wake the server's loop, at most once until that wake has run. It
     never blocks, and what it holds does not grow.
  2. The server's loop builds the message once per change and offers it to every phone.
     A phone holds at most `PHONE_QUEUE` messages: one that falls behind (a slow link, a
     phone in a pocket) is dropped, never waited for; its browser reconnects by itself.
  3. A message is the whole state, so a phone that missed one is right with the next.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from trackside.core.events import Effect, ForgetPhones
from trackside.core.group_readout import group_lines
from trackside.core.view import View
from trackside.runtime.clock import Clock
from trackside.web.snapshot import snapshot

log = logging.getLogger(__name__)

PHONE_QUEUE = 8  # messages a phone may fall behind by before it is dropped


@dataclass(frozen=True, slots=True)
class Published:
    view: View
    at: float  # the Pi's monotonic clock when it was published
    idle: bool
    seq: int


class Phone:
    """One phone's stream, on the server's loop."""

    def __init__(self) -> None:
        self._messages: deque[str] = deque()
        self._ready = asyncio.Event()
        self.dropped = False

    def offer(self, message: str) -> None:
        if len(self._messages) >= PHONE_QUEUE:
            self.dropped = True  # behind by too much: let it reconnect and catch up
        else:
            self._messages.append(message)
        self._ready.set()

    async def next(self) -> str | None:
        """The next message, or None once the phone was dropped or the server closes."""
        while not self._messages and not self.dropped:
            self._ready.clear()
            await self._ready.wait()
        return None if self.dropped else self._messages.popleft()


class Hub:
    """A loop subscriber (main thread) and the phones' fan-out (the server's loop)."""

    def __init__(self, clock: Clock, idle: Callable[[], bool],
                 forget: Callable[[], None] = lambda: None) -> None:
        self._clock = clock
        self._idle = idle  # called on the main thread: may read the engine
        self._forget = forget  # a long hold before the first press: every phone pairs again
        self._latest: Published | None = None
        self._key: tuple[object, ...] | None = None
        self._seq = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake_pending = False
        self._phones: set[Phone] = set()
        self._message: str | None = None  # the newest, as sent
        self._sent_seq = -1

    # --- the main thread ----------------------------------------------------------

    def publish(self, view: View, effects: Sequence[Effect]) -> None:
        if any(isinstance(effect, ForgetPhones) for effect in effects):
            self._forget()
        idle = self._idle()
        key = _shown(view, idle)
        if key == self._key and not effects:
            return
        self._key = key
        self._seq += 1
        self._latest = Published(view, self._clock.now(), idle, self._seq)
        if not self._wake_pending and self._loop is not None:
            self._wake_pending = True
            try:
                self._loop.call_soon_threadsafe(self._send)
            except RuntimeError:  # the server's loop has closed: nobody to tell
                self._wake_pending = False

    @property
    def latest(self) -> Published | None:
        return self._latest

    # --- the server's loop --------------------------------------------------------

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Called on the server's loop as it starts."""
        self._loop = loop

    def message(self) -> str | None:
        """The newest state as JSON (built once per change)."""
        latest = self._latest
        if latest is None:
            return None
        if latest.seq != self._sent_seq:
            state = snapshot(latest.view, latest.at, latest.idle)
            self._message = json.dumps({"seq": latest.seq, **state}, separators=(",", ":"))
            self._sent_seq = latest.seq
        return self._message

    def join(self) -> Phone:
        phone = Phone()
        self._phones.add(phone)
        if (message := self.message()) is not None:
            phone.offer(message)
        return phone

    def leave(self, phone: Phone) -> None:
        self._phones.discard(phone)

    @property
    def phones(self) -> int:
        return len(self._phones)

    def close(self) -> None:
        """End every stream (on the server's loop, as it stops)."""
        for phone in list(self._phones):
            phone.dropped = True
            phone.offer("")
        self._phones.clear()

    def _send(self) -> None:
        self._wake_pending = False  # first: a publish from now on wakes us again
        message = self.message()
        if message is None:
            return
        for phone in list(self._phones):
            phone.offer(message)
            if phone.dropped:
                log.info("a phone fell %d messages behind: dropped", PHONE_QUEUE)
                self._phones.discard(phone)


def _shown(view: View, idle: bool) -> tuple[object, ...]:
    """Everything a phone shows but the running clock: a change here is worth a push. A
    group's part changes by itself too (a call's count, 'BEN GO' leaving): pushed as it does,
    within the loop's pass."""
    group = group_lines(view) if view.group is not None else None
    return (view.plan_name, view.phase, view.paused_phase, view.rep_index, view.set_no,
            view.prompt, view.top_s, len(view.results), view.sensor, view.notice,
            view.resumed, view.overtime_s is None, view.counting_down, view.outcome, idle,
            group)
