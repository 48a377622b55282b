"""The phone page's server: uvicorn on a thread of its own, and the address phones open.

Rules for this module:
  1. The caller's thread only binds the socket (so a port in use is known at once and said
     on the screen) and starts the thread; uvicorn and Starlette are imported on that
     thread, after the first frame, so they add nothing to start-up.
  2. The thread runs its own asyncio loop. If it ever dies, `problem` says so for the
     screen and the timer runs on without it.
  3. `close` ends every phone's stream, stops uvicorn and waits a bounded time.
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import logging
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from trackside.adapters.athlete_book import AthleteBook
from trackside.adapters.store_reader import SessionExport, SessionRow
from trackside.core.events import Inbound
from trackside.core.group import DOUBLE_BREAK_S
from trackside.core.view import PhoneCard
from trackside.core.wall_anchor import WallAnchor
from trackside.runtime.clock import Clock
from trackside.web.hub import Hub
from trackside.web.pairing import Pairing

log = logging.getLogger(__name__)

STOP_WAIT_S = 3.0
RECHECK_S = 5.0  # how often the address phones open is looked at again
_SIOCGIFADDR = 0x8915  # Linux: an interface's IPv4 address
EVERY_ADDRESS = ("", "0.0.0.0", "::")  # a host that serves on every address


class Sessions(Protocol):
    """The saved sessions, read on the server's thread (each read opens its own connection)."""

    def history(self) -> list[SessionRow]: ...
    def export(self, session_id: int) -> SessionExport: ...


@dataclass(frozen=True)
class PlanOptions:
    """What a phone's plan is read with, as `run` reads its PLAN: the config's references
    (they fill in the form; the phone may change them) and the track's lap."""

    pace: str = ""
    max_speed: str = ""
    lap_m: float = 400.0
    double_break_s: float = DOUBLE_BREAK_S  # a group's: one body's breaks closer than this


@dataclass(frozen=True)
class Site:
    """What the page needs from the timer."""

    hub: Hub
    pairing: Pairing
    put: Callable[[Inbound], None]  # the inbox's
    clock: Clock
    sessions: Sessions | None  # None: this run keeps no database
    options: PlanOptions
    # A paired phone's wall clock, as an anchor on the timer's clock: a wall-clock source for
    # the session (a Pi has no real-time clock and may have no network).
    anchor: Callable[[WallAnchor], object]
    athletes: AthleteBook | None = None  # the athletes and groups (None: no database)


class WebUnavailable(OSError):
    """The page cannot be served here (the port is taken, the address is not ours)."""


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port ('::' serves IPv4 too), or WebUnavailable."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, so asyncio turns Nagle off on each connection (it checks the
    # protocol): without it every answer on a kept-alive connection waited 40 ms for an ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise WebUnavailable(_why(exc, host, port)) from None
    return sock


def _why(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is in use (another program, or another trackside)"
    if exc.errno == errno.EACCES:
        return f"port {port} needs root: use 1024 or above"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this machine (is the hotspot up?)"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def phone_address(host: str, port: int, url: str | None = None) -> str:
    """What a phone opens: the configured URL, else this machine's Wi-Fi address first."""
    if url:
        return url.rstrip("/")
    if host not in EVERY_ADDRESS:
        return http_url(host, port)
    addresses = sorted(_interface_addresses(), key=lambda item: not item[0].startswith("wl"))
    return f"http://{addresses[0][1] if addresses else socket.gethostname() + '.local'}:{port}"


def http_url(host: str, port: int) -> str:
    """'http://10.42.0.1:8080', 'http://[fd00::1]:8080'."""
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def _interface_addresses() -> list[tuple[str, str]]:
    """(interface, IPv4 address) of every interface that has one, loopback left out."""
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:  # never sends a thing
        for _, name in socket.if_nameindex():
            try:
                packed = fcntl.ioctl(probe.fileno(), _SIOCGIFADDR,
                                     struct.pack("256s", name[:15].encode()))
            except OSError:  # no IPv4 address on it
                continue
            address = socket.inet_ntoa(packed[20:24])
            if not address.startswith("127."):
                found.append((name, address))
    return found


class PhoneServer:
    """The page, served from `sock` on a thread of its own."""

    def __init__(self, site: Site, sock: socket.socket, host: str, url: str | None) -> None:
        self._site, self._sock = site, sock
        self._where = (host, sock.getsockname()[1], url)
        self._address, self._address_until = "", float("-inf")
        self.problem: str | None = None
        self._server: object | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="trackside-web", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def address(self) -> str:
        """'http://10.42.0.1:8080', looked at again now and then: at boot the hotspot may
        come up after the timer."""
        now = time.monotonic()
        if now >= self._address_until:
            self._address, self._address_until = phone_address(*self._where), now + RECHECK_S
        return self._address

    def card(self) -> PhoneCard:
        code, token = self._site.pairing.secret()
        address = self.address
        return PhoneCard(code, f"{address}/#pair={token}", address.split("://", 1)[-1])

    def close(self) -> None:
        loop, server = self._loop, self._server
        if loop is not None and server is not None:
            try:
                loop.call_soon_threadsafe(self._site.hub.close)
            except RuntimeError:  # its loop has already stopped
                pass
            server.should_exit = True  # type: ignore[attr-defined]
        if self._thread.is_alive():
            self._thread.join(STOP_WAIT_S)
        self._sock.close()

    def _run(self) -> None:
        try:
            import uvicorn

            from trackside.web.routes import build

            config = uvicorn.Config(
                build(self._site), loop="asyncio", http="h11", ws="none", lifespan="off",
                log_config=None, access_log=False, timeout_graceful_shutdown=2,
                limit_concurrency=200)  # well past ten phones; more gets 503, not memory
            self._server = server = uvicorn.Server(config)
            asyncio.run(self._serve(server))
        except BaseException as exc:  # noqa: BLE001 - uvicorn exits with SystemExit
            log.error("the phone page stopped: %r; the timer runs on", exc)
            self.problem = "PHONE PAGE STOPPED"

    async def _serve(self, server: object) -> None:
        self._loop = asyncio.get_running_loop()
        self._site.hub.attach(self._loop)
        await server.serve(sockets=[self._sock])  # type: ignore[attr-defined]
