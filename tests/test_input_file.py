"""A config, plan or workout file that is not a regular file, or is huge, is refused at
the door: exit 2, one line naming it, at once (a FIFO never blocks the command)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from trackside.cli import main

SRC = Path(__file__).parents[1] / "src"
Capture = pytest.CaptureFixture[str]


def _trackside(*argv: str) -> subprocess.CompletedProcess[str]:
    """In a process of its own: should it block on a FIFO, the timeout ends it."""
    return subprocess.run([sys.executable, "-m", "trackside", *argv], capture_output=True,
                          text=True, timeout=30, env={**os.environ, "PYTHONPATH": str(SRC)})


@pytest.mark.parametrize(("argv", "what"), [
    (["config", "--check", "{}"], "a config file"),
    (["run", "4x200m r60", "--headless", "--config", "{}"], "a config file"),
    (["show", "{}"], "a plan file"),
    (["show", "{}.toml"], "a plan file"),
    (["show", "{}.fit"], "a workout file"),
    (["show", "{}.txt"], "a workout file"),
])
def test_a_fifo_is_refused_in_one_line_without_waiting_for_a_writer(
        tmp_path: Path, argv: list[str], what: str) -> None:
    fifo = tmp_path / "pipe"
    named = [arg.format(fifo) for arg in argv]
    os.mkfifo(next(arg for arg in named if arg.startswith(str(fifo))))
    done = _trackside(*named)
    given = next(arg for arg in named if arg.startswith(str(fifo)))
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", f"trackside: error: {given}: a named pipe (FIFO), not {what}: name a regular "
        "file\n")


@pytest.mark.parametrize(("argv", "what"), [
    (["config", "--check", "/dev/zero"], "a config file"),
    (["show", "/dev/zero"], "a plan file"),  # not taken for notation
    (["show", "/dev/null"], "a plan file"),
])
def test_a_device_is_refused_in_one_line(capsys: Capture, argv: list[str], what: str) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        f"trackside: error: {argv[-1]}: a device, not {what}: name a regular file\n")


@pytest.mark.parametrize(("command", "name", "what", "limit"), [
    ("config", "huge.toml", "a config file", 1 << 20),
    ("show", "huge.toml", "a plan file", 1_000_000),
    ("show", "huge.fit", "a workout file", 1_000_000),
])
def test_a_huge_file_is_refused_by_its_size(tmp_path: Path, capsys: Capture, command: str,
                                             name: str, what: str, limit: int) -> None:
    huge = tmp_path / name
    with huge.open("wb") as file:
        file.truncate(1 << 40)  # a terabyte, sparse: reading it would take hours
    argv = ["config", "--check", str(huge)] if command == "config" else ["show", str(huge)]
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        f"trackside: error: {huge}: too big for {what} ({1 << 40} bytes, at most {limit})\n")
