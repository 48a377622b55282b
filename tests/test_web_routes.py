"""Every route of the phone page and every refusal, through Starlette's TestClient."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import fitdecode
import pytest
from store_support import open_store, started
from web_support import CONTROL, Timer, pair

from trackside.core.events import Command, Commanded, PlanRequested, Source
from trackside.core.schedule import expand
from trackside.core.wall_anchor import ClockSource, WallAnchor
from trackside.web.plans import phone_plan, preview


@pytest.fixture
def timer() -> Timer:
    return Timer()


def test_anyone_may_watch_the_page_and_its_state(timer: Timer) -> None:
    client = timer.client()
    page = client.get("/")
    assert page.status_code == 200 and "Trackside" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]  # nothing from outside
    assert client.get("/static/app.js").status_code == 200
    state = client.get("/api/state").json()
    assert (state["phase"], state["prompt"], state["idle"]) == ("ready", "PRESS TO START", True)
    assert state["press"] is True  # the phone offers the press the screen asks for
    assert client.get("/api/time").json() == {"now": 100.0}  # the Pi's clock, for the offset
    assert client.get("/api/paired").json()["paired"] is False


def test_the_live_stream_opens_with_the_whole_state(timer: Timer) -> None:
    with timer.client().stream("GET", "/api/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = iter(stream.iter_lines())
        assert next(lines) == "event: state"
        state = json.loads(next(lines).removeprefix("data: "))
    assert (state["seq"], state["phase"], state["reps"]) == (1, "ready", [])


def test_a_control_without_the_header_or_from_an_unpaired_phone_is_refused(timer: Timer) -> None:
    client = timer.client()
    missing = client.post("/api/control", json={"command": "press"})
    assert missing.status_code == 403 and "X-Trackside" in missing.json()["error"]
    unpaired = client.post("/api/control", json={"command": "press"}, headers=CONTROL)
    assert unpaired.status_code == 403 and "not paired" in unpaired.json()["error"]
    pair(timer, client)
    assert client.post("/api/control", json={"command": "press"}).status_code == 403  # header
    assert timer.taken() == []


def test_a_paired_phone_controls_the_timer_with_inputs_stamped_on_arrival(timer: Timer) -> None:
    client = timer.client()
    pair(timer, client)
    timer.clock.t = 123.25
    for command in ("press", "hold", "end"):
        answer = client.post("/api/control", json={"command": command}, headers=CONTROL)
        assert answer.status_code == 202
    assert timer.taken() == [Commanded(123.25, Command.PRESS, Source.REMOTE),
                             Commanded(123.25, Command.HOLD, Source.REMOTE),
                             Commanded(123.25, Command.LONG_HOLD, Source.REMOTE)]
    wrong = client.post("/api/control", json={"command": "jump"}, headers=CONTROL)
    assert wrong.status_code == 400 and "press, hold, end" in wrong.json()["error"]


def test_pairing_sets_a_strict_http_only_cookie_and_each_code_pairs_one_phone(
        timer: Timer) -> None:
    first, second = timer.client(), timer.client()
    code, token = timer.pairing.secret()
    answer = first.post("/api/pair", json={"code": code}, headers=CONTROL)
    cookie = answer.headers["set-cookie"].lower()
    assert answer.status_code == 200 and "httponly" in cookie and "samesite=strict" in cookie
    assert second.post("/api/pair", json={"code": code}, headers=CONTROL).status_code == 403
    used = second.post("/api/pair", json={"token": token}, headers=CONTROL)
    assert used.status_code == 403 and "QR code was used already" in used.json()["error"]
    _, new_token = timer.pairing.secret()  # the screen's QR link, drawn anew
    assert second.post("/api/pair", json={"token": new_token}, headers=CONTROL).status_code == 200
    assert timer.pairing.phones == 2


def test_five_wrong_codes_lock_pairing_for_a_minute_even_for_the_right_one(timer: Timer) -> None:
    client = timer.client()
    answers = [client.post("/api/pair", json={"code": "000000x"}, headers=CONTROL)
               for _ in range(5)]
    assert [a.status_code for a in answers] == [403, 403, 403, 403, 429]
    assert "1 try left" in answers[3].json()["error"]
    code, _ = timer.pairing.secret()
    locked = client.post("/api/pair", json={"code": code}, headers=CONTROL)
    assert locked.status_code == 429 and locked.headers["retry-after"] == "60"
    assert "try again in 60 s" in locked.json()["error"]
    timer.clock.t += 60.0
    assert client.post("/api/pair", json={"code": code}, headers=CONTROL).status_code == 200


def test_a_bad_body_gets_a_short_reason(timer: Timer) -> None:
    client = timer.client()
    for body, status, reason in (
        (b"{not json", 400, "not JSON"),
        (b"[1, 2]", 400, "JSON object"),
        (b'{"code": 123456}', 400, "code must be text"),
        (b'{"code": "' + b"9" * 5000 + b'"}', 413, "at most 4096 bytes"),
    ):
        answer = client.post("/api/pair", content=body, headers=CONTROL)
        assert answer.status_code == status and reason in answer.json()["error"], body[:20]


def test_a_plan_is_shown_as_show_reads_it_and_a_bad_one_says_where(timer: Timer) -> None:
    client = timer.client()
    refused = client.post("/api/plan/preview", json={"plan": "4x400m @75s r60"}, headers=CONTROL)
    assert refused.status_code == 403
    pair(timer, client)
    shown = client.post("/api/plan/preview", json={"plan": "4x400m @pace r60", "pace": "5:00/km"},
                        headers=CONTROL).json()
    assert shown["steps"][0].startswith("rep 1") and "2:00" in shown["steps"][0]
    assert shown["about"][0].startswith("race pace 5:00/km") and "4 reps" in shown["total"]
    assert shown["sentences"] == ["4 x 400 m @ 2:00.0, 1:00 rest between"]
    assert shown["warnings"] == []
    warned = client.post("/api/plan/preview", json={"plan": "4x400m @75s r60 sb3:00"},
                         headers=CONTROL).json()
    assert warned["warnings"] == ["notation, column 17: set break: never used: no set follows it"]
    bad = client.post("/api/plan/preview", json={"plan": "4x400m r60,45"}, headers=CONTROL)
    assert bad.status_code == 400
    assert bad.json()["error"] == "notation, column 8: rest: 4 reps have 3 gaps but the list has 2 values"
    for spec in ("/etc/passwd", "plan.toml"):
        answer = client.post("/api/plan/preview", json={"plan": spec}, headers=CONTROL)
        assert answer.status_code == 400 and "not a file" in answer.json()["error"]
    assert client.post("/api/plan/preview", json={"plan": "x" * 501},
                       headers=CONTROL).status_code == 400
    names = [plan["name"] for plan in client.get("/api/plans").json()]
    assert "hard-kick-500" in names


def test_a_plan_starts_only_while_nothing_runs(timer: Timer) -> None:
    client = timer.client()
    pair(timer, client)
    answer = client.post("/api/plan/start", json={"plan": "hard-kick-500"}, headers=CONTROL)
    assert answer.status_code == 202
    (request,) = timer.taken()
    assert isinstance(request, PlanRequested) and request.spec == "hard-kick-500"
    timer.engine.handle(Commanded(100.0, Command.PRESS, Source.REMOTE))  # the session starts
    timer.publish()
    busy = client.post("/api/plan/start", json={"plan": "hard-kick-500"}, headers=CONTROL)
    assert busy.status_code == 409 and "end it first" in busy.json()["error"]
    assert timer.taken() == []


def test_the_history_and_each_session_download_come_from_the_store(
        timer: Timer, tmp_path: Path) -> None:
    db = tmp_path / "trackside.db"
    with open_store(db) as store:
        session, reps = started(store, "distance")
        store.record_rep(session, reps[0])
    session_id = session.id
    client = timer.client(db)
    (row,) = client.get("/api/sessions").json()
    assert (row["id"], row["reps_done"]) == (session_id, 1)
    csv = client.get(f"/api/sessions/{session_id}.csv")
    assert csv.headers["content-disposition"] == (
        f'attachment; filename="trackside-session-{session_id}.csv"')
    assert csv.text.splitlines()[0].startswith("session,plan,started_at,clock,set,rep")
    assert client.get(f"/api/sessions/{session_id}.json").json()["reps"][0]["index"] == 1
    fit = client.get(f"/api/sessions/{session_id}.fit")
    assert fit.headers["content-disposition"].endswith(f'-{session_id}.fit"')
    laps = [frame for frame in fitdecode.FitReader(fit.content)
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "lap"]
    assert laps  # a FIT activity Garmin Connect reads: a lap per rep (and rest)
    assert client.get("/api/sessions/99.csv").json() == {"error": "there is no session 99"}
    assert client.get(f"/api/sessions/{session_id}.xls").status_code == 404
    assert timer.client(tmp_path / "none.db").get("/api/sessions").json() == []


def test_forgetting_the_phones_is_done_from_the_pi_itself(timer: Timer) -> None:
    phone = timer.client()
    pair(timer, phone)
    assert phone.post("/api/phones/forget", headers=CONTROL).status_code == 403
    pi = timer.client(host="127.0.0.1")
    assert pi.post("/api/phones/forget", headers=CONTROL).json() == {"forgotten": 1}
    assert phone.post("/api/control", json={"command": "press"}, headers=CONTROL).status_code == 403


def test_the_phone_clock_sent_with_a_pairing_anchors_the_session_as_a_phone_clock(
        timer: Timer) -> None:
    client = timer.client()
    code, _ = timer.pairing.secret()
    timer.clock.t = 250.5
    answer = client.post("/api/pair", json={"code": code, "phone_time": 1_780_000_000.25},
                         headers=CONTROL)
    assert answer.status_code == 200
    assert timer.anchors == [WallAnchor(datetime(2026, 5, 28, 20, 26, 40, 250000, tzinfo=UTC),
                                        250.5, ClockSource.PHONE)]
    code, _ = timer.pairing.secret()
    client.post("/api/pair", json={"code": code, "phone_time": 0}, headers=CONTROL)  # unset
    assert len(timer.anchors) == 1
    bad = client.post("/api/pair", json={"code": "1", "phone_time": "noon"}, headers=CONTROL)
    assert bad.status_code == 400 and "seconds since 1970" in bad.json()["error"]


def test_a_phone_plan_runs_on_the_configured_lap_as_run_reads_its_plan() -> None:
    on_a_200 = phone_plan("1x400m @60s", "", "", lap_m=200.0)
    assert preview(on_a_200)["about"] == ["lap 200 m"]
    assert expand(on_a_200.plan).reps[0].crossings == 2  # the line, twice
