"""A group on the phone page, through Starlette's TestClient: the finishers and calls live, the
summary (each athlete's and the athletes x reps table), the athletes and saved groups, a plan
for athletes, a group session's record, its fixes (as `trackside fix` makes them), and one
athlete's downloads; every refusal."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import fitdecode
import pytest
from engine_helpers import cross, walk
from group_helpers import group_engine, start
from group_sessions import roster_of, run_group
from starlette.testclient import TestClient
from web_support import CONTROL, Timer, pair

from trackside.adapters.athlete_book import AthleteBook
from trackside.core.events import PlanRequested
from trackside.core.group import GroupSettings, RestFrom

PLAN = "2x400m @pace r60"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Ana and Ben (and Cam, in no session) on the list, a saved group, and session 1: Ana
    and Ben ran PLAN, every finish seen."""
    path = tmp_path / "trackside.db"
    roster, plan = roster_of(path, {"Ana": "4:00/km", "Ben": "4:10/km"}, PLAN)
    run_group(path, roster, plan)
    book = AthleteBook(path)
    book.save_group("tue", [book.find("Ben"), book.find("Ana")])
    book.add(book.find("Ana").profile.model_copy(update={"name": "Cam"}))
    return path


def refused(db: Path, path: str, body: dict, reason: str) -> TestClient:
    """A paired phone's POST of `body` to `path` is a 400 whose one line says `reason`; the
    phone's client, to see that nothing changed."""
    timer = Timer()
    client = timer.client(db)
    pair(timer, client)
    answer = client.post(path, json=body, headers=CONTROL)
    assert answer.status_code == 400 and reason in answer.json()["error"], answer.json()
    assert "\n" not in answer.json()["error"]
    return client


# --- live ----------------------------------------------------------------------------


def test_the_live_state_shows_each_finisher_newest_first_and_whose_each_rep_is() -> None:
    timer = Timer(engine=group_engine(PLAN, [60, 64]))
    start(timer.engine)
    cross(timer.engine, 65.0)
    cross(timer.engine, 69.5)
    timer.clock.t = 70.0
    timer.publish()
    state = timer.client().get("/api/state").json()
    finishers = state["group"]["finishers"]
    assert [(f["name"], f["time"], f["delta"], f["good"]) for f in finishers] == [
        ("BEN", "1:04.50", "+0.50", False), ("ANA", "1:00.00", "+0.00", True)]
    assert [(rep["athlete"], rep["label"], rep["time"]) for rep in state["reps"]] == [
        ("ANA", "1.1", "1:00.00"), ("BEN", "1.1", "1:04.50")]
    assert state["group"]["check"] == ""


def test_a_finish_not_seen_says_no_time_and_check_order_as_the_big_screen() -> None:
    timer = Timer(engine=group_engine(PLAN, [60, 64]))
    start(timer.engine)
    cross(timer.engine, 40.0)  # fits nobody
    cross(timer.engine, 65.0)
    walk(timer.engine, 100.0)  # Ben's window closes unseen
    timer.clock.t = 100.0
    timer.publish()
    group = timer.client().get("/api/state").json()["group"]
    assert group["check"] == "CHECK ORDER"
    assert [(f["name"], f["time"], f["seen"]) for f in group["finishers"]] == [
        ("BEN", "NO TIME", False), ("ANA", "1:00.00", True)]


def test_a_staggered_groups_calls_reach_the_phone_as_they_change() -> None:
    timer = Timer(engine=group_engine(PLAN, [60, 62], GroupSettings.staggered(10.0)))
    start(timer.engine)
    calls = []
    with timer.client() as client:
        for now in (8.0, 12.0, 13.0, 15.0, 18.0):
            walk(timer.engine, now)
            timer.clock.t = now
            timer.publish()
            calls.append(client.get("/api/state").json()["group"]["call"])
    assert calls == ["NEXT BEN 7", "BEN IN 3", "BEN IN 2", "BEN GO", ""]


