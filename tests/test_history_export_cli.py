import csv
import io
import json
import os
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from store_support import PLANS, athlete_reps, mounted, open_store, plan, start
from view_factory import view

from trackside.adapters.store import NewSession
from trackside.cli import main
from trackside.core.printable import columns
from trackside.core.events import Outcome
from trackside.core.plan import Plan
from trackside.core.readout import summary
from trackside.core.schedule import expand

Capture = pytest.CaptureFixture[str]


@pytest.fixture(autouse=True)
def _in_paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is Central European (+02:00 in May), whatever the machine's zone."""
    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Four sessions, one of each kind of plan; the count session was left running."""
    path = tmp_path / "trackside.db"
    with open_store(path) as store:
        for kind in sorted(PLANS):  # count, distance, segmented, timed
            session, reps = start(store, kind)
            for rep in reps:
                store.record_rep(session, rep)
            if kind != "count":
                store.finish(session, Outcome.FINISHED, 1800.0)
    return path


def test_history_lists_sessions_newest_first_with_reps_and_difference_to_target(
        db: Path, capsys: Capture) -> None:
    assert main(["history", "--db", str(db)]) == 0
    *lines, legend = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "PLAN", "STARTED", "STATUS", "REPS", "AVG", "+/-"]
    assert [line.split()[0] for line in lines[1:]] == ["4", "3", "2", "1"]
    assert "3x20s hill" in lines[1] and "3/3" in lines[1]
    assert "2026-05-02 19:30*" in lines[1]  # local time; the clock was not synchronised
    assert "running" in lines[4] and "2/2" in lines[4]
    assert lines[3].endswith("+0.25 s")  # 4x200m: -0.2, +0.1, +0.4, +0.7 off a 30 s target
    assert legend == "* the clock was not synchronised: the date and time may be wrong"


@pytest.mark.parametrize("name", ["東京 400m", "Café e\u0301", "red\x1b[31m\tplan"])
def test_history_columns_line_up_whatever_the_plan_is_called(
        tmp_path: Path, capsys: Capture, name: str) -> None:
    path = tmp_path / "names.db"
    with open_store(path) as store:
        start(store, "timed")
        the_plan = plan("timed").model_copy(update={"name": name})
        store.start_session(NewSession.of("odd.toml", the_plan, expand(the_plan)), 0.0)
    assert main(["history", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\t" not in out  # shown escaped, never obeyed
    *lines, _legend = out.splitlines()
    # STARTED begins in the same terminal column on every line
    assert len({columns(line[:line.index(head)])
                for line, head in zip(lines, ["STARTED", "2026", "2026"], strict=True)}) == 1


def test_history_as_json_has_the_documented_keys(db: Path, capsys: Capture) -> None:
    assert main(["history", "--json", "--db", str(db)]) == 0
    sessions = json.loads(capsys.readouterr().out)
    assert [s["plan"] for s in sessions] == ["3x20s hill", "300+100", "4x200m", "2x10 squats"]
    assert sessions[2] == {
        "id": 2, "plan": "4x200m", "started_at": "2026-05-02T19:30:00+02:00",
        "clock": "unsynchronised", "status": "finished", "reps_done": 4, "reps_planned": 4,
        "finished_at": "2026-05-02T20:00:00+02:00", "plan_spec": "plans/distance.toml",
        "mean_delta_s": 0.25, "problem": None}


@pytest.mark.parametrize("made", [True, False])
def test_without_sessions_history_says_so(tmp_path: Path, capsys: Capture, made: bool) -> None:
    if made:
        open_store(tmp_path / "new.db").close()
    assert main(["history", "--db", str(tmp_path / "new.db")]) == 0
    assert capsys.readouterr().out == f"no sessions yet in {tmp_path / 'new.db'}\n"
    assert main(["history", "--json", "--db", str(tmp_path / "new.db")]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_export_writes_every_rep_as_csv_with_what_it_was_and_when(
        db: Path, capsys: Capture) -> None:
    assert main(["export", "3", "--db", str(db)]) == 0  # 2 sets of 2 x (300m + 100m kick)
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(row["set"], row["rep"]) for row in rows] == [("1", "1"), ("1", "2"), ("2", "1"),
                                                          ("2", "2")]
    assert rows[0] == {
        "session": "3", "plan": "300+100", "started_at": "2026-05-02T19:46:40+02:00",
        "clock": "unsynchronised", "set": "1", "rep": "1", "label": "", "distance_m": "400.0",
        "count": "", "duration_s": "", "target_s": "62.0", "time_s": "61.8", "delta_s": "-0.2",
        "pace_per_km": "2:34/km", "splits": "200m=30.9", "source": "beam",
        "precision_s": "0.01", "late_start_s": "0.0", "uncertain": "false"}


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)",
                                  "\tTAB", "\rCR"])
def test_csv_never_hands_a_spreadsheet_a_formula_and_json_keeps_the_name(
        tmp_path: Path, capsys: Capture, name: str) -> None:
    path = tmp_path / "formula.db"
    the_plan = Plan.model_validate({**PLANS["distance"], "name": name})  # a label is letters
    with open_store(path) as store:
        session = store.start_session(NewSession.of("f.toml", the_plan, expand(the_plan)), 0.0)
        store.record_rep(session, athlete_reps(expand(the_plan))[0])  # 0.2 s under target
    assert main(["export", "1", "--db", str(path)]) == 0
    [row] = csv.DictReader(io.StringIO(capsys.readouterr().out, newline=""))
    assert (row["plan"], row["delta_s"]) == ("'" + name, "-0.2")  # a number stays one
    assert main(["export", "1", "--format", "json", "--db", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["plan"] == name


def test_export_as_json_has_the_session_its_plan_its_summary_and_its_reps(
        db: Path, tmp_path: Path, capsys: Capture) -> None:
    out = tmp_path / "session.json"  # the suffix picks the format
    assert main(["export", "2", "--db", str(db), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"4 reps of session 2 written to {out}\n"
    session = json.loads(out.read_text())
    assert (session["id"], session["plan"], session["status"]) == (2, "4x200m", "finished")
    assert session["plan_spec"] == "plans/distance.toml"  # what it was run from
    assert session["summary"] == {  # the finish screen's figures, as shown, and their precision
        "reps": 4, "vs_target_s": 0.25, "precision_s": 0.01, "groups": [{
            "what": "200 m @ 30.0 s", "reps": [1, 2, 3, 4], "precision_s": 0.01, "target_s": 30.0,
            "mean_s": 30.25, "best_s": 29.8, "worst_s": 30.7, "spread_s": 0.39, "fade_s": 0.9,
            "vs_target_s": 0.25}]}
    assert [rep["time_s"] for rep in session["reps"]] == [29.8, 30.1, 30.4, 30.7]
    assert session["reps"][0] | {"mono_started_s": 0, "mono_ended_s": 0} == {
        "index": 1, "set": 1, "rep": 1, "started_at": "2026-05-02T19:46:40+02:00",
        "clock": "unsynchronised", "label": None, "distance_m": 200.0, "count": None,
        "duration_s": None, "target_s": 30.0, "time_s": 29.8, "delta_s": -0.2,
        "pace_per_km": "2:29/km", "splits": [], "source": "beam", "precision_s": 0.01,
        "late_start_s": 0.0, "uncertain": False, "run": 1, "mono_started_s": 0,
        "mono_ended_s": 0}
    assert session["stopped_reps"] == []
    assert session["plan_definition"]["name"] == "4x200m"
    assert [step["kind"] for step in session["schedule"]["steps"]][:2] == ["rep", "rest"]
    assert session["problems"] == []
    assert oct(out.stat().st_mode & 0o777) == "0o644"


def test_count_and_timed_reps_export_what_they_were(db: Path, capsys: Capture) -> None:
    assert main(["export", "4", "--format", "json", "--db", str(db)]) == 0
    session = json.loads(capsys.readouterr().out)
    assert {(rep["duration_s"], rep["target_s"], rep["delta_s"], rep["source"])
            for rep in session["reps"]} == {(20.0, None, None, "time")}
    (group,) = session["summary"]["groups"]
    assert group["reps"] == [1, 2, 3] and group["mean_s"] is None  # a clock says nothing of speed
    assert main(["export", "1", "--format", "csv", "--db", str(db)]) == 0
    first = next(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (first["label"], first["count"], first["time_s"], first["source"],
            first["precision_s"], first["pace_per_km"]) == (
        "squat", "10", "26.0", "button", "0.1", "")


def test_export_out_on_a_full_disk_leaves_no_partial_file(
        db: Path, tmp_path: Path, capsys: Capture) -> None:
    with mounted(tmp_path / "tiny", "-t", "tmpfs", "-o", "size=64k", "tmpfs") as tiny_disk:
        (tiny_disk / "photos.bin").write_bytes(b"\0" * 60_000)
        out = tiny_disk / "session.json"
        assert main(["export", "3", "--format", "json", "--db", str(db), "--out",
                     str(out)]) == 2
        error = capsys.readouterr().err
        assert "No space left on device" in error and error.count("\n") == 1
        assert os.listdir(tiny_disk) == ["photos.bin"]


def test_export_to_a_pipe_writes_into_it(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        assert main(["export", "2", "--db", str(db), "--out", str(fifo)]) == 0
        assert os.read(reader, 100_000).decode().startswith("session,plan,started_at")
    finally:
        os.close(reader)
    assert fifo.is_fifo()  # still the pipe, not a file put in its place


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "9"], "there is no session 9"),
        (["export", "12345678901234567890123"], "argument ID: '12345678901234567890123' is "
                                                "not a session id"),
        (["export", "0"], "'0' is not a session id"),
        (["export", "-3"], "'-3' is not a session id"),
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
    with open_store(path) as store:
        session, reps = start(store, "distance")  # 4 x 200 m at 30 s, by the beam
        raced = [replace(rep, ended_at=rep.started_at + seconds)
                 for rep, seconds in zip(reps, (29.851, 29.861, 29.871, 29.881), strict=True)]
        for rep in raced:
            store.record_rep(session, rep)
        store.finish(session, Outcome.FINISHED, 1800.0)
    finished = summary(view(results=tuple(raced)))  # the finish screen of that session
    screen = {stat.label: stat.value for stat in finished.stats}["VS TARGET"]
    assert screen == "-0.12"  # 29.86, 29.87, 29.88, 29.89 as shown; the raw average is -0.134
    assert main(["history", "--db", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[1].endswith(f"{screen} s")


def test_one_rep_is_one_rep(tmp_path: Path, capsys: Capture) -> None:
    path = tmp_path / "trackside.db"
    with open_store(path) as store:
        session, reps = start(store, "distance")
        store.record_rep(session, reps[0])
    out = tmp_path / "one.csv"
    assert main(["export", "1", "--db", str(path), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"1 rep of session 1 written to {out}\n"
