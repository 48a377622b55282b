"""Signals and lost terminals, in real processes: SIGTERM (systemctl stop), SIGINT (Ctrl-C)
and SIGHUP (the terminal or the SSH session closed) each end a run as a quit. The session
is recorded as interrupted with every rep it showed, the summary is printed, the exit
code is 0, and `--resume` would continue it. Waits on the lines printed, never a sleep.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from headless_process import TIMING, Headless

from trackside.adapters.store_reader import SessionReader, SessionStatus

QUIT_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
PLAN = "4x200m @30s r1"
REP_SHOWN = re.compile(r"^REST\b.*\bLAST\b")  # rep 1 on the status line: it is on disk
SRC = Path(__file__).parents[1] / "src"


def _signals_as_at_a_terminal() -> None:
    """In the child: the quit signals at their defaults, even if this test run was started
    in the background (where SIGINT is ignored, and a run rightly leaves it so)."""
    for number in QUIT_SIGNALS:
        signal.signal(number, signal.SIG_DFL)


def _session(db: Path) -> tuple[SessionStatus, int, bool]:
    reader = SessionReader(db)
    [session] = reader.history()
    return session.status, session.reps_done, reader.unfinished() is not None


@pytest.mark.parametrize("number", QUIT_SIGNALS, ids=lambda number: number.name)
def test_a_signal_ends_the_run_as_a_quit_and_keeps_every_rep_it_showed(
        number: signal.Signals, tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    run = Headless(PLAN, "--db", str(db), preexec_fn=_signals_as_at_a_terminal)
    run.send("press")
    run.run_rep()
    run.wait_for(REP_SHOWN)
    run.process.send_signal(number)
    code, after = run.finish()
    assert code == 0, "".join(run.seen)
    assert "STOPPED 4x200m @30s r1: REPS 1" in after, after  # the summary
    assert "Traceback" not in "".join(run.seen)
    assert _session(db) == (SessionStatus.INTERRUPTED, 1, True)  # resumable


def test_an_ignored_signal_stays_ignored_as_under_nohup(tmp_path: Path) -> None:
    def hangups_ignored() -> None:
        _signals_as_at_a_terminal()
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    run = Headless(PLAN, "--db", str(tmp_path / "t.db"), preexec_fn=hangups_ignored)
    run.wait_for(re.compile("^READY"))
    run.process.send_signal(signal.SIGHUP)
    run.send("quit")  # still running: it answers a control line
    code, after = run.finish()
    assert code == 0 and "STOPPED" in after, after


def test_a_terminal_that_closes_ends_the_run_and_keeps_the_session(tmp_path: Path) -> None:
    """The real SIGHUP: the run's controlling terminal goes away, and with it standard
    input and output (reads and writes fail with EIO). Said on stderr, no traceback."""
    db, log = tmp_path / "sessions.db", tmp_path / "stderr.txt"
    master, slave = os.openpty()

    def own_terminal() -> None:  # a new session whose controlling terminal is the pty
        _signals_as_at_a_terminal()
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "trackside", "run", PLAN, "--headless", "--db", str(db),
             *TIMING], stdin=slave, stdout=slave, stderr=stderr, preexec_fn=own_terminal,
            env={**os.environ, "PYTHONPATH": str(SRC)})
    os.close(slave)
    try:
        _read_until(master, b"READY")
        os.write(master, b"press\n")
        _read_until(master, b"GO")
        os.write(master, b"lap\n")
        _read_until(master, b"LAST")
        os.close(master)  # the terminal window is closed
        assert process.wait(10) == 0
    finally:
        process.kill()
    assert "Traceback" not in log.read_text()
    assert _session(db) == (SessionStatus.INTERRUPTED, 1, True)


def _read_until(master: int, text: bytes) -> None:
    seen = b""
    while text not in seen:
        ready, _, _ = select.select([master], [], [], 10.0)  # it prints every second
        assert ready, seen
        seen += os.read(master, 4096)


def test_a_run_with_standard_input_closed_runs_on_and_says_so_once(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    run = Headless(PLAN, "--db", str(db),
                   preexec_fn=lambda: (_signals_as_at_a_terminal(), os.close(0)))
    run.wait_for(re.compile("^READY"))
    run.process.send_signal(signal.SIGTERM)
    code, after = run.finish()
    assert code == 0 and "STOPPED" in after, after
    said = "".join(run.seen)  # stderr too, in whatever order the two streams came
    assert said.count("no standard input: control lines are off, the button still works") == 1
    assert "Traceback" not in said