def test_the_summary_is_each_athletes_and_the_athletes_by_reps_table() -> None:
    timer = Timer(engine=group_engine(PLAN, [60, 64]))
    start(timer.engine)
    cross(timer.engine, 65.0)
    cross(timer.engine, 69.0)
    cross(timer.engine, 193.0)  # Ana's second (her GO at 129); Ben's is never seen
    walk(timer.engine, 400.0)
    timer.clock.t = 400.0
    timer.publish()
    summary = timer.client().get("/api/state").json()["summary"]
    assert summary["title"] == "FINISHED"
    assert [athlete["name"] for athlete in summary["athletes"]] == ["ANA", "BEN"]
    assert summary["athletes"][0]["stats"][0] == {"label": "REPS", "value": "2", "good": None}
    table = summary["table"]
    assert table["reps"] == ["1", "2"]
    assert [(row["name"], [cell["time"] for cell in row["cells"]]) for row in table["rows"]] == [
        ("ANA", ["1:00.00", "1:04.00"]), ("BEN", ["1:04.00", "NO TIME"])]


# --- athletes ------------------------------------------------------------------------


def test_anyone_may_read_the_athletes_and_groups(db: Path) -> None:
    listed = Timer().client(db).get("/api/athletes").json()
    assert [athlete["name"] for athlete in listed["athletes"]] == ["Ana", "Ben", "Cam"]
    assert listed["athletes"][0] == {"name": "Ana", "line": "Ana: pace 4:00/km", "races": {},
                                     "pace": "4:00/km", "max_speed": ""}
    assert listed["groups"] == [{"name": "tue", "athletes": ["Ben", "Ana"]}]
    assert {"key": "5k", "label": "5K"} in listed["races"]


def test_a_paired_phone_adds_edits_and_removes_an_athlete(db: Path) -> None:
    timer = Timer()
    client = timer.client(db)
    new = {"name": "Dee", "races": {"5k": "19:10", "10k": ""}, "pace": "", "max_speed": "8.5m/s"}
    refused = client.post("/api/athletes/add", json=new, headers=CONTROL)
    assert refused.status_code == 403 and "not paired" in refused.json()["error"]
    assert client.post("/api/athletes/add", json=new).status_code == 403  # no header
    pair(timer, client)
    added = client.post("/api/athletes/add", json=new, headers=CONTROL)
    assert added.status_code == 201
    assert added.json() == {"athlete": "Dee: 5K 19:10; top speed 8.50 m/s"}
    edited = client.post("/api/athletes/edit", json={**new, "athlete": "dee", "name": "Dee",
                                                     "races": {"5k": "18:55.5"}},
                         headers=CONTROL)
    assert edited.json() == {"athlete": "Dee: 5K 18:55; top speed 8.50 m/s"}
    listed = client.get("/api/athletes").json()["athletes"]
    assert [athlete["races"] for athlete in listed if athlete["name"] == "Dee"] == [
        {"5k": "18:55.5"}]  # read back as typed: an edit changes nothing unasked
    removed = client.post("/api/athletes/remove", json={"athlete": "Ana"}, headers=CONTROL)
    assert removed.json() == {"removed": "Ana", "groups": ["tue"]}
    assert "Ana" not in [a["name"] for a in client.get("/api/athletes").json()["athletes"]]


@pytest.mark.parametrize(("path", "body", "reason"), [
    ("add", {"name": "Ana"}, "there is an athlete called Ana already"),
    ("add", {"name": "A_1"}, "name: 'A_1' is not a name"),
    ("add", {"name": "Dee", "races": {"5k": "9:00"}}, "5k: 5K in 9:00.0 is faster than"),
    ("add", {"name": "Dee", "races": {"6k": "20:00"}}, "6k: not a race"),
    ("add", {"name": "Dee", "pace": "fast"}, "pace: 'fast' is not a pace"),
    ("add", {"name": "Dee", "races": ["5k"]}, "races must map a race to its time"),
    ("edit", {"athlete": "Zed", "name": "Zed"}, "no athlete called 'Zed'"),
    ("remove", {"athlete": "Anna"}, "did you mean Ana?"),
])
def test_an_athlete_that_cannot_be_written_gets_one_line_naming_the_field(
        db: Path, path: str, body: dict, reason: str) -> None:
    refused(db, f"/api/athletes/{path}", body, reason)


