import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from store_support import PLANS, start
from view_factory import view

from trackside.adapters.store import SessionStore
from trackside.cli import main
from trackside.core.events import Outcome
from trackside.core.readout import summary

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Four sessions, one of each kind of plan; the count session was left running."""
    path = tmp_path / "trackside.db"
    with SessionStore.open(path) as store:
        for kind in sorted(PLANS):  # count, distance, segmented, timed
            session_id, reps = start(store, kind)
            for rep in reps:
                store.record_rep(session_id, rep)
            if kind != "count":
                store.finish(session_id, Outcome.FINISHED, datetime(2026, 5, 2, 18, tzinfo=UTC))
    return path


def test_history_lists_sessions_newest_first_with_reps_and_difference_to_target(
        db: Path, capsys: Capture) -> None:
    assert main(["history", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "PLAN", "STARTED", "STATUS", "REPS", "AVG", "+/-"]
    assert [line.split()[0] for line in lines[1:]] == ["4", "3", "2", "1"]
    assert "3x20s hill" in lines[1] and "3/3" in lines[1]
    assert "running" in lines[4] and "2/2" in lines[4]
    assert lines[3].endswith("+0.25 s")  # 4x200m: -0.2, +0.1, +0.4, +0.7 off a 30 s target


def test_history_as_json_has_the_documented_keys(db: Path, capsys: Capture) -> None:
    assert main(["history", "--json", "--db", str(db)]) == 0
    sessions = json.loads(capsys.readouterr().out)
    assert [s["plan"] for s in sessions] == ["3x20s hill", "300+100", "4x200m", "2x10 squats"]
    assert sessions[2] | {"finished_at": None} == {
        "id": 2, "plan": "4x200m", "started_at": "2026-05-02T17:30:00+00:00",
        "status": "finished", "reps_done": 4, "reps_planned": 4, "finished_at": None,
        "plan_spec": "plans/distance.toml", "mean_delta_s": 0.25}


def test_an_empty_database_says_there_is_nothing_yet(tmp_path: Path, capsys: Capture) -> None:
    SessionStore.open(tmp_path / "new.db").close()
    assert main(["history", "--db", str(tmp_path / "new.db")]) == 0
    assert capsys.readouterr().out.startswith("no sessions yet")


def test_export_writes_every_rep_as_csv(db: Path, capsys: Capture) -> None:
    assert main(["export", "3", "--db", str(db)]) == 0  # the segmented plan
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(row["set"], row["rep"]) for row in rows] == [("1", "1"), ("1", "2"), ("2", "1"),
                                                          ("2", "2")]
    assert rows[0] == {"index": "1", "set": "1", "rep": "1", "duration_s": "61.8",
                       "target_s": "62.0", "delta_s": "-0.2", "splits": "30.9",
                       "source": "beam"}


def test_export_as_json_has_the_session_its_summary_and_its_reps(
        db: Path, tmp_path: Path, capsys: Capture) -> None:
    out = tmp_path / "session.json"  # the suffix picks the format
    assert main(["export", "2", "--db", str(db), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"4 reps of session 2 written to {out}\n"
    session = json.loads(out.read_text())
    assert (session["id"], session["plan"], session["status"]) == (2, "4x200m", "finished")
    assert session["summary"] == {  # the finish screen's figures, as shown, and their precision
        "reps": 4, "vs_target_s": 0.25, "precision_s": 0.01, "groups": [{
            "what": "200 m @ 30.0 s", "reps": [1, 2, 3, 4], "precision_s": 0.01, "target_s": 30.0,
            "mean_s": 30.25, "best_s": 29.8, "worst_s": 30.7, "spread_s": 0.39, "fade_s": 0.9,
            "vs_target_s": 0.25}]}
    assert [rep["duration_s"] for rep in session["reps"]] == [29.8, 30.1, 30.4, 30.7]
    assert session["plan_definition"]["name"] == "4x200m"
    assert [step["kind"] for step in session["schedule"]["steps"]][:2] == ["rep", "rest"]


def test_timed_and_count_reps_export_without_targets(db: Path, capsys: Capture) -> None:
    assert main(["export", "4", "--format", "json", "--db", str(db)]) == 0
    session = json.loads(capsys.readouterr().out)
    assert {(rep["target_s"], rep["delta_s"], rep["source"]) for rep in session["reps"]} == {
        (None, None, "time")}
    (group,) = session["summary"]["groups"]
    assert group["reps"] == [1, 2, 3] and group["mean_s"] is None  # a clock says nothing of speed
    assert main(["export", "1", "--format", "csv", "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "1,1,1,26.0,,,,button"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "9"], "there is no session 9"),
        (["history", "--db", "{tmp}/missing.db"], "no session database at"),
        (["export", "1", "--db", "{tmp}/missing.db"], "no session database at"),
        (["history", "--db", "{tmp}/shopping.txt"], "file is not a database"),
        (["export", "1", "--out", "{tmp}/no/such/folder.csv"], "cannot write"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
        db: Path, tmp_path: Path, capsys: Capture, argv: list[str], message: str) -> None:
    (tmp_path / "shopping.txt").write_text("eggs\n" * 100)
    argv = [arg.format(tmp=tmp_path) for arg in argv]
    if "--db" not in argv:
        argv += ["--db", str(db)]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


def test_the_database_comes_from_the_environment_without_db(
        db: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKSIDE_DB", str(db))
    assert main(["history", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 4


def test_without_db_the_config_file_names_the_database(
        db: Path, tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKSIDE_DB", raising=False)
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\npath = "{db}"\n')
    assert main(["export", "2", "--config", str(config)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 5  # a heading and 4 reps


def test_history_shows_the_finish_screens_difference_to_target(
        tmp_path: Path, capsys: Capture) -> None:
    path = tmp_path / "trackside.db"
    with SessionStore.open(path) as store:
        session_id, reps = start(store, "distance")  # 4 x 200 m at 30 s, by the beam
        raced = [replace(rep, ended_at=rep.started_at + seconds)
                 for rep, seconds in zip(reps, (29.851, 29.861, 29.871, 29.881))]
        for rep in raced:
            store.record_rep(session_id, rep)
        store.finish(session_id, Outcome.FINISHED, datetime(2026, 5, 2, 18, tzinfo=UTC))
    finished = summary(view(results=tuple(raced)))  # the finish screen of that session
    screen = {stat.label: stat.value for stat in finished.stats}["VS TARGET"]
    assert screen == "-0.12"  # 29.86, 29.87, 29.88, 29.89 as shown; the raw average is -0.134
    assert main(["history", "--db", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[1].endswith(f"{screen} s")


def test_one_rep_is_one_rep(tmp_path: Path, capsys: Capture) -> None:
    path = tmp_path / "trackside.db"
    with SessionStore.open(path) as store:
        session_id, reps = start(store, "distance")
        store.record_rep(session_id, reps[0])
    out = tmp_path / "one.csv"
    assert main(["export", str(session_id), "--db", str(path), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"1 rep of session {session_id} written to {out}\n"
