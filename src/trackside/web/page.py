"""The phone page as the app opens it: the pairing, the hub the loop publishes to, the card
for the big screen, the server started after the first frame, and what goes wrong said.

Rules for this module:
  1. Building a PhonePage only wires values (no socket, no thread, no import of the HTTP
     stack), so it costs nothing before the first frame; `start` binds the port and starts
     the server.
  2. A port in use, or a server that dies, never stops the timer: `notice` says so for the
     screens ('PHONE PAGE OFF: port 8080 is in use') and the timer runs on.
  3. A paired phone's wall clock goes to `anchor`, as a phone's clock (the running store's,
     which keeps the better of it and the system clock; without one, it is only logged).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from trackside.adapters.athlete_book import AthleteBook
from trackside.config import WebConfig
from trackside.core.events import Inbound
from trackside.core.view import PhoneCard
from trackside.core.wall_anchor import WallAnchor
from trackside.runtime.clock import Clock
from trackside.web.hub import Hub
from trackside.web.pairing import Pairing
from trackside.web.server import PhoneServer, PlanOptions, Sessions, Site, WebUnavailable, listen

log = logging.getLogger(__name__)


def log_phone_clock(anchor: WallAnchor) -> None:
    """A paired phone's wall clock, when no store keeps it: logged."""
    log.info("a phone's clock read %s when the timer's read %.3f", anchor.wall.isoformat(),
             anchor.mono_s)


class PhonePage:
    def __init__(self, settings: WebConfig, clock: Clock, put: Callable[[Inbound], None],
                 idle: Callable[[], bool], sessions: Sessions | None, options: PlanOptions,
                 anchor: Callable[[WallAnchor], object] = log_phone_clock,
                 athletes: AthleteBook | None = None) -> None:
        """`idle`: whether nothing runs (read on the main thread, as the hub publishes);
        `athletes`: the database's athletes and groups (None: no database)."""
        self._settings = settings
        self.pairing = Pairing(time.monotonic)  # a lockout is a real minute, whatever the clock
        self.hub = Hub(clock, idle, forget=self.pairing.forget)
        self._site = Site(self.hub, self.pairing, put, clock, sessions, options, anchor,
                          athletes)
        self._server: PhoneServer | None = None
        self._problem: str | None = None

    def start(self) -> None:
        """Serve the page (after the first frame). A port in use is said, never raised."""
        settings = self._settings
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
        """How a phone pairs now, for the big screen; None while the page is not served."""
        server = self._server
        return server.card() if server is not None and server.problem is None else None

    def notice(self) -> str | None:
        return self._problem or (self._server.problem if self._server else None)

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
