"""`trackside run` and `trackside demo` from the command line, as a user types them."""

import io
import json
import math
from pathlib import Path

import pytest

from trackside.app import RunConfig
from trackside.cli import main
from trackside.commands.demo import DEMO_SUMMARY_S


def test_the_demo_runs_a_whole_session_headless_and_prints_the_summary(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    events = tmp_path / "demo.jsonl"
    assert main(["demo", "--headless", "--speed", "2000", "--events", str(events),
                 "2x200m @30s r30"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("READY PRESS TO START |")  # one set: no 'SET 1'
    assert "FINISHED" in out and "AVERAGE" in out
    reps = [json.loads(line) for line in events.read_text().splitlines()
            if json.loads(line)["type"] == "rep"]
    assert [rep["index"] for rep in reps] == [1, 2]


def test_the_demo_saves_nothing_to_the_session_database(tmp_path: Path) -> None:
    assert main(["demo", "--headless", "--speed", "2000", "1x200m @30s"]) == 0
    assert not list(tmp_path.parent.rglob("trackside.db"))


@pytest.mark.parametrize(("argv", "says"), [
    (["run", "4x400m @4:75/km r60", "--headless"], "4:75/km"),
    (["run", "0x400m", "--headless"], "column"),
    (["run", "hard-kick-50", "--headless"], "did you mean 'hard-kick-500'"),
    (["run", "4x400m r60", "--lead-in", "soon"], "--lead-in"),
    (["run", "4x400m r60", "--config", "/nonexistent/config.toml"], "config"),
    (["demo", "--speed", "0"], "--speed"),
])
def test_bad_input_is_one_line_and_exit_2(argv: list[str], says: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1


def _run_headless(controls: str, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(controls))
    assert main(["run", "2x200m @30s r30", "--headless", "--db", str(db)]) == 0


def test_a_headless_run_reads_controls_on_stdin_and_records_the_session(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "t.db"
    _run_headless("press\nend\n", db, monkeypatch)
    out = capsys.readouterr().out
    assert "ENDED EARLY" in out and "kept" not in out  # ended: nothing to resume
    assert main(["history", "--json", "--db", str(db)]) == 0
    (session,) = json.loads(capsys.readouterr().out)
    assert session["status"] == "ended_early" and session["reps_planned"] == 2


def test_quitting_a_recorded_session_says_how_to_resume_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "t.db"
    _run_headless("press\nquit\n", db, monkeypatch)
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"session 1 kept: resume with `trackside run --resume --db {db}`"


def test_the_demo_shows_its_summary_for_a_few_seconds_and_a_run_until_a_press(
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[RunConfig] = []
    monkeypatch.setattr("trackside.commands.demo.run_session", asked.append)
    monkeypatch.setattr("trackside.commands.run.run_session", asked.append)
    main(["demo", "--terminal"])
    main(["run", "4x400m r60", "--terminal"])
    assert [config.summary_s for config in asked] == [DEMO_SUMMARY_S, math.inf]
    assert 3 <= DEMO_SUMMARY_S <= 10
