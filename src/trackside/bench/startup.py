"""Start-up: from process start to the first frame of `trackside run`, in a subprocess.

`trackside run PLAN --windowed --size 1920x1080` with the dummy video driver, mock pins,
the dummy sound driver, a fresh database in a private home, and TRACKSIDE_EXIT_AFTER_FIRST_FRAME
(the app draws one frame and exits normally). Timed from just before the spawn to the
exit, so the figure includes the shutdown and is an upper bound. The floors, spawned the
same way in turn with it: bare `python -c 'import pygame'`, `python -c 'import pydantic'`,
and both in one process (the least any process that draws with pygame and reads plans
with pydantic can cost); the goal is against that last one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from trackside.app import EXIT_AFTER_FIRST_FRAME
from trackside.bench.result import Figure, Result, Spread
from trackside.bench.suite import Options

_PLAN = "4x400m @65s r60"
_MS = 1000.0


def run(options: Options) -> Result:
    rounds = 3 if options.quick else 12
    with tempfile.TemporaryDirectory(prefix="trackside-bench-") as home:
        env = _environment(Path(home))
        app = [sys.executable, "-m", "trackside", "run", _PLAN, "--windowed",
               "--size", "1920x1080", "--db", str(Path(home) / "startup.db")]
        commands = {
            "app": app,
            "import pygame": [sys.executable, "-c", "import pygame"],
            "import pydantic": [sys.executable, "-c", "import pydantic"],
            "import pygame, pydantic": [sys.executable, "-c", "import pygame, pydantic"],
        }
        for command in commands.values():  # the first run compiles bytecode: not counted
            _spawn(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):  # in turn, so a neighbour's load falls on all alike
            for name, command in commands.items():
                times[name].append(_spawn(command, env))
    spreads = {name: Spread.of(samples).scaled(_MS) for name, samples in times.items()}
    floor = spreads["import pygame, pydantic"]
    product = spreads["app"]
    return Result("startup", "Start-up", (
        Figure("trackside run: start to first frame (and exit)", "ms", product,
               reference=floor.median, reference_name="floor: import pygame, pydantic",
               goal="median <= 2x floor", passed=product.median <= 2 * floor.median),
        *(Figure(f"floor: python -c '{name}'", "ms", spreads[name])
          for name in ("import pygame", "import pydantic", "import pygame, pydantic")),
    ), notes=(f"{rounds} runs each, in turn; ratio of medians",))


def _environment(home: Path) -> dict[str, str]:
    """Headless devices, a private home, and bytecode cached (in the home) as installed."""
    inherited = {name: value for name, value in os.environ.items()
                 if name != "PYTHONDONTWRITEBYTECODE"}
    return {
        **inherited,
        "PYTHONPYCACHEPREFIX": str(home / "pycache"),
        EXIT_AFTER_FIRST_FRAME: "1",
        "SDL_VIDEODRIVER": os.environ.get("SDL_VIDEODRIVER", "dummy"),
        "SDL_AUDIODRIVER": os.environ.get("SDL_AUDIODRIVER", "dummy"),
        "GPIOZERO_PIN_FACTORY": os.environ.get("GPIOZERO_PIN_FACTORY", "mock"),
        "PYGAME_HIDE_SUPPORT_PROMPT": "1",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
    }


def _spawn(command: list[str], env: dict[str, str]) -> float:
    """Seconds from just before the spawn to the exit; the command must succeed."""
    began = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])}... failed: {done.stderr.strip()[-500:]}")
    return seconds
