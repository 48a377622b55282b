"""The phone page's fixes to a group's session, as `trackside fix` makes them: its record (the
table after the fixes, the finishes not seen, the marks, the fixes), and a paired phone's
swap, assign, drop or undo.

Rules for this module:
  1. Reading a record is open, as the history is; a fix needs a paired phone, and records
     it as who made it ('phone 2'), when, and what: a new row (core.fixes), checked as the
     CLI's is (AthleteBook.add_fix). Nothing recorded changes.
  2. A fix names what `trackside fix` names: a rep as the table heads it ('3', '2.3'),
     athletes by name, a mark or a fix by its id; undo without a fix takes back the last.
  3. A session that is not a group's has nothing to fix: a 404 says so.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from trackside.adapters.store_group import GroupRecord
from trackside.adapters.store_values import SessionExport
from trackside.core.errors import UserError
from trackside.core.fix_words import fix_words, rep_index, rep_labels
from trackside.core.fixes import Action, Fix, undoing
from trackside.web.group_state import record_data
from trackside.web.requests import Refusal, controller, json_body, number, text, texts
from trackside.web.server import Site


async def _record(site: Site, request: Request) -> Response:
    session = _session(site, request.path_params["session_id"])
    return JSONResponse(_data(session))


async def _fix(site: Site, request: Request) -> Response:
    who = controller(site, request)
    session_id = request.path_params["session_id"]
    group = _group(_session(site, session_id))
    if site.athletes is None:
        raise Refusal(404, "this timer keeps no sessions")
    fix = _asked(await json_body(request), group, who)
    try:
        kept, _ = site.athletes.add_fix(session_id, group, fix)
    except ValueError as exc:
        raise Refusal(400, str(exc)) from None
    after = _session(site, session_id)
    said = fix_words(kept, group.shown_names, rep_labels(group.athletes[0].schedule.reps))
    return JSONResponse({"kept": {"id": kept.id, "said": said, "made_by": kept.made_by},
                         **_data(after)})


ROUTES = (
    ("/api/sessions/{session_id:int}/record", _record, ("GET",)),
    ("/api/sessions/{session_id:int}/fix", _fix, ("POST",)),
)


def _session(site: Site, session_id: int) -> SessionExport:
    if site.sessions is None:
        raise Refusal(404, "this timer keeps no sessions")
    try:
        return site.sessions.export(session_id)
    except UserError:
        raise Refusal(404, f"there is no session {session_id}") from None


def _group(session: SessionExport) -> GroupRecord:
    group = session.group
    if group is None or group.settings is None:
        raise Refusal(404, f"session {session.session.id} is not a group's: nothing to fix")
    return group


def _data(session: SessionExport) -> dict[str, Any]:
    return record_data(session.session.id, session.session.plan_name, _group(session))


def _asked(body: dict[str, Any], group: GroupRecord, who: str) -> Fix:
    """The fix the phone asks for (rule 2); what names nothing is a 400."""
    try:
        action = Action(text(body, "action"))
    except ValueError:
        raise Refusal(400, "action must be swap, assign, drop or undo") from None
    made = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        match action:
            case Action.SWAP:
                first, second = (texts(body, "athletes") + ["", ""])[:2]
                index = rep_index(group.athletes[0].schedule.reps, text(body, "rep"))
                return Fix(0, action, made, who, index=index,
                           athletes=(group.ran(first), group.ran(second)))
            case Action.ASSIGN:
                return Fix(0, action, made, who, mark=_needed(body, "mark"),
                           athletes=(group.ran(text(body, "athlete")),))
            case Action.DROP:
                return Fix(0, action, made, who, mark=_needed(body, "mark"))
        return Fix(0, action, made, who, undoes=undoing(group.fixes, number(body, "fix")))
    except (ValueError, UserError) as exc:
        raise Refusal(400, str(exc)) from None


def _needed(body: dict[str, Any], key: str) -> int:
    value = number(body, key)
    if value is None:
        raise Refusal(400, f"give the {key}'s number")
    return value
