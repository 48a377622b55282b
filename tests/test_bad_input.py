"""Bad input at the door: exit 2 and one line naming the value and where, before anything
starts; and faults of the standard streams: said once, never a traceback."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trackside.adapters import gpio
from trackside.cli import main

HUGE = "9" * 310  # a float of 310 digits is inf
PLAN = "4x400m @75s r60"
SRC = Path(__file__).parents[1] / "src"


@pytest.mark.parametrize(("argv", "says"), [
    (["run", PLAN, "--lead-in", HUGE], "argument --lead-in: "),  # inf, refused
    (["run", PLAN, "--lead-in", "20min"], "argument --lead-in: must be 600 or less (got '20min')"),
    (["run", PLAN, "--min-lap", "2h"], "argument --min-lap: must be 3600 or less (got '2h')"),
    (["run", PLAN, "--baud", "99999999999"],
     "argument --baud: must be 4000000 or less (got 99999999999)"),  # as [beam] baud
    (["run", PLAN, "--baud", "9e3"], "argument --baud: '9e3' is not a whole number"),
    (["run", PLAN, "--size", "99999x99999"], "argument --size: 99999x99999 is not a window size: "
     "from 10x10 up to 7680x4320 (or 4320x7680), the largest screen"),
    (["demo", "--size", "0x0"], "argument --size: 0x0 is not a window size"),
    (["run", PLAN, "--serial", ""], "argument --serial: an empty port: name one (/dev/ttyUSB0) "
     "or write 'auto'"),  # not taken as auto
    (["run", PLAN, "--channels", "c1"], "--channels: the line protocol has no channels"),
    (["run", PLAN, "--db", ""], "argument --db: empty: write a value"),  # not the default
    (["doctor", "--button-pin", "99"], "argument --button-pin: must be 27 or less (got 99)"),
    (["doctor", "--buzzer-pin", "1"], "argument --buzzer-pin: must be 2 or more (got 1)"),
    (["doctor", "--wait", "121"], "argument --wait: must be 2:00 (120 s) or less"),
    (["doctor", "--wait", HUGE], "argument --wait: "),
    (["screenshot", PLAN, "--at", "25h", "--out", "x.png"],
     "argument --at: must be 24:00:00 (86400 s) or less"),
    (["run", PLAN, "--nonsense\nTraceback"], r"unrecognized arguments: --nonsense\nTraceback"),
])
def test_a_bad_option_is_one_line_and_exit_2(argv: list[str], says: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1, err


def test_the_options_take_what_the_config_takes(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Capped like the config, but no tighter: the largest values a config holds pass."""
    assert main(["screenshot", PLAN, "--at", "1:00", "--size", "4320x7680",
                 "--out", str(tmp_path / "tall.png")]) == 0
    assert "4320x7680" in capsys.readouterr().out


# --- --events: checked when the run starts, before a session is opened -----------------


@pytest.mark.parametrize("where", ["missing/events.jsonl", ".", "/sys/events.jsonl"],
                         ids=["a missing folder", "a folder", "a read-only place"])
