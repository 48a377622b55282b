"""A real stall: `trackside run --headless` stopped with SIGSTOP and continued with SIGCONT,
through GO and then through the athlete's crossing of the beam (a pseudo-terminal).

The process's monotonic clock is this one (CLOCK_MONOTONIC is the machine's), so the test
reads when the lead-in began from the event log and stops the process just before GO. Each
stop lasts STOP_S: longer than the timer's moment (`LATE_S`), short enough for a test. A
machine too busy to stop it in time is given another try; what is asserted is only what
a user would notice.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
import tty
from pathlib import Path

import pytest
from headless_process import Headless

from trackside.adapters.store_reader import SessionReader
from trackside.core.settings import LATE_S

STOP_S = 0.45  # each stop; the moment is 0.25 s
LEAD_IN_S = 0.6
CUE_BEFORE_GO_S = 0.05  # the 'ten seconds' cue, moved (warning_s) to just before GO
STOP_BEFORE_GO_S = 0.12  # so the stop passes that cue and GO, each by more than the moment
ATTEMPTS = 3
REP = re.compile(r"^GO\b")


def events(path: Path) -> list[dict]:
    text = path.read_text() if path.exists() else ""
    return [json.loads(line) for line in text.splitlines() if line.endswith("}")]


def wait_for(path: Path, kind: str, timeout_s: float = 5.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [line for line in events(path) if line["type"] == kind]
        if found:
            return found[0]
        time.sleep(0.002)
    raise AssertionError(f"no {kind!r} line in {path}")


def until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


def all_threads_stopped(pid: int) -> bool:
    """Whether every thread of `pid` is stopped (state T in /proc)."""
    tasks = Path(f"/proc/{pid}/task")
    states = [(task / "stat").read_text().rpartition(")")[2].split()[0] for task in tasks.iterdir()]
    return all(state in "Tt" for state in states)


def stopped(process: Headless, seconds: float, during: object = None) -> tuple[float, float]:
    """Stop the process for `seconds` (doing `during` meanwhile): when it stopped, continued."""
    pid = process.process.pid
    stop = time.monotonic()
    os.kill(pid, signal.SIGSTOP)
    while not all_threads_stopped(pid):  # a running thread takes a moment to stop
        time.sleep(0.001)
    if callable(during):
        during()
    until(stop + seconds)
    cont = time.monotonic()
    os.kill(pid, signal.SIGCONT)
    return stop, cont


def one_session(folder: Path) -> tuple[Headless, float, float, float] | None:
    """Run 1x200m, stopped through GO and again through the crossing; None if the machine
    was too busy to stop it before the cue that precedes GO."""
    master, slave = os.openpty()
    tty.setraw(slave)
    config = folder / "config.toml"
    config.write_text(f"[timing]\nwarning_s = {CUE_BEFORE_GO_S}\ncount_in = 0\n")
    log = folder / "events.jsonl"
    run = Headless("1x200m @30s", "--config", str(config), "--db", str(folder / "t.db"),
                   "--events", str(log), "--serial", os.ttyname(slave), "--protocol", "line",
                   timing=["--lead-in", str(LEAD_IN_S), "--min-lap", "0"])
    try:
        run.wait_for(re.compile(r"^READY"))
        run.send("press")
        go_due = wait_for(log, "session_started")["mono_ns"] / 1e9 + LEAD_IN_S
        until(go_due - STOP_BEFORE_GO_S)
        stop, cont = stopped(run, STOP_S)
        if stop >= go_due - CUE_BEFORE_GO_S or cont - go_due <= LATE_S + 0.05:
            return None
        run.wait_for(REP)
        crossed = []
        stopped(run, STOP_S, during=lambda: crossed.append((time.monotonic(),
                                                             os.write(master, b"BRK\n"))))
        code, _ = run.finish()
        assert code == 0, "".join(run.seen)
        return run, go_due, cont, crossed[0][0]
    finally:
        run.process.kill()
        os.close(master)
        os.close(slave)


def test_a_real_stall_through_go_and_the_crossing_is_told_honestly(tmp_path: Path) -> None:
    for attempt in range(ATTEMPTS):
        folder = tmp_path / str(attempt)
        folder.mkdir()
        if (session := one_session(folder)) is not None:
            break
    else:
        pytest.fail(f"too busy to stop the process in time, {ATTEMPTS} times")
    run, go_due, cont, crossed = session
    logged = events(folder / "events.jsonl")
    missed = [line for line in logged if line["type"] == "cue_missed"]
    assert [line["cue"] for line in missed] == ["ten_seconds"]  # dropped, not burst...
    assert "ten_seconds" not in [line["cue"] for line in logged if line["type"] == "cue"]
    [go] = [line for line in logged if line.get("cue") == "go"]
    assert go["mono_ns"] / 1e9 >= cont  # ...and GO sounded when the timer ran again
    [rep] = [line for line in logged if line["type"] == "rep"]
    assert rep["late_start_s"] == pytest.approx(cont - go_due, abs=0.1)
    [crossing] = [line for line in logged if line["type"] == "crossing"]
    assert crossing["uncertain"] and crossing["stalled_s"] >= STOP_S - 0.1
    assert crossing["mono_ns"] / 1e9 > crossed  # read when the timer ran again: doubted
    summary = "".join(run.seen)
    assert re.search(r"1\.1 \d+\.\d\d\? 30\.0 s LATE START", summary), summary
    [saved] = SessionReader(folder / "t.db").export(1).reps
    assert saved.uncertain and saved.late_start_s == pytest.approx(rep["late_start_s"], abs=1e-3)
