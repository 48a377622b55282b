"""One session as the loop's durable record: every input, every rep, the end.

Rules for this module:
  1. A new session is written when it starts (the engine's SessionStarted): inputs handled
     before that (the press that starts it among them) wait in memory, a bounded few, and
     go in right after it. Quit at READY and nothing was written.
  2. Nothing shows a rep before it is on disk: the loop has already driven the moment's
     cues, then calls `settle`, which waits (bounded) for the rep's commit (a group's rep
     not seen, too).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from trackside.adapters.store import SessionStore
from trackside.adapters.store_writes import NewSession, SessionHandle
from trackside.core.events import (
    Effect,
    Input,
    MarkJudged,
    RepMissed,
    RepRecorded,
    RepStopped,
    SessionFinished,
    SessionStarted,
)

EARLY_INPUTS = 200  # inputs kept from before the start (the start press, a little noise)


class SessionRecorder:
    """Records into `session`: a resumed session's handle, or a new one to start.

    `mono_ns` is read as each input is recorded, just after the loop handled it; minus the
    input's own stamp, it is how long the input waited for the loop.
    """

    def __init__(self, store: SessionStore, session: SessionHandle | NewSession, *,
                 mono_ns: Callable[[], int] = time.monotonic_ns) -> None:
        self.store = store
        self._new = session if isinstance(session, NewSession) else None
        self.session = session if isinstance(session, SessionHandle) else None
        self._mono_ns = mono_ns
        self._early: deque[tuple[Input, int]] = deque(maxlen=EARLY_INPUTS)
        self._unsettled = False  # a rep was handed over since the last `settle`

    @property
    def problem(self) -> str | None:
        return self.store.problem

    def input(self, item: Input) -> None:
        if self.session is None:
            self._early.append((item, self._mono_ns()))
        else:
            self.store.record_input(self.session, item, self._mono_ns())

    def effect(self, effect: Effect, driven_at: float | None) -> None:
        match effect:
            case SessionStarted(at=at) if self.session is None and self._new is not None:
                self.session = self.store.start_session(self._new, at)
                for item, mono_ns in self._early:
                    self.store.record_input(self.session, item, mono_ns)
                self._early.clear()
            case RepRecorded() if self.session is not None:
                self.store.record_rep(self.session, effect)
                self._unsettled = True
            case RepStopped() if self.session is not None:
                self.store.record_stopped_rep(self.session, effect)
            case MarkJudged() if self.session is not None:
                self.store.record_mark(self.session, effect)
            case RepMissed() if self.session is not None:
                self.store.record_missed(self.session, effect)
                self._unsettled = True
            case SessionFinished(at=at, outcome=outcome) if self.session is not None:
                self.store.finish(self.session, outcome, at)

    def settle(self, timeout_s: float) -> None:
        """Wait, at most `timeout_s`, until every rep handed over is committed."""
        if self._unsettled:
            self._unsettled = False
            self.store.flush(timeout_s)