def test_an_event_log_that_cannot_be_written_stops_the_run_before_it_starts(
        where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events, db = tmp_path / where, tmp_path / "sessions.db"
    assert main(["run", PLAN, "--headless", "--db", str(db), "--events", str(events)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"trackside: error: --events {events}: cannot append to it (")
    assert err.count("\n") == 1
    assert not db.exists()  # no session was started


# --- GPIOZERO_PIN_FACTORY: a factory asked for by name must start -----------------------


def test_a_pin_factory_asked_for_that_does_not_start_is_refused_with_its_fix(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Not mock pins instead: the user asked for real ones, and a button that does nothing
    at the track is worse than a line at the door."""
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "lgpio")
    monkeypatch.setattr(gpio, "raspberry_pi_model", lambda: "Raspberry Pi 5 Model B Rev 1.0")
    monkeypatch.setitem(gpio._REAL_FACTORIES, "lgpio", "no_such_module_lgpio:LGPIOFactory")
    db = tmp_path / "sessions.db"
    assert main(["run", PLAN, "--headless", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("trackside: error: GPIOZERO_PIN_FACTORY=lgpio: No module named")
    assert "fix: sudo apt install python3-lgpio" in err and err.count("\n") == 1
    assert not db.exists()


@pytest.mark.skipif(gpio.raspberry_pi_model() is not None, reason="native works on a Pi")
def test_the_native_factory_off_a_pi_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "native")
    assert main(["run", PLAN, "--headless", "--db", str(tmp_path / "t.db")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("trackside: error: GPIOZERO_PIN_FACTORY=native: ")
    assert err.endswith("fix: this is not a Raspberry Pi: unset GPIOZERO_PIN_FACTORY for "
                        "mock pins\n")


# --- standard output and encodings ---------------------------------------------------


def _trackside(*argv: str, stdout: object = subprocess.PIPE,
               **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trackside", *argv], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=30,
                          env={**os.environ, "PYTHONPATH": str(SRC), **env})


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("argv", [["show", PLAN], ["history", "--db", "DB"]])
def test_a_full_disk_under_standard_output_is_one_line_and_exit_1(
        argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "sessions.db"
    monkeypatch.setattr("sys.stdin", io.StringIO("quit\n"))
    assert main(["run", PLAN, "--headless", "--db", str(db)]) == 0  # a session to list
    with open("/dev/full", "w") as full:
        done = _trackside(*[str(db) if arg == "DB" else arg for arg in argv], stdout=full)
    assert (done.returncode, done.stderr) == (
        1, "trackside: error: cannot write the output (No space left on device)\n")


class _FullStream(io.StringIO):
    """Standard output on a full disk: every write fails."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


class _ClosedPipe(io.StringIO):
    """Standard output into a pipe whose reader left (`trackside --help | head -0`)."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["history", "--help"]])
def test_help_and_version_on_a_full_disk_are_one_line_and_exit_1(argv: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = _trackside(*argv, stdout=full)
    assert (done.returncode, done.stderr) == (
        1, "trackside: error: cannot write the output (No space left on device)\n")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("argv", [["--help"], ["show", PLAN], ["show", "nosuch"], ["nosuch"]])
def test_with_standard_error_full_too_the_exit_is_1_and_nothing_else(argv: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "trackside", *argv], stdout=full,
                              stderr=full, timeout=30, env={**os.environ, "PYTHONPATH": str(SRC)})
    assert done.returncode == 1  # not 120: no second failure flushing at exit


NO_ROOM = "trackside: error: cannot write the output (No space left on device)\n"


@pytest.mark.parametrize(("argv", "stdout", "stderr", "code", "said"), [
    (["--help"], _FullStream, io.StringIO, 1, NO_ROOM),
    (["show", PLAN], _FullStream, io.StringIO, 1, NO_ROOM),
    (["--help"], _ClosedPipe, io.StringIO, 1, ""),  # as Unix tools: 1, and nothing said
    (["show", PLAN], _ClosedPipe, io.StringIO, 1, ""),
    (["--help"], _FullStream, _FullStream, 1, None),
    (["show", PLAN], _FullStream, _FullStream, 1, None),
    (["show", "nosuch"], io.StringIO, _FullStream, 1, None),  # its one line cannot be said
    (["nosuch"], io.StringIO, _FullStream, 1, None),
])
def test_a_standard_stream_that_fails_is_exit_1_never_a_traceback(
        argv: list[str], stdout: type[io.StringIO], stderr: type[io.StringIO], code: int,
        said: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout", stdout())
    monkeypatch.setattr("sys.stderr", stderr())
    assert main(argv) == code
    if said is not None:
        assert sys.stderr.getvalue() == said


def test_a_run_whose_output_fails_runs_on_keeps_the_session_and_says_so_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "sessions.db"
    monkeypatch.setattr("sys.stdin", io.StringIO("press\nlap\nquit\n"))
    monkeypatch.setattr("sys.stdout", _FullStream())
    assert main(["run", "2x200m @30s r30", "--headless", "--db", str(db),
                 "--lead-in", "0", "--min-lap", "0"]) == 0
    said = [record.getMessage() for record in caplog.records]
    assert [line for line in said if "disk full" in line or "No space" in line] == [
        "SCREEN OFF: disk full; the timer runs on without it"], said  # once, by one owner
    monkeypatch.setattr("sys.stdout", io.StringIO())
    assert main(["history", "--db", str(db)]) == 0
    assert "interrupted   1/2" in sys.stdout.getvalue()


def test_a_plan_name_the_terminal_cannot_encode_is_shown_escaped(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('name = "Café 400s"\n\n[[blocks]]\nreps = 2\ndistance = "400m"\n'
                    'rest = 60\n', encoding="utf-8")
    done = _trackside("show", str(plan), PYTHONIOENCODING="ascii")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("Caf\\xe9 400s\n")
