"""Who may control the timer: the short code and the QR link on the big screen, and the
phones that gave one.

Rules for this module:
  1. No default password: the code (6 digits) and the link's token are drawn with
     `secrets` when the timer starts and again after every use, so each pairs one phone.
  2. A paired phone holds a random token (its cookie). Every secret is compared in
     constant time (`hmac.compare_digest`), whatever it is compared with.
  3. Five wrong tries in a row lock pairing for a minute: even the right code is refused
     until then. A success or the end of a lock starts the count again.
  4. `forget` drops every phone and draws a new code and token. Nothing is written to
     disk, so a restart (a reboot) forgets every phone too.
  5. A paired phone is named by the order it paired in since the timer started ('phone
     2'): what a fix it makes records as who made it.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass

CODE_DIGITS = 6
TRIES = 5
LOCKOUT_S = 60.0
MAX_PHONES = 16  # the oldest is forgotten to make room


@dataclass(frozen=True, slots=True)
class Paired:
    cookie: str  # the phone's token, for its session cookie


@dataclass(frozen=True, slots=True)
class Refused:
    tries_left: int


@dataclass(frozen=True, slots=True)
class Locked:
    retry_after_s: float


class Pairing:
    """Thread-safe: the server's thread pairs and checks, the main thread forgets."""

    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now  # monotonic seconds
        self._lock = threading.Lock()
        self._phones: list[tuple[str, int]] = []  # (cookie, its number), oldest first
        self._paired = 0  # phones paired since the start: the next one's number - 1
        self._wrong = 0
        self._locked_until = float("-inf")
        self._code, self._token = self._draw()

    @staticmethod
    def _draw() -> tuple[str, str]:
        return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}", secrets.token_urlsafe(16)

    def secret(self) -> tuple[str, str]:
        """(the code, the link's token) the big screen shows now."""
        with self._lock:
            return self._code, self._token

    @property
    def phones(self) -> int:
        with self._lock:
            return len(self._phones)

    def pair(self, *, code: str = "", token: str = "") -> Paired | Refused | Locked:
        """A phone gives the code it read, or the token of the link it opened."""
        with self._lock:
            now = self._now()
            if now < self._locked_until:
                return Locked(self._locked_until - now)
            right_code = _same(code.strip().replace(" ", ""), self._code)
            right_token = _same(token, self._token)
            if (right_code and code) or (right_token and token):
                self._wrong = 0
                cookie = secrets.token_urlsafe(32)
                self._paired += 1
                self._phones = [*self._phones[-(MAX_PHONES - 1):], (cookie, self._paired)]
                self._code, self._token = self._draw()  # one use each
                return Paired(cookie)
            self._wrong += 1
            if self._wrong >= TRIES:
                self._wrong, self._locked_until = 0, now + LOCKOUT_S
                return Locked(LOCKOUT_S)
            return Refused(TRIES - self._wrong)

    def is_paired(self, cookie: str | None) -> bool:
        return self.who(cookie) is not None

    def who(self, cookie: str | None) -> str | None:
        """The paired phone `cookie` is ('phone 2', rule 5), or None."""
        if not cookie:
            return None
        with self._lock:
            phones = list(self._phones)
        # Every stored token is compared, so the time taken does not say which one was near.
        found = None
        for phone, number in phones:
            if _same(cookie, phone):
                found = number
        return None if found is None else f"phone {found}"

    def forget(self) -> None:
        """Every phone must pair again, with a new code."""
        with self._lock:
            self._phones = []
            self._wrong, self._locked_until = 0, float("-inf")
            self._code, self._token = self._draw()


def _same(given: str, secret: str) -> bool:
    """Constant time, and any text a phone sends (not only ASCII) is fine."""
    return hmac.compare_digest(given.encode(), secret.encode())
