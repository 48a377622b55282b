"""`trackside run --resume [ID]` as a coach (and the service's ExecStart) types it."""

import io
import json
import re
from pathlib import Path

import pytest
from store_support import open_store, start

from trackside.adapters.store_reader import SessionReader, SessionStatus
from trackside.cli import main
from trackside.core.events import Outcome

Capture = pytest.CaptureFixture[str]
PLAN = "2x200m @30s r30"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Session 1 interrupted after 2 reps of 4; session 2 finished; session 3 interrupted."""
    path = tmp_path / "trackside.db"
    with open_store(path) as store:
        for kind, done, outcome in (("distance", 2, Outcome.INTERRUPTED),
                                    ("timed", 3, Outcome.FINISHED),
                                    ("count", 1, Outcome.INTERRUPTED)):
            session, reps = start(store, kind)
            for rep in reps[:done]:
                store.record_rep(session, rep)
            store.finish(session, outcome, 900.0)
    return path


def _run(db: Path, *options: str, controls: str = "quit\n") -> int:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(controls))
        return main(["run", PLAN, "--headless", "--db", str(db), *options])


def _said(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelname == "WARNING"
            and record.name.startswith("trackside.session")]


def test_with_nothing_to_resume_the_plan_starts_fresh_and_says_so(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "trackside.db"
    assert _run(db, "--resume") == 0
    assert _said(caplog) == [f"nothing to resume: starting {PLAN}"]
    assert SessionReader(db).history() == []  # quit at READY: nothing ran, nothing kept


def test_the_newest_unfinished_session_is_resumed_whatever_ran_since(
        db: Path, caplog: pytest.LogCaptureFixture) -> None:
    with open_store(db) as store:  # session 3 is finished off, after 2 and 1 were left
        store.finish(store.resume(3), Outcome.ENDED_EARLY, 950.0)
    assert _run(db, "--resume") == 0
    assert _said(caplog) == ["resuming session 1 (4x200m): 2 reps done"]
    assert [row.status for row in SessionReader(db).history()] == [
        SessionStatus.ENDED_EARLY, SessionStatus.FINISHED, SessionStatus.INTERRUPTED]


def test_a_named_session_is_resumed_even_with_a_newer_one_unfinished(
        db: Path, caplog: pytest.LogCaptureFixture, tmp_path: Path, capsys: Capture) -> None:
    events = tmp_path / "events.jsonl"
    assert _run(db, "--resume", "1", "--events", str(events), "--lead-in", "0", "--min-lap",
                "0", controls="press\nlap\nquit\n") == 0
    assert _said(caplog) == ["resuming session 1 (4x200m): 2 reps done"]
    # --resume alone would take session 3, the newest unfinished one
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"session 1 kept: resume with `trackside run --resume 1 --db {db}`")
    saved = SessionReader(db).export(1)
    assert [rep.index for rep in saved.reps] == [1, 2, 3]
    assert saved.rep_runs == {1: 1, 2: 1, 3: 2}
    assert saved.session.status is SessionStatus.INTERRUPTED
    first = json.loads(events.read_text().splitlines()[0])
    assert first | {"mono_ns": 0, "wall_time": ""} == {
        "type": "run_started", "mono_ns": 0, "wall_time": "", "clock": "unsynchronised",
        "resumed": True, "session": 1, "reps_done": 2}


@pytest.mark.parametrize(("resume", "says"), [
    ("2", "session 2 has finished: there is nothing to resume (trackside history lists"),
    ("99", "there is no session 99 (trackside history lists them)"),
    ("4x400m", "argument --resume: '4x400m' is not a session id"),
    ("123456789012345678901234", "is not a session id"),
])
def test_resuming_what_cannot_be_resumed_is_one_line_and_exit_2(
        db: Path, capsys: Capture, resume: str, says: str) -> None:
    assert _run(db, "--resume", resume) == 2
    error = capsys.readouterr().err
    assert says in error and error.count("\n") == 1
    assert [row.status for row in SessionReader(db).history()][0] is SessionStatus.INTERRUPTED


def test_a_fresh_run_logs_the_wall_clock_once_at_its_start(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    assert _run(tmp_path / "trackside.db", "--events", str(events)) == 0
    lines = [json.loads(line) for line in events.read_text().splitlines()]
    assert [line["type"] for line in lines].count("run_started") == 1
    assert lines[0]["type"] == "run_started" and lines[0]["resumed"] is False
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d",
                        lines[0]["wall_time"])
    assert lines[0]["clock"] in ("synchronised", "unsynchronised")


def test_a_session_that_died_after_its_last_rep_is_finished_not_resumed(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "trackside.db"
    with open_store(db) as store:
        session, reps = start(store, "distance")
        for rep in reps:
            store.record_rep(session, rep)  # then kill -9, before the end is written
    assert _run(db, "--resume") == 0
    assert _said(caplog) == [
        f"session 1 has every rep on record: marked finished; starting {PLAN}"]
    [row] = SessionReader(db).history()
    assert (row.status, row.finished_utc, row.reps_done) == (SessionStatus.FINISHED, None, 4)


def test_a_session_interrupted_before_its_first_rep_is_resumed_and_says_so(
        tmp_path: Path, capsys: Capture, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "trackside.db"
    with open_store(db) as store:
        session, _ = start(store, "distance")
        store.finish(session, Outcome.INTERRUPTED, 30.0)  # quit in the lead-in
    assert _run(db, "--resume") == 0
    assert _said(caplog) == ["resuming session 1 (4x200m): 0 reps done"]
    assert "RESUMED SESSION" in capsys.readouterr().out.splitlines()[0]
