"""The phone page as the app opens it: the pairing, the hub on the loop, the card on the
screen, the server started after the first frame, and what goes wrong said on the screen.

Rules for this module:
  1. `attach` only wires values (no socket, no thread, no import of the HTTP stack), so it
     costs nothing before the first frame; `start` binds the port and starts the server.
  2. A port in use, or a server that dies, never stops the timer: `notice` says so on
     the screen ('PHONE PAGE OFF: port 8080 is in use') and the timer runs on.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from datetime import datetime

from trackside.adapters.store_reader import SessionReader
from trackside.clock import Clock
from trackside.config import WebConfig
from trackside.core.view import PhoneCard
from trackside.inbox import Inbox
from trackside.loop import Loop
from trackside.web.card import WithPhoneCard
from trackside.web.hub import Hub
from trackside.web.pairing import Pairing
from trackside.web.server import PhoneServer, Site, WebUnavailable, listen

log = logging.getLogger(__name__)


def log_phone_clock(wall: datetime, at: float) -> None:
    """A paired phone's wall clock, when nothing anchors the session to it: logged."""
    log.info("a phone's clock read %s when the timer's read %.3f", wall.isoformat(), at)


class PhonePage:
    def __init__(self, settings: WebConfig, clock: Clock, inbox: Inbox, loop: Loop,
                 sessions: SessionReader | None, defaults: dict[str, str],
                 wall_clock: Callable[[datetime, float], None] | None = None) -> None:
        self._settings = settings
        self.pairing = Pairing(time.monotonic)  # a lockout is a real minute, whatever the clock
        self.hub = Hub(clock, idle=lambda: loop.engine.idle, forget=self.pairing.forget)
        self._site = Site(self.hub, self.pairing, inbox.put, clock, sessions, defaults,
                          wall_clock or log_phone_clock)
        self._server: PhoneServer | None = None
        self._problem: str | None = None

    def attach(self, loop: Loop) -> None:
        """Publish to the hub, show the card at READY, say what goes wrong."""
        loop.subscribers.append(self.hub)
        loop.screen = WithPhoneCard(loop.screen, self.card)
        loop.notices.append(self.notice)

    def start(self) -> None:
        """Serve the page (after the first frame). A port in use is said, never raised."""
        settings = self._settings
        # The server's thread runs pure Python (HTTP parsing, JSON) while phones come and go:
        # let the main loop in within 1 ms of a cue's deadline, not the default 5 ms.
        sys.setswitchinterval(0.001)
        try:
            sock = listen(settings.host, settings.port)
        except WebUnavailable as exc:
            self._problem = f"PHONE PAGE OFF: {exc}"
            log.warning("phone page off: %s; the timer runs on", exc)
            return
        self._server = PhoneServer(self._site, sock, settings.host, settings.url)
        self._server.start()
        log.info("phone page on %s", self._server.address)

    @property
    def address(self) -> str | None:
        """What phones open ('http://10.42.0.1:8080'), once the page is served."""
        return self._server.address if self._server is not None else None

    def card(self) -> PhoneCard | None:
        server = self._server
        return server.card() if server is not None and server.problem is None else None

    def notice(self) -> str | None:
        return self._problem or (self._server.problem if self._server else None)

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
