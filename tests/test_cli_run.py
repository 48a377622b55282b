"""`trackside run` and `trackside demo` from the command line, as a user types them."""

import io
import json
import logging
import math
import re
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
    (["run", "4x400m r60", "--channels", "c1"], "--channels: the line protocol has no channels"),
    (["run", "4x400m r60", "--protocol", "stamped", "--pattern", "^B"],
     "--pattern: only the line protocol takes a pattern"),
    (["run", "4x400m r60", "--baud", "0"], "--baud: must be more than 0 (got 0)"),
    (["doctor", "--protocol", "alge", "--channels", "c9"], "--channels: 'c9' is not an ALGE"),
    (["run", "4x400m r60", "--web", "99999"], "--web: must be 65535 or less (got 99999)"),
    (["run", "4x400m r60", "--web", "::1:8080"], "--web: '::1:8080' is not a port or HOST:PORT"),
    (["forget-phones", "--web", "port"], "--web: 'port' is not a port or HOST:PORT"),
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
    assert "PAUSED" not in out  # `end` is no long hold: no pause first
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
    def run_session(config: RunConfig, **_: object) -> int:
        asked.append(config)
        return 0

    monkeypatch.setattr("trackside.commands.demo.run_session", run_session)
    monkeypatch.setattr("trackside.commands.run.run_session", run_session)
    main(["demo", "--terminal"])
    main(["run", "4x400m r60", "--terminal"])
    assert [config.summary_s for config in asked] == [DEMO_SUMMARY_S, math.inf]
    assert 3 <= DEMO_SUMMARY_S <= 10


def test_an_event_log_on_a_full_disk_is_told_on_screen_and_the_session_goes_on_and_is_saved(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("press\nlap\n"))
    db = tmp_path / "t.db"
    assert main(["run", "1x400m @60s", "--headless", "--db", str(db), "--events", "/dev/full",
                 "--lead-in", "0", "--min-lap", "0"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]  # to the end: the lines wait, in memory
    assert re.fullmatch(r"  NOT LOGGING: disk full, \d+ lines waiting", last), last
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        "/dev/full: disk full; keeping the lines to write them when it works again (the timer "
        "runs on)",  # said once, as it began...
        f"/dev/full: {last.split()[4]} lines were never written (disk full)"]  # ...and at the end
    assert main(["history", "--json", "--db", str(db)]) == 0
    (session,) = json.loads(capsys.readouterr().out)
    assert (session["status"], session["reps_done"]) == ("finished", 1)


def test_an_event_log_that_cannot_be_opened_is_one_line_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = tmp_path / "no-such-folder" / "events.jsonl"
    assert main(["run", "1x400m", "--headless", "--events", str(events)]) == 2
    err = capsys.readouterr().err
    assert err == (f"trackside: error: --events {events}: cannot append to it "
                   "(no such file or directory)\n")


@pytest.mark.parametrize(("plan", "crossings"), [
    ("1x400m @60s", 2),  # on the config's 200 m track the line comes every 200 m
    ("own-lap.toml", 1),  # a plan that says its lap keeps it
])
def test_the_configured_lap_decides_how_often_a_rep_crosses_the_line(
        plan: str, crossings: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[timing]\nlap_m = 200\n")
    (tmp_path / "own-lap.toml").write_text(
        'lap = "400m"\n[[blocks]]\nreps = 1\ndistance = "400m"\ntarget = "60s"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("press\nlap\nlap\n"))
    events = tmp_path / "events.jsonl"
    assert main(["run", plan, "--config", str(config), "--headless", "--db", "t.db",
                 "--events", str(events), "--lead-in", "0", "--min-lap", "0"]) == 0
    logged = [json.loads(line) for line in events.read_text().splitlines()]
    (rep,) = [line for line in logged if line["type"] == "rep"]
    accepted = [line for line in logged if line["type"] == "crossing" and line["accepted"]]
    assert len(accepted) == crossings and len(rep["splits_s"]) == crossings - 1


def test_a_plan_that_cannot_fit_the_configured_lap_is_one_line_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[timing]\nlap_m = 1000\n")
    assert main(["run", "1x800m c2", "--config", str(config), "--headless"]) == 2
    assert capsys.readouterr().err == (
        "trackside: error: 1x800m c2 on a 1000 m lap ([timing] lap_m): blocks[0].crossings: "
        "a 800 m rep crosses a 1000 m lap's line at most 1 time\n")


def test_config_check_refuses_a_default_plan_that_cannot_fit_the_configured_lap(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[timing]\nlap_m = 1000\n[plan]\ndefault = "1x800m c2"\n')
    assert main(["config", "--check", str(config)]) == 2  # what `run` would refuse
    assert capsys.readouterr().err == (
        f"trackside: error: {config}, plan.default: 1x800m c2 on a 1000 m lap ([timing] "
        "lap_m): blocks[0].crossings: a 800 m rep crosses a 1000 m lap's line at most 1 time\n")


def test_a_rep_ended_by_a_typed_press_is_kept_logged_and_exported_as_the_keyboards(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db, events = tmp_path / "sessions.db", tmp_path / "events.jsonl"
    monkeypatch.setattr("sys.stdin", io.StringIO("press\npress\nquit\n"))
    assert main(["run", "2x200m @30s r30", "--headless", "--db", str(db), "--events",
                 str(events), "--lead-in", "0", "--min-lap", "0"]) == 0
    logged = [json.loads(line) for line in events.read_text().splitlines()]
    assert {line["source"] for line in logged if line["type"] == "command"} == {"keyboard"}
    assert [line["source"] for line in logged if line["type"] == "rep"] == ["keyboard"]
    capsys.readouterr()
    assert main(["export", "1", "--format", "json", "--db", str(db)]) == 0
    [rep] = json.loads(capsys.readouterr().out)["reps"]
    assert (rep["source"], rep["precision_s"]) == ("keyboard", 0.1)