def test_a_paired_phone_saves_a_group_in_start_order_and_saves_it_again_to_replace_it(
        db: Path) -> None:
    timer = Timer()
    client = timer.client(db)
    group = {"name": " wed ", "athletes": ["cam", "Ana"]}
    assert client.post("/api/groups/save", json=group, headers=CONTROL).status_code == 403
    pair(timer, client)
    assert client.post("/api/groups/save", json=group).status_code == 403  # no header
    saved = client.post("/api/groups/save", json=group, headers=CONTROL)
    assert saved.status_code == 201
    assert saved.json() == {"group": "wed", "athletes": ["Cam", "Ana"]}
    again = client.post("/api/groups/save", json={"name": "TUE", "athletes": ["Ana"]},
                        headers=CONTROL)
    assert again.status_code == 201
    assert client.get("/api/athletes").json()["groups"] == [
        {"name": "TUE", "athletes": ["Ana"]}, {"name": "wed", "athletes": ["Cam", "Ana"]}]


@pytest.mark.parametrize(("body", "reason"), [
    ({"name": "", "athletes": ["Ana"]}, "a group's name is letters, digits, - and _"),
    ({"name": "tue night", "athletes": ["Ana"]}, "a group's name is letters, digits, - and _"),
    ({"name": "wed", "athletes": []}, "a group needs its athletes"),
    ({"name": "wed", "athletes": ["Ana", "Zed"]}, "no athlete called 'Zed'"),
    ({"name": "wed", "athletes": ["Ana", "ana"]}, "an athlete is named twice"),
    ({"name": "wed", "athletes": "Ana,Ben"}, "athletes must be a list of text"),
])
def test_a_group_that_cannot_be_saved_gets_one_line_and_nothing_changes(
        db: Path, body: dict, reason: str) -> None:
    client = refused(db, "/api/groups/save", body, reason)
    assert client.get("/api/athletes").json()["groups"] == [
        {"name": "tue", "athletes": ["Ben", "Ana"]}]


def test_a_timer_without_a_database_keeps_no_athletes() -> None:
    timer = Timer()
    client = timer.client()
    pair(timer, client)
    for answer in (client.get("/api/athletes"),
                   client.post("/api/athletes/add", json={"name": "Dee"}, headers=CONTROL)):
        assert answer.status_code == 404 and "keeps no athletes" in answer.json()["error"]
    refused = client.post("/api/plan/start", json={"plan": PLAN, "athletes": ["Ana", "Ben"]},
                          headers=CONTROL)
    assert refused.status_code == 400 and "keeps no athletes" in refused.json()["error"]


# --- a plan for athletes -------------------------------------------------------------


def test_a_plan_for_athletes_is_shown_with_who_runs_it_and_each_ones_targets(db: Path) -> None:
    timer = Timer()
    client = timer.client(db)
    pair(timer, client)
    shown = client.post("/api/plan/preview", json={"plan": PLAN, "athletes": ["ben", "Ana"]},
                        headers=CONTROL).json()
    assert shown["athletes"] == ["Ben", "Ana"]
    assert shown["start"] == ("together, resting from the last; each with their own targets "
                              "(the steps show Ben's)")
    assert "1:40" in shown["steps"][0]  # Ben's 400 m at 4:10/km
    answer = client.post("/api/plan/start", json={"plan": PLAN, "group": "tue", "stagger": "10"},
                         headers=CONTROL)
    assert answer.status_code == 202 and answer.json()["athletes"] == ["Ben", "Ana"]
    (request,) = timer.taken()
    assert isinstance(request, PlanRequested) and request.roster is not None
    assert request.roster.names == ("Ben", "Ana")
    assert request.roster.settings == GroupSettings(10.0, RestFrom.EACH)
    assert [s.reps[0].target_s for s in request.roster.schedules] == [100.0, 96.0]


