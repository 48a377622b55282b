"""What every route of the phone page reads from a request: its JSON body, a text field, and
whether it may change something; and how a route refuses.

Rules for this module:
  1. A control (anything that changes something) needs the X-Trackside header (a cross-site
     form or fetch cannot send it) and a paired phone's cookie.
  2. A body is read only up to `MAX_BODY` bytes and must be a JSON object; a field of the
     wrong type is refused naming it.
  3. A refusal is a status and one short line (`{"error": ...}`), never a traceback.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from trackside.web.server import Site

COOKIE = "trackside_phone"
HEADER = "x-trackside"  # any value: a cross-site form or fetch cannot send it
MAX_BODY = 4096


class Refusal(Exception):
    """A request we answer with `status` and one line."""

    def __init__(self, status: int, reason: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.headers = status, reason, headers or {}


def same_site(request: Request) -> None:
    if HEADER not in request.headers:
        raise Refusal(403, "missing the X-Trackside header: controls come from the Trackside page")


def controller(site: Site, request: Request) -> str:
    """Rule 1; who the phone is ('phone 2'), for what it records."""
    same_site(request)
    who = site.pairing.who(request.cookies.get(COOKIE))
    if who is None:
        raise Refusal(403, "this phone is not paired: enter the code shown on the big screen")
    return who


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, read up to MAX_BODY bytes (rule 2)."""
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            raise Refusal(413, f"a request body is at most {MAX_BODY} bytes")
    try:
        found = json.loads(data or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise Refusal(400, "the body is not JSON") from None
    if not isinstance(found, dict):
        raise Refusal(400, "the body must be a JSON object")
    return found


def text(found: dict[str, Any], key: str) -> str:
    value = found.get(key, "")
    if not isinstance(value, str):
        raise Refusal(400, f"{key} must be text")
    return value


def texts(found: dict[str, Any], key: str) -> list[str]:
    """A list of text (athletes' names): absent is empty."""
    value = found.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Refusal(400, f"{key} must be a list of text")
    return value


def number(found: dict[str, Any], key: str) -> int | None:
    """A whole number (a mark's, a fix's): absent is None."""
    value = found.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10**9:
        raise Refusal(400, f"{key} must be a whole number")
    return value
