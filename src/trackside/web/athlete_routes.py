"""The phone page's athletes: the list (with what their paces come from) and the saved groups;
a paired phone adds, edits and removes an athlete, as `trackside athletes` does, and saves a
group, as `trackside groups save` does (trackside.rosters).

Rules for this module:
  1. Reading is open, as the history is; a change needs a paired phone (`web.requests`).
  2. An athlete is written as a coach types it on the CLI: race times ('19:10'), a race
     pace ('4:30/km'), a top speed ('8.5m/s'), each checked as the CLI checks it
     (core.athletes); a field that is wrong is a 400 naming it. Removing one keeps their
     sessions (AthleteBook).
  3. A timer that keeps no database keeps no athletes: a 404 says so.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from trackside.adapters.athlete_book import AthleteBook
from trackside.core.athletes import Profile, profile_from_text, profile_line
from trackside.core.races import RACES
from trackside.core.units import format_duration, format_pace
from trackside.rosters import save_group
from trackside.web.requests import Refusal, controller, json_body, text, texts
from trackside.web.server import Site


async def _athletes(site: Site, request: Request) -> Response:
    book = _book(site)
    return JSONResponse({
        "athletes": [_fields(athlete.profile) for athlete in book.athletes()],
        "groups": [{"name": name, "athletes": [athlete.name for athlete in members]}
                   for name, members in book.groups()],
        "races": [{"key": race.name, "label": race.label} for race in RACES.values()],
    })


async def _add(site: Site, request: Request) -> Response:
    controller(site, request)
    profile = _profile(await json_body(request))
    _book(site).add(profile)
    return JSONResponse({"athlete": profile_line(profile)}, 201)


async def _edit(site: Site, request: Request) -> Response:
    controller(site, request)
    body = await json_body(request)
    book = _book(site)
    athlete = book.find(text(body, "athlete"))
    profile = _profile(body)
    book.update(athlete, profile)
    return JSONResponse({"athlete": profile_line(profile)})


async def _remove(site: Site, request: Request) -> Response:
    controller(site, request)
    name, groups = _book(site).remove(text(await json_body(request), "athlete"))
    return JSONResponse({"removed": name, "groups": groups})


async def _save_group(site: Site, request: Request) -> Response:
    controller(site, request)
    body = await json_body(request)
    name, members = save_group(_book(site), text(body, "name"), texts(body, "athletes"))
    return JSONResponse({"group": name, "athletes": [athlete.name for athlete in members]}, 201)


ROUTES = (
    ("/api/athletes", _athletes, ("GET",)),
    ("/api/athletes/add", _add, ("POST",)),
    ("/api/athletes/edit", _edit, ("POST",)),
    ("/api/athletes/remove", _remove, ("POST",)),
    ("/api/groups/save", _save_group, ("POST",)),
)


def _book(site: Site) -> AthleteBook:
    if site.athletes is None:
        raise Refusal(404, "this timer keeps no athletes (it runs without a session database)")
    return site.athletes


def _profile(body: dict[str, Any]) -> Profile:
    """The profile the phone typed (rule 2)."""
    races = body.get("races", {})
    if not isinstance(races, dict) or not all(isinstance(value, str) for value in races.values()):
        raise Refusal(400, "races must map a race to its time as text ('5k': '19:10')")
    try:
        return profile_from_text(text(body, "name"), races, text(body, "pace"),
                                 text(body, "max_speed"))
    except ValueError as exc:
        raise Refusal(400, str(exc)) from None


def _fields(profile: Profile) -> dict[str, Any]:
    """An athlete as the list shows them, and as the edit form is filled."""
    return {"name": profile.name, "line": profile_line(profile),
            "races": {race: _as_typed(seconds) for race, seconds in profile.races},
            "pace": "" if profile.pace is None else format_pace(profile.pace),
            "max_speed": "" if profile.max_speed is None else f"{profile.max_speed:.2f}m/s"}


def _as_typed(seconds: float) -> str:
    """A race time as it can be typed back unchanged: '19:10', '52.3', '1:58.25'."""
    places = next(places for places in (0, 1, 2, 3) if round(seconds, places) == seconds
                  or places == 3)
    return format_duration(seconds, places)
