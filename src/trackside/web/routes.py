"""The phone page's HTTP routes (Starlette): the page, the live stream, controls, plans,
results; with the athletes' (`athlete_routes`) and a group's fixes' (`fix_routes`).

Rules for this module:
  1. Reading is open to anyone who reaches the page (the state, the stream, the history,
     the downloads). Everything that changes something needs a paired phone's cookie and
     the X-Trackside header; forgetting the phones needs the Pi itself (loopback).
  2. A control is stamped the moment its request reaches a handler, then goes through
     `put` like the button's: the engine decides what it means.
  3. A bad request gets a 4xx and `{"error": one short line}` (`web.requests`).
  4. A session downloads as `trackside export` writes it (`session_files`): CSV, JSON or a
     FIT activity; a group's also as one athlete's (`?athlete=NAME`, as `--athlete`), and
     its FIT activity only so.
  5. A plan is put on the timer only while nothing runs, for no one named, athletes on the
     list or a saved group (`web.plans`).
"""

from __future__ import annotations

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
from trackside.core.group import Roster
from trackside.core.plan import LoadedPlan
from trackside.core.wall_anchor import ClockSource, WallAnchor
from trackside.plan_source import builtin_plans
from trackside.session_files import as_csv, as_fit, as_json, session_fields
from trackside.web import athlete_routes, fix_routes
from trackside.web.pairing import Locked, Paired
from trackside.web.plans import Who, phone_roster, preview
from trackside.web.requests import (
    COOKIE,
    HEADER,
    Refusal,
    controller,
    json_body,
    same_site,
    text,
    texts,
)
from trackside.web.server import Site

__all__ = ["HEADER", "build"]

STATIC = Path(__file__).parent / "static"
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
        *(route(path, handler, methods) for path, handler, methods in
          (*athlete_routes.ROUTES, *fix_routes.ROUTES)),
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
    if athlete := request.query_params.get("athlete", ""):
        session = session.of_athlete(athlete)  # a name that did not run it: UserError, 400
    elif kind == "fit" and session.is_group:
        raise Refusal(409, "a FIT activity is one athlete's: download it from their line")
    whose = f"-{session.group.names[session.athlete].lower()}" if (
        session.group is not None and session.athlete is not None) else ""
    name = f"trackside-session-{session_id}{whose}.{kind}"
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
    same_site(request)
    body = await json_body(request)
    wall = _phone_time(body)
    result = site.pairing.pair(code=text(body, "code"), token=text(body, "token"))
    if isinstance(result, Locked):
        wait = max(1, round(result.retry_after_s))
        raise Refusal(429, f"pairing is locked after 5 wrong codes: try again in {wait} s",
                      {"Retry-After": str(wait)})
    if not isinstance(result, Paired):
        tries = f"{result.tries_left} tr{'ies' if result.tries_left > 1 else 'y'}"
        what = "wrong code" if text(body, "code") else (
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
    controller(site, request)
    command = COMMANDS.get(text(await json_body(request), "command"))
    if command is None:
        raise Refusal(400, f"command must be one of {', '.join(COMMANDS)}")
    site.put(Commanded(at, command, source=Source.REMOTE))
    return JSONResponse({"sent": command.value}, 202)


async def _preview(site: Site, request: Request) -> Response:
    controller(site, request)
    loaded, _, roster = _plan(site, await json_body(request))
    return JSONResponse(preview(loaded, roster))


async def _start(site: Site, request: Request) -> Response:
    at = site.clock.now()
    controller(site, request)
    loaded, spec, roster = _plan(site, await json_body(request))
    latest = site.hub.latest
    if latest is None or not latest.idle:
        raise Refusal(409, "a session is running: end it first (End, or hold the button 5 s)")
    site.put(PlanRequested(at, loaded.plan, spec, roster))
    return JSONResponse({"plan": loaded.plan.name,
                         "athletes": list(roster.names) if roster else []}, 202)


async def _forget(site: Site, request: Request) -> Response:
    same_site(request)
    server = request.scope.get("server") or ("",)
    here = {"127.0.0.1", "::1", "::ffff:127.0.0.1", server[0]}  # loopback, or our own address
    if request.client is None or request.client.host not in here:
        raise Refusal(403, "forgetting the phones is done on the Pi: trackside forget-phones")
    forgotten = site.pairing.phones
    site.pairing.forget()
    return JSONResponse({"forgotten": forgotten})


def _plan(site: Site, body: dict[str, Any]) -> tuple[LoadedPlan, str, Roster | None]:
    spec, options = text(body, "plan"), site.options
    who = Who(tuple(texts(body, "athletes")), text(body, "group"), text(body, "stagger"),
              text(body, "rest_from"))
    loaded, roster = phone_roster(spec, text(body, "pace"), text(body, "max_speed"),
                                  options.lap_m, who, site.athletes, options.double_break_s)
    return loaded, spec.strip(), roster


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
