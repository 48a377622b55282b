"""A `trackside run --headless` in a real process, for the tests that kill or signal it:
control lines in, status lines out, waited on (never a fixed sleep)."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

TIMING = ["--lead-in", "0.5", "--min-lap", "0"]  # a lap counts as soon as GO is seen
REP_STARTED = re.compile(r"^GO\b")  # the status line of a running rep


class Headless:
    """A `trackside run --headless` process: control lines in, status lines out (stderr
    too, in order, so a traceback would show)."""

    def __init__(self, *args: str, timing: Sequence[str] = TIMING, **popen: Any) -> None:
        src = Path(__file__).parents[1] / "src"
        env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "trackside", "run", *args, "--headless", *timing],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, bufsize=1, env=env, **popen)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def send(self, control: str) -> None:
        self.process.stdin.write(control + "\n")
        self.process.stdin.flush()

    def wait_for(self, pattern: re.Pattern[str], timeout_s: float = 5.0) -> str:
        while True:
            try:
                line = self.lines.get(timeout=timeout_s)
            except queue.Empty:
                raise AssertionError(f"no {pattern.pattern!r} in:\n{''.join(self.seen)}") from None
            self.seen.append(line)
            if pattern.search(line):
                return line

    def run_rep(self) -> None:
        """Wait for GO, then cross the line."""
        self.wait_for(REP_STARTED)
        self.send("lap")

    def finish(self, timeout_s: float = 10.0) -> tuple[int, str]:
        """Wait for the process to end: its exit code, and what it printed after the
        last line waited for."""
        try:
            code = self.process.wait(timeout_s)
        finally:
            self.process.kill()
        self._reader.join(timeout_s)  # it has read to the end of the output
        rest = []
        while not self.lines.empty():
            rest.append(self.lines.get_nowait())
        self.seen += rest
        return code, "".join(rest)