@pytest.mark.parametrize(("body", "reason"), [
    ({"athletes": ["Ana", "Zed"]}, "no athlete called 'Zed'"),
    ({"athletes": ["Ana", "ana"]}, "an athlete is named twice"),
    ({"group": "wed"}, "no group called 'wed'"),
    ({"athletes": ["Ana"], "stagger": "10"}, "needs two or more athletes"),
    ({"stagger": "10"}, "needs its athletes"),
    ({"athletes": ["Ana", "Ben"], "stagger": "3min"}, "stagger: must be 2:00 or less"),
    ({"athletes": ["Ana", "Ben"], "rest_from": "middle"}, "rest from: first, last or each"),
    ({"athletes": ["Ana", "Ben"], "stagger": "10", "rest_from": "last"},
     "rest from last: a staggered start rests each athlete from their own finish"),
    ({"athletes": "Ana,Ben"}, "athletes must be a list of text"),
])
def test_a_plan_for_athletes_that_cannot_run_says_why(db: Path, body: dict, reason: str) -> None:
    timer = Timer()
    client = timer.client(db)
    pair(timer, client)
    answer = client.post("/api/plan/start", json={"plan": PLAN, **body}, headers=CONTROL)
    assert answer.status_code == 400 and reason in answer.json()["error"], answer.json()
    assert timer.taken() == []


# --- a group session's record and its fixes ------------------------------------------


def test_anyone_may_read_a_group_sessions_record(db: Path) -> None:
    record = Timer().client(db).get("/api/sessions/1/record").json()
    assert (record["athletes"], record["start"]) == (["ANA", "BEN"],
                                                      "together, resting from the last")
    assert [(row["name"], [cell["time"] for cell in row["cells"]])
            for row in record["table"]["rows"]] == [("ANA", ["1:36.00", "1:36.00"]),
                                                    ("BEN", ["1:40.00", "1:40.00"])]
    assert record["not_seen"] == [] and record["fixes"] == []
    assert [mark["no_ones"] for mark in record["marks"]] == [False] * 4
    assert "ANA's crossing 1 of rep 1, beam" in record["marks"][0]["line"]


def test_a_paired_phone_swaps_a_pass_and_undoes_it_each_kept_as_the_phones(db: Path) -> None:
    timer = Timer()
    client = timer.client(db)
    swap = {"action": "swap", "rep": "2", "athletes": ["Ana", "Ben"]}
    assert client.post("/api/sessions/1/fix", json=swap, headers=CONTROL).status_code == 403
    pair(timer, client)
    answer = client.post("/api/sessions/1/fix", json=swap, headers=CONTROL).json()
    assert answer["kept"] == {"id": 1, "said": "swap rep 2 ANA BEN", "made_by": "phone 1"}
    assert [[cell["time"] for cell in row["cells"]] for row in answer["table"]["rows"]] == [
        ["1:36.00", "1:40.00"], ["1:40.00", "1:36.00"]]
    assert answer["fixes"][0]["said"] == "swap rep 2 ANA BEN" and answer["fixes"][0]["standing"]
    undone = client.post("/api/sessions/1/fix", json={"action": "undo"}, headers=CONTROL).json()
    assert undone["kept"]["said"] == "undo fix 1"
    assert [fix["standing"] for fix in undone["fixes"]] == [False, False]
    assert [[cell["time"] for cell in row["cells"]] for row in undone["table"]["rows"]] == [
        ["1:36.00", "1:36.00"], ["1:40.00", "1:40.00"]]


