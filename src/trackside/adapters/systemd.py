"""sd_notify for the systemd unit: READY, WATCHDOG pings, STOPPING, STATUS.

The protocol is one datagram to the AF_UNIX socket in $NOTIFY_SOCKET, so the stdlib does
it in a few lines; python-systemd would need libsystemd headers to build on the Pi, and
the small PyPI wrappers add nothing. Without $NOTIFY_SOCKET (not under systemd) every
call does nothing.
"""

from __future__ import annotations

import logging
import os
import socket

log = logging.getLogger(__name__)


class Notifier:
    def __init__(self, address: str | None, watchdog_s: float | None, clock_now) -> None:  # noqa: ANN001
        self._address = "\0" + address[1:] if address and address.startswith("@") else address
        self._socket: socket.socket | None = None
        if self._address:
            self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        # Ping at twice the rate systemd asks for, so one late pass is never fatal.
        self._interval = watchdog_s / 2 if watchdog_s else None
        self._now = clock_now
        self._last_ping = float("-inf")

    @classmethod
    def from_env(cls, clock_now) -> Notifier:  # noqa: ANN001
        usec = os.environ.get("WATCHDOG_USEC")
        pid = os.environ.get("WATCHDOG_PID")
        mine = pid is None or pid == str(os.getpid())
        watchdog_s = int(usec) / 1e6 if usec and usec.isdigit() and mine else None
        return cls(os.environ.get("NOTIFY_SOCKET"), watchdog_s, clock_now)

    def ready(self) -> None:
        self._send("READY=1")

    def status(self, text: str) -> None:
        self._send(f"STATUS={text}")

    def stopping(self) -> None:
        self._send("STOPPING=1")

    def heartbeat(self) -> None:
        """Called on every pass of the main loop; pings when the interval is due."""
        if self._interval is None:
            return
        now = self._now()
        if now - self._last_ping >= self._interval:
            self._last_ping = now
            self._send("WATCHDOG=1")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def _send(self, message: str) -> None:
        if self._socket is None or self._address is None:
            return
        try:
            self._socket.sendto(message.encode(), self._address)
        except OSError as exc:  # systemd gone or the socket full: never fatal
            log.warning("sd_notify %s failed: %s", message, exc)
