"""Start-up: from process start to the first frame, and how quick the quick commands are.

Each command is spawned in turn with the others, round after round, so a neighbour's load
falls on all alike; every figure is a median over the rounds, judged against a floor
spawned the same way. Timed from just before the spawn to the exit, so each figure
includes the shutdown and is an upper bound. Bytecode is cached (in a private home), as
installed; the first round compiles it and is not counted. `trackside` is the installed
command (`python -m trackside` where there is none).

- `trackside run PLAN --windowed --size 1920x1080` with the dummy video and sound drivers,
  mock pins and a fresh database, exiting after its first frame
  (TRACKSIDE_EXIT_AFTER_FIRST_FRAME), and again once every device is open and it would
  wait for the first press (TRACKSIDE_EXIT_WHEN_READY). The floor: a bare process that
  imports pygame, serial, gpiozero and pydantic.
- `trackside --help` and `trackside show PLAN`. The floor: a bare process that imports
  pydantic.

A bare `import pydantic` loads about a third of pydantic: the rest comes with the first
model class, which every program that validates anything with pydantic has. So each floor
defines one model (one int field), and the bare import without it is shown beside.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from trackside.app import EXIT_AFTER_FIRST_FRAME, EXIT_WHEN_READY
from trackside.bench.result import Figure, Result, Spread
from trackside.bench.suite import Options

_PLAN = "4x400m @65s r60"
_MS = 1000.0
# The bare processes, `python -c CODE`, by the name the table gives them.
_A_MODEL = "from pydantic import BaseModel\nclass Model(BaseModel):\n    n: int"
_PYDANTIC = "import pydantic + a model"
_LIBRARIES = "import pygame, serial, gpiozero, pydantic + a model"
_FLOORS = {
    "python -c pass": "pass",
    "import pydantic": "import pydantic",
    _PYDANTIC: _A_MODEL,
    "import pygame, pydantic, serial, gpiozero": "import pygame, pydantic, serial, gpiozero",
    _LIBRARIES: f"import pygame, serial, gpiozero\n{_A_MODEL}",
}


def run(options: Options) -> Result:
    rounds = 5 if options.quick else 20
    with tempfile.TemporaryDirectory(prefix="trackside-bench-") as home:
        env = _environment(Path(home))
        trackside = _trackside_command()
        app = [*trackside, "run", _PLAN, "--windowed", "--size", "1920x1080",
               "--db", str(Path(home) / "startup.db")]
        commands = {  # name -> (command, its environment)
            "first frame": (app, env | {EXIT_AFTER_FIRST_FRAME: "1"}),
            "ready": (app, env | {EXIT_WHEN_READY: "1"}),
            "help": ([*trackside, "--help"], env),
            "show": ([*trackside, "show", _PLAN], env),
            **{name: ([sys.executable, "-c", code], env) for name, code in _FLOORS.items()},
        }
        for command, command_env in commands.values():  # compiles the bytecode: not counted
            _spawn(command, command_env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, (command, command_env) in commands.items():
                times[name].append(_spawn(command, command_env))
    spread = {name: Spread.of(samples).scaled(_MS) for name, samples in times.items()}

    def judged(name: str, figure: str, floor: str, factor: float | None = None) -> Figure:
        reference = spread[floor].median
        return Figure(
            figure, "ms", spread[name], reference=reference, by_median=True,
            reference_name=f"floor: {floor}",
            goal="" if factor is None else f"median <= {factor:g}x floor",
            passed=None if factor is None else spread[name].median <= factor * reference)

    def bare(name: str, floor: str) -> str:
        return f"{name} {spread[name].median / spread[floor].median:.2f}x"

    return Result("startup", "Start-up", (
        judged("first frame", "trackside run: start to first frame (and exit)", _LIBRARIES, 2),
        judged("ready", "trackside run: start to every device open (and exit)", _LIBRARIES),
        judged("help", "trackside --help", _PYDANTIC, 1.5),
        judged("show", f"trackside show {_PLAN}", _PYDANTIC, 1.5),
        *(Figure(f"floor: {name}", "ms", spread[name]) for name in _FLOORS),
    ), notes=(
        f"{rounds} runs each, in turn; ratios of medians",
        "against the bare imports without a model: "
        f"{bare('first frame', 'import pygame, pydantic, serial, gpiozero')}, "
        f"{bare('help', 'import pydantic')}, {bare('show', 'import pydantic')}",
    ))


def _trackside_command() -> list[str]:
    """The installed `trackside` beside this Python, as a user runs it, else the module."""
    installed = shutil.which("trackside", path=str(Path(sys.executable).parent))
    return [installed] if installed else [sys.executable, "-m", "trackside"]


def _environment(home: Path) -> dict[str, str]:
    """Headless devices, a private home, and bytecode cached (in the home) as installed."""
    inherited = {name: value for name, value in os.environ.items()
                 if name not in ("PYTHONDONTWRITEBYTECODE", EXIT_AFTER_FIRST_FRAME,
                                 EXIT_WHEN_READY)}
    return {
        **inherited,
        "PYTHONPYCACHEPREFIX": str(home / "pycache"),
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