def test_a_phone_drops_a_mark_and_gives_it_back_to_its_athlete(db: Path) -> None:
    timer = Timer()
    client = timer.client(db)
    pair(timer, client)
    mark = client.get("/api/sessions/1/record").json()["marks"][3]["id"]  # Ben's second
    dropped = client.post("/api/sessions/1/fix", json={"action": "drop", "mark": mark},
                          headers=CONTROL).json()
    assert dropped["not_seen"] == ["BEN in rep 2"]
    assert dropped["table"]["rows"][1]["cells"][1]["time"] == "NO TIME"
    given = client.post("/api/sessions/1/fix", json={"action": "assign", "mark": mark,
                                                     "athlete": "ben"}, headers=CONTROL).json()
    assert given["kept"]["said"] == f"assign mark {mark} to BEN"
    assert given["not_seen"] == [] and given["table"]["rows"][1]["cells"][1]["time"] == "1:40.00"


@pytest.mark.parametrize(("body", "reason"), [
    ({"action": "jump"}, "action must be swap, assign, drop or undo"),
    ({"action": "swap", "rep": "9", "athletes": ["Ana", "Ben"]}, "ANA did not run rep 9"),
    ({"action": "swap", "rep": "1", "athletes": ["Ana", "Zed"]}, "no athlete called 'Zed' ran"),
    ({"action": "swap", "rep": "1", "athletes": ["Ana", "Ana"]}, "a swap is of two different"),
    ({"action": "assign", "athlete": "Ben"}, "give the mark's number"),
    ({"action": "assign", "mark": 1, "athlete": "Ben"}, "mark 1 is ANA's in rep 1"),
    ({"action": "drop", "mark": 99}, "there is no mark 99 in this session"),
    ({"action": "drop", "mark": "1"}, "mark must be a whole number"),
    ({"action": "undo"}, "no fix stands to undo"),
])
def test_a_fix_that_cannot_be_made_says_why_and_nothing_is_kept(
        db: Path, body: dict, reason: str) -> None:
    client = refused(db, "/api/sessions/1/fix", body, reason)
    assert client.get("/api/sessions/1/record").json()["fixes"] == []


def test_only_a_groups_session_has_a_record_to_fix(db: Path) -> None:
    roster, plan = roster_of(db.parent / "one.db", {"Ana": "4:00/km"}, PLAN)
    run_group(db.parent / "one.db", roster, plan, alone=True)  # one named athlete: no group
    client = Timer().client(db.parent / "one.db")
    answer = client.get("/api/sessions/1/record")
    assert answer.status_code == 404 and "not a group's" in answer.json()["error"]
    assert Timer().client(db).get("/api/sessions/7/record").status_code == 404


# --- downloads -----------------------------------------------------------------------


def test_a_group_session_downloads_whole_or_as_one_athletes(db: Path) -> None:
    client = Timer().client(db)
    (row,) = client.get("/api/sessions").json()
    assert row["athletes"] == ["Ana", "Ben"]
    whole = list(csv.DictReader(io.StringIO(client.get("/api/sessions/1.csv").text)))
    assert {line["athlete"] for line in whole} == {"Ana", "Ben"}
    bens = client.get("/api/sessions/1.csv?athlete=ben")
    assert bens.headers["content-disposition"].endswith('trackside-session-1-ben.csv"')
    assert {line["athlete"] for line in csv.DictReader(io.StringIO(bens.text))} == {"Ben"}
    assert client.get("/api/sessions/1.json?athlete=Ana").json()["summary"]["reps"] == 2
    refused = client.get("/api/sessions/1.fit")
    assert refused.status_code == 409 and "one athlete's" in refused.json()["error"]
    fit = client.get("/api/sessions/1.fit?athlete=Ana")
    laps = [frame for frame in fitdecode.FitReader(fit.content)
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "lap"]
    assert len(laps) == 3  # her two reps and the rest between
    nobody = client.get("/api/sessions/1.csv?athlete=Zed")
    assert nobody.status_code == 400 and "no athlete called 'Zed'" in nobody.json()["error"]
