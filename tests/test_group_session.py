"""A group's session end to end on the fake clock: run, kept, history, export, fix, resume."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from group_sessions import roster_of, run_group

from trackside.cli import main
from trackside.plan_source import load_plan

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "sessions.db"
    roster, plan = roster_of(path, {"Ana": "4:00/km", "Ben": "4:10/km", "Cam": "4:20/km"})
    run_group(path, roster, plan)
    return path


def test_a_group_session_is_kept_with_each_athletes_reps(db: Path, capsys: Capture) -> None:
    assert main(["history", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["ID", "PLAN", "ATHLETES"]
    assert "Ana, Ben, Cam" in lines[1] and "9/9" in lines[1]
    assert main(["history", "--json", "--db", str(db)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["athletes"] == ["Ana", "Ben", "Cam"]


def test_export_carries_the_athlete_and_one_athletes_reps_on_their_targets(
        db: Path, capsys: Capture) -> None:
    assert main(["export", "1", "--db", str(db)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(row["athlete"], row["rep"]) for row in rows[:3]] == [
        ("Ana", "1"), ("Ben", "1"), ("Cam", "1")]
    assert main(["export", "1", "--athlete", "ben", "--db", str(db), "--format", "json"]) == 0
    ben = json.loads(capsys.readouterr().out)
    assert [rep["target_s"] for rep in ben["reps"]] == [100.0, 100.0, 100.0]  # 4:10/km
    assert {rep["athlete"] for rep in ben["reps"]} == {"Ben"}
    assert ben["summary"]["groups"][0]["what"] == "400 m @ 1:40.0"


def test_a_group_export_as_fit_is_one_athletes(db: Path, tmp_path: Path, capsys: Capture) -> None:
    out = tmp_path / "a.fit"
    assert main(["export", "1", "--db", str(db), "--out", str(out)]) == 2
    assert "a FIT activity is one athlete's: give --athlete NAME" in capsys.readouterr().err
    assert main(["export", "1", "--athlete", "Cam", "--db", str(db), "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("Cam's 3 reps of session 1 written to")


def test_a_pass_is_fixed_afterwards_and_the_fix_is_kept_with_who_made_it(
        db: Path, capsys: Capture) -> None:
    assert main(["export", "1", "--db", str(db), "--format", "json"]) == 0
    before = {(rep["athlete"], rep["index"]): rep["time_s"]
              for rep in json.loads(capsys.readouterr().out)["reps"]}
    assert main(["fix", "1", "swap", "2", "Ana", "Ben", "--by", "coach", "--db", str(db)]) == 0
    assert capsys.readouterr().out.startswith("fix 1 kept (coach): swap rep 2 ANA BEN")
    assert main(["export", "1", "--db", str(db), "--format", "json"]) == 0
    after = json.loads(capsys.readouterr().out)
    times = {(rep["athlete"], rep["index"]): rep["time_s"] for rep in after["reps"]}
    assert (times[("Ana", 2)], times[("Ben", 2)]) == (before[("Ben", 2)], before[("Ana", 2)])
    assert after["fixes"][0]["made_by"] == "coach"
    assert main(["fix", "1", "undo", "--db", str(db)]) == 0
    assert capsys.readouterr().out.startswith("fix 2 kept")
    assert main(["export", "1", "--db", str(db), "--format", "json"]) == 0
    times = {(rep["athlete"], rep["index"]): rep["time_s"]
             for rep in json.loads(capsys.readouterr().out)["reps"]}
    assert times == before


def test_a_fix_that_cannot_be_made_is_one_line_and_nothing_is_kept(
        db: Path, capsys: Capture) -> None:
    assert main(["fix", "1", "swap", "9", "Ana", "Ben", "--db", str(db)]) == 2
    assert capsys.readouterr().err == ("trackside: error: fix 1 swap: ANA did not run rep 9\n")
    assert main(["fix", "1", "swap", "2.1", "Ana", "Ben", "--db", str(db)]) == 2
    assert capsys.readouterr().err == ("trackside: error: there is no rep 2.1 in this "
                                       "session's plan\n")
    assert main(["fix", "1", "assign", "1", "Zed", "--db", str(db)]) == 2
    assert "no athlete called 'Zed' ran this session" in capsys.readouterr().err
    assert main(["fix", "1", "--db", str(db)]) == 0
    assert "fixes:" not in capsys.readouterr().out


def test_a_group_quit_mid_session_resumes_with_its_athletes(tmp_path: Path,
                                                             capsys: Capture) -> None:
    path = tmp_path / "sessions.db"
    roster, plan = roster_of(path, {"Ana": "4:00/km", "Ben": "4:10/km"})
    first = run_group(path, roster, plan, quit_after_s=200.0)  # during rep 2
    assert "session 1 kept: resume with `trackside run --resume" in first
    run_group(path, None, load_plan("4x200m @40s r30"), resume=True)  # its own athletes and plan
    assert main(["export", "1", "--db", str(path), "--format", "json"]) == 0
    session = json.loads(capsys.readouterr().out)
    assert session["status"] == "finished"
    assert sorted((rep["athlete"], rep["index"]) for rep in session["reps"]) == [
        (name, index) for name in ("Ana", "Ben") for index in (1, 2, 3)]


def test_the_event_log_says_whose_each_crossing_is(tmp_path: Path) -> None:
    path, events = tmp_path / "sessions.db", tmp_path / "events.jsonl"
    roster, plan = roster_of(path, {"Ana": "4:00/km", "Ben": "4:10/km"})
    run_group(path, roster, plan, events=events)
    lines = [json.loads(line) for line in events.read_text().splitlines()]
    marks = [(line["athlete"], line["index"]) for line in lines if line["type"] == "mark"]
    assert marks == [(0, 1), (1, 1), (0, 2), (1, 2), (0, 3), (1, 3)]
    assert [line["athlete"] for line in lines if line["type"] == "athlete_started"] == [
        0, 1] * 3
    assert {line["athlete"] for line in lines if line["type"] == "rep"} == {0, 1}
