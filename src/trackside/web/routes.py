"""The phone page's HTTP routes (Starlette): the page, the live stream, controls, results.

Rules for this module:
  1. Reading is open to anyone who reaches the page (the state, the stream, the history,
     the downloads). Everything that changes something needs a paired phone's cookie and
     the X-Trackside header; forgetting the phones needs the Pi itself (loopback).
  2. A control is stamped the moment its request reaches a handler, then goes through
     `put` like the button's: the engine decides what it means.
  3. A bad request gets a 4xx and `{"error": one short line}`; a body is read only up to
     `MAX_BODY` bytes.
  4. A session downloads as `trackside export` writes it (`session_files`): CSV, JSON or a
     FIT activity.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sse_starlette.sse import EventSourceResponse
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from trackside.core.errors import UserError
from trackside.core.events import Command, Commanded, PlanRequested, Source
from trackside.core.plan import LoadedPlan
from trackside.core.wall_anchor import ClockSource, WallAnchor
from trackside.plan_source import builtin_plans
from trackside.session_files import as_csv, as_fit, as_json, session_fields
from trackside.web.pairing import Locked, Paired
from trackside.web.plans import phone_plan, preview
from trackside.web.server import Site

STATIC = Path(__file__).parent / "static"
COOKIE = "trackside_phone"
HEADER = "x-trackside"  # any value: a cross-site form or fetch cannot send it
MAX_BODY = 4096
COOKIE_AGE_S = 12 * 3600  # a day at the track; a restart forgets the phones anyway
EARLIEST_WALL_S, LATEST_WALL_S = 1_704_067_200, 4_102_444_800  # 2024 to 2100
COMMANDS = {"press": Command.PRESS, "hold": Command.HOLD, "end": Command.LONG_HOLD}
_PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


class Refusal(Exception):
    """A request we answer with `status` and one line."""

    def __init__(self, status: int, reason: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.headers = status, reason, headers or {}


def build(site: Site) -> Starlette:
    def route(path: str, handler: Callable[..., Any], methods: tuple[str, ...] = ("GET",)
              ) -> Route:
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(site, request)
            except Refusal as refusal:
                return JSONResponse({"error": refusal.reason}, refusal.status, refusal.headers)
            except UserError as exc:
                return JSONResponse({"error": str(exc)}, 400)
        return Route(path, endpoint, methods=list(methods))

    return Starlette(routes=[
        route("/", _page),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        route("/api/time", _time),
        route("/api/state", _state),
        route("/api/events", _events),
        route("/api/paired", _paired),
        route("/api/pair", _pair, ("POST",)),
        route("/api/control", _control, ("POST",)),
        route("/api/plans", _plans),
        route("/api/plan/preview", _preview, ("POST",)),
        route("/api/plan/start", _start, ("POST",)),
        route("/api/sessions", _history),
        route("/api/sessions/{session_id:int}.{kind}", _download),
        route("/api/phones/forget", _forget, ("POST",)),
    ])


# --- reading: open to anyone --------------------------------------------------------


async def _page(site: Site, request: Request) -> Response:
    return FileResponse(STATIC / "index.html", headers=_PAGE_HEADERS)


async def _time(site: Site, request: Request) -> Response:
    """The Pi's clock, for the phone's NTP-style offset (it keeps the fastest round trip)."""
    return JSONResponse({"now": site.clock.now()}, headers={"Cache-Control": "no-store"})


async def _state(site: Site, request: Request) -> Response:
    message = site.hub.message()
    if message is None:
        raise Refusal(503, "the timer is starting")
    return Response(message, media_type="application/json",
                    headers={"Cache-Control": "no-store"})


async def _events(site: Site, request: Request) -> Response:
    phone = site.hub.join()

    async def stream() -> AsyncIterator[dict[str, str]]:
        try:
            while (message := await phone.next()) is not None:
                yield {"event": "state", "data": message, "retry": 1000}
        finally:
            site.hub.leave(phone)

    return EventSourceResponse(stream(), ping=10, send_timeout=5)


async def _paired(site: Site, request: Request) -> Response:
    options = site.options
    return JSONResponse({"paired": site.pairing.is_paired(request.cookies.get(COOKIE)),
                         "defaults": {"pace": options.pace, "max_speed": options.max_speed}})


async def _plans(site: Site, request: Request) -> Response:
    return JSONResponse([{"name": name, "description": about}
                         for name, about in builtin_plans()])


async def _history(site: Site, request: Request) -> Response:
    if site.sessions is None:
        return JSONResponse([])
    try:
        rows = site.sessions.history()
    except UserError:  # no database yet: nothing recorded
        return JSONResponse([])
    return JSONResponse([session_fields(row) for row in rows])


async def _download(site: Site, request: Request) -> Response:
    session_id, kind = request.path_params["session_id"], request.path_params["kind"]
    if kind not in ("csv", "json", "fit"):
        raise Refusal(404, "a session downloads as .csv, .json or .fit")
    if site.sessions is None:
        raise Refusal(404, "this timer keeps no sessions")
    try:
        session = site.sessions.export(session_id)
    except UserError:
        raise Refusal(404, f"there is no session {session_id}") from None
    name = f"trackside-session-{session_id}.{kind}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if kind == "csv":
        return Response(as_csv(session), media_type="text/csv", headers=headers)
    if kind == "json":
        return JSONResponse(as_json(session), headers=headers)
    try:
        fit = as_fit(session)
    except UserError as exc:  # its schedule cannot be read, or it cannot be put in time
        raise Refusal(409, str(exc)) from None
    return Response(fit, media_type="application/vnd.ant.fit", headers=headers)


# --- pairing and control -----------------------------------------------------------


async def _pair(site: Site, request: Request) -> Response:
    at = site.clock.now()  # when the phone's clock was read, give or take the trip here
    _same_site(request)
    body = await _body(request)
    wall = _phone_time(body)
    result = site.pairing.pair(code=_text(body, "code"), token=_text(body, "token"))
    if isinstance(result, Locked):
        wait = max(1, round(result.retry_after_s))
        raise Refusal(429, f"pairing is locked after 5 wrong codes: try again in {wait} s",
                      {"Retry-After": str(wait)})
    if not isinstance(result, Paired):
        tries = f"{result.tries_left} tr{'ies' if result.tries_left > 1 else 'y'}"
        what = "wrong code" if _text(body, "code") else (
            "this QR code was used already: scan the one on the screen now, or type its code")
        raise Refusal(403, f"{what}: {tries} left before pairing locks for a minute")
    if wall is not None:
        site.anchor(WallAnchor(wall, at, ClockSource.PHONE))
    response = JSONResponse({"paired": True})
    response.set_cookie(COOKIE, result.cookie, max_age=COOKIE_AGE_S, httponly=True,
                        samesite="strict", path="/")
    return response


async def _control(site: Site, request: Request) -> Response:
    at = site.clock.now()  # stamped on arrival, before the body is read
    _controller(site, request)
    command = COMMANDS.get(_text(await _body(request), "command"))
    if command is None:
        raise Refusal(400, f"command must be one of {', '.join(COMMANDS)}")
    site.put(Commanded(at, command, source=Source.REMOTE))
    return JSONResponse({"sent": command.value}, 202)


async def _preview(site: Site, request: Request) -> Response:
    _controller(site, request)
    loaded, _ = _plan(site, await _body(request))
    return JSONResponse(preview(loaded))


async def _start(site: Site, request: Request) -> Response:
    at = site.clock.now()
    _controller(site, request)
    loaded, spec = _plan(site, await _body(request))
    latest = site.hub.latest
    if latest is None or not latest.idle:
        raise Refusal(409, "a session is running: end it first (End, or hold the button 5 s)")
    site.put(PlanRequested(at, loaded.plan, spec))
    return JSONResponse({"plan": loaded.plan.name}, 202)


async def _forget(site: Site, request: Request) -> Response:
    _same_site(request)
    server = request.scope.get("server") or ("",)
    here = {"127.0.0.1", "::1", "::ffff:127.0.0.1", server[0]}  # loopback, or our own address
    if request.client is None or request.client.host not in here:
        raise Refusal(403, "forgetting the phones is done on the Pi: trackside forget-phones")
    forgotten = site.pairing.phones
    site.pairing.forget()
    return JSONResponse({"forgotten": forgotten})


def _same_site(request: Request) -> None:
    if HEADER not in request.headers:
        raise Refusal(403, "missing the X-Trackside header: controls come from the Trackside page")


def _controller(site: Site, request: Request) -> None:
    _same_site(request)
    if not site.pairing.is_paired(request.cookies.get(COOKIE)):
        raise Refusal(403, "this phone is not paired: enter the code shown on the big screen")


def _plan(site: Site, body: dict[str, Any]) -> tuple[LoadedPlan, str]:
    spec = _text(body, "plan")
    loaded = phone_plan(spec, _text(body, "pace"), _text(body, "max_speed"), site.options.lap_m)
    return loaded, spec.strip()


async def _body(request: Request) -> dict[str, Any]:
    """The request's JSON object, read up to MAX_BODY bytes."""
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            raise Refusal(413, f"a request body is at most {MAX_BODY} bytes")
    try:
        body = json.loads(data or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise Refusal(400, "the body is not JSON") from None
    if not isinstance(body, dict):
        raise Refusal(400, "the body must be a JSON object")
    return body


def _phone_time(body: dict[str, Any]) -> datetime | None:
    """The phone's wall clock (seconds since 1970), if it sent a believable one."""
    value = body.get("phone_time")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Refusal(400, "phone_time must be seconds since 1970")
    if not EARLIEST_WALL_S <= value <= LATEST_WALL_S:
        return None  # a phone whose clock was never set: no better than the Pi's
    return datetime.fromtimestamp(value, UTC)


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key, "")
    if not isinstance(value, str):
        raise Refusal(400, f"{key} must be text")
    return value
