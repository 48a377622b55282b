"""The issue's crash test, for real: kill -9 a running `trackside run` after two reps,
resume it in a new process, finish it, and find every rep on record once and in order.

The one test that takes real time (the lead-in and the rests run on the real clock): a
few seconds. It waits on the status lines the process prints, never on a fixed sleep.
"""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Callable
from pathlib import Path

from headless_process import REP_STARTED, Headless

from trackside.adapters.store_reader import SessionReader, SessionStatus

PLAN = "4x200m @30s r1"


def _reps_on_disk(db: Path) -> int:
    rows = SessionReader(db).history() if db.exists() else []
    return rows[0].reps_done if rows else 0


def _until(condition: Callable[[], bool], timeout_s: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)  # the writer commits within milliseconds
    return True


def test_a_session_killed_after_two_reps_resumes_and_keeps_every_rep_once(
        tmp_path: Path) -> None:
    db = tmp_path / "trackside.db"
    first = Headless(PLAN, "--db", str(db))
    try:
        first.send("press")
        first.run_rep()
        first.run_rep()  # the rest between them runs on its own
        first.wait_for(REP_STARTED)  # rep 3 is running...
        assert _until(lambda: _reps_on_disk(db) == 2)
        first.process.send_signal(signal.SIGKILL)  # ...when the power goes
        first.process.wait(5)
    finally:
        first.process.kill()
    assert _reps_on_disk(db) == 2
    assert SessionReader(db).history()[0].status is SessionStatus.RUNNING  # died, not stopped

    second = Headless("--resume", "--db", str(db))
    try:
        second.wait_for(re.compile("PRESS", re.IGNORECASE))  # the rep that ran is run again
        second.send("press")
        second.run_rep()
        second.run_rep()
        assert second.process.wait(10) == 0
    finally:
        second.process.kill()

    [session] = SessionReader(db).history()
    saved = SessionReader(db).export(session.id)
    assert [(rep.set_no, rep.rep_no) for rep in saved.reps] == [(1, 1), (1, 2), (1, 3), (1, 4)]
    assert session.status is SessionStatus.FINISHED
    assert (session.reps_done, session.reps_planned) == (4, 4)
