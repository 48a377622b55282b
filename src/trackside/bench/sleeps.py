"""The cue floor: how late a bare `time.sleep` wakes for an absolute deadline.

In this process between measurements (`bare_sleeps`), or in a process of its own beside a
measurement (`python -m trackside.bench.sleeps SECONDS`, one JSON list on stdout), where it
sees the machine's load but not the timer's threads: the floor a cue is judged against.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time


def bare_sleeps(count: int) -> list[float]:
    """How late (s) `time.sleep` wakes for `count` absolute deadlines, each 20-120 ms ahead."""
    return [_one_sleep() for _ in range(count)]


def sleeping_beside(seconds: float) -> subprocess.Popen[str]:
    """Bare sleeps in a process of their own for `seconds`; `beside_result` reads them."""
    return subprocess.Popen([sys.executable, "-m", "trackside.bench.sleeps", str(seconds)],
                            stdout=subprocess.PIPE, text=True)


def beside_result(process: subprocess.Popen[str]) -> list[float]:
    out, _ = process.communicate()
    return json.loads(out)


def _one_sleep() -> float:
    deadline = time.monotonic() + random.uniform(0.02, 0.12)
    time.sleep(max(0.0, deadline - time.monotonic()))
    return time.monotonic() - deadline


if __name__ == "__main__":
    end = time.monotonic() + float(sys.argv[1])
    late = []
    while time.monotonic() < end:
        late.append(_one_sleep())
    print(json.dumps(late))
