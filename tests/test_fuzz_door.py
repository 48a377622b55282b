"""The door, fuzzed: hostile config files and command lines through `main(argv)`, and a
few through a real process. Every answer is exit 0 or 2 (and 1 from doctor, for a problem
it found), one line on stderr with a 2, never a traceback, in bounded time and memory.
And a config that `config --check` accepts runs.

Plans and the notation are fuzzed where they are parsed (the notation's own tests): here
the plan is always a good one, and everything around it is hostile.
"""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from trackside.app import run_session
from trackside.cli import build_parser, main
from trackside.commands.simulate import SimulatedAthlete
from trackside.commands.run import run_config
from trackside.config import load_config

PLAN = "2x200m @30s r30"
SRC = Path(__file__).parents[1] / "src"
EXAMPLE_LIMIT_S = 30  # a hang guard per example, far above the slowest honest answer
MEMORY_LIMIT = 1 << 30  # bytes of address space for a fuzzed process (a run needs ~0.5 GB)
HOSTILE = ("9" * 310, "1e309", "inf", "-inf", "nan", "-1", "0", "", " ", "\n", "\x00",
           "\x1b[31m", "Café", "99999x99999", "7680x4320", "10x10", "1:30", "99:99", "20min",
           "auto", "/dev/null", "/nonexistent/x", ".", "c1", "c1,c1M", "1,2", "((", "9600",
           "18446744073709551616", "0x10", "1_000", "27", "2", "yes")

# --- config files -------------------------------------------------------------------------

SECTIONS = {
    "button": ("pin", "second_pin", "debounce_ms", "hold_s", "long_hold_s"),
    "buzzer": ("kind", "pin"),
    "led": ("pin",),
    "beam": ("port", "baud", "protocol", "pattern", "channels"),
    "timing": ("lead_in_s", "min_lap_s", "lap_m", "warning_s", "count_in"),
    "display": ("mode", "size", "theme"),
    "audio": ("enabled", "volume", "voice"),
    "database": ("path",),
    "plan": ("default", "pace", "max_speed"),
}
WORDS = ("active", "passive", "none", "line", "stamped", "alge", "window", "headless",
         "terminal", "day", "night", "4:30/km", "8.5m/s", "descending-400s")


def _toml_float(value: float) -> str:
    return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(value), repr(value))


scalars = st.one_of(
    st.integers().map(str),
    st.sampled_from([2**63 - 1, -(2**63), 10**30, 0, 1, 2, 17, 27, 28]).map(str),
    st.floats().map(_toml_float),
    st.booleans().map(lambda value: "true" if value else "false"),
    st.sampled_from(HOSTILE + WORDS).map(json.dumps),
    st.text(max_size=12).map(json.dumps),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3).map(
    lambda items: "[" + ", ".join(items) + "]"), max_leaves=6)
known_keys = st.sampled_from([(section, key) for section, keys in SECTIONS.items()
                              for key in keys])


def _numbers(low: float, high: float) -> st.SearchStrategy[str]:
    """Values about a range's edges: whole and not, a little outside it too."""
    return st.one_of(st.integers(int(low), int(high)).map(str),
                     st.floats(low, high).map(_toml_float))


_PIN = _numbers(0, 30)
_SECONDS = st.one_of(_numbers(0, 700), st.sampled_from(['"1:30"', '"10min"', '"0.5"']))
PLAUSIBLE = {  # values near what each key takes, so that many configs pass the check
    "button": {"pin": _PIN, "second_pin": _PIN, "debounce_ms": _numbers(0, 250),
               "hold_s": _numbers(0, 35), "long_hold_s": _numbers(0, 65)},
    "buzzer": {"kind": st.sampled_from(['"active"', '"passive"', '"none"']), "pin": _PIN},
    "led": {"pin": _PIN},
    "beam": {"port": st.sampled_from(['"auto"', '"/nonexistent/tty"', '""']),
             "baud": _numbers(0, 5_000_000),
             "protocol": st.sampled_from(['"line"', '"stamped"', '"alge"']),
             "pattern": st.sampled_from(['"^BRK"', '"(("', '"."']),
             "channels": st.sampled_from(['["c1"]', '["1", "2"]', '["c1", "c1M"]', "[]"])},
    "timing": {"lead_in_s": _SECONDS, "min_lap_s": _SECONDS, "lap_m": _numbers(0, 11_000),
               "warning_s": _SECONDS, "count_in": _numbers(0, 12)},
    "display": {"mode": st.sampled_from(['"auto"', '"window"', '"headless"', '"terminal"']),
                "size": st.sampled_from(['"1920x1080"', '"10x10"', '"7680x4320"', '"9x9"',
                                         "[1080, 1920]"]),
                "theme": st.sampled_from(['"day"', '"night"'])},
    "audio": {"enabled": st.sampled_from(["true", "false"]), "volume": _numbers(0, 1.2),
              "voice": st.sampled_from(["true", "false"])},
    "database": {"path": st.just('"elsewhere.db"')},
    "plan": {"default": st.sampled_from(['"descending-400s"', '"4x400m r60"']),
             "pace": st.sampled_from(['"4:30/km"', '"0:00/km"']),
             "max_speed": st.sampled_from(['"8.5m/s"', '"0m/s"'])},
}
any_keys = st.tuples(st.sampled_from([*SECTIONS, "buton", "x"]),
                     st.one_of(st.from_regex(r"[a-z_]{1,10}", fullmatch=True),
                               st.text(max_size=6).map(json.dumps)))


@st.composite
def config_texts(draw: st.DrawFn, keys: st.SearchStrategy[tuple[str, str]],
                 plausible: bool = False) -> str:
    settings_by_section: dict[str, dict[str, str]] = {}
    for section, key in draw(st.lists(keys, max_size=6)):
        value = PLAUSIBLE[section][key] if plausible else values
        settings_by_section.setdefault(section, {})[key] = draw(value)
    return "".join(f"[{section}]\n" + "".join(f"{key} = {value}\n" for key, value in
                                              items.items())
                   for section, items in settings_by_section.items())


hostile_files = st.one_of(config_texts(any_keys).map(str.encode),
                          config_texts(known_keys).map(str.encode),
                          st.binary(max_size=200),
                          st.text(max_size=200).map(lambda text: text.encode("utf-8", "replace")))

# --- command lines --------------------------------------------------------------------------

# No NUL: no process can be given one in its arguments (exec refuses).
hostile_values = st.one_of(st.sampled_from([text for text in HOSTILE if "\0" not in text]),
                           st.text(st.characters(blacklist_characters="\0"), max_size=12))
PLAN_OPTIONS = ("--pace", "--max-speed")  # every command that reads a plan takes these
OPTIONS = {  # per command: its options that take a value; the forced tail keeps it quick
    "run": ("--lead-in", "--min-lap", "--size", "--theme", "--serial", "--baud", "--protocol",
            "--pattern", "--channels", "--events", "--config", "--db", "--resume",
            *PLAN_OPTIONS),
    "demo": ("--speed", "--seed", "--size", "--theme", "--events", *PLAN_OPTIONS),
    "doctor": ("--config", "--button-pin", "--buzzer-pin", "--buzzer", "--wait", "--serial",
               "--baud", "--protocol", "--pattern", "--channels"),
    "screenshot": ("--at", "--size", "--theme", "--out", *PLAN_OPTIONS),
    "config": ("--check",),
    "show": PLAN_OPTIONS,
    "export-plan": ("--format", "--out", *PLAN_OPTIONS),
    "history": ("--db", "--config"),
    "export": ("--format", "--out", "--db", "--config"),
    "pace": (),
    "plans": (),
}
FLAGS = {"run": ("--resume", "--terminal"), "doctor": ("--speaker", "--no-display"),
         "show": ("--json",), "config": ("--example",), "demo": (), "screenshot": (),
         "export-plan": (), "history": ("--json",), "export": (), "pace": (), "plans": ()}
FORCED = {  # last, so they win: no window, no sound wait, no long demo or beam watch
    "run": ["--headless"], "demo": ["--headless", "--speed", "10000"],
    "doctor": ["--no-speaker", "--no-display", "--wait", "0"],
    "screenshot": ["--at", "1", "--out", "shot.png"], "config": [], "show": [],
    "export-plan": [], "history": [], "export": [], "pace": [], "plans": [],
}
# What each command takes before its options: the plan, or hostile positionals.
POSITIONALS: dict[str, st.SearchStrategy[list[str]]] = {
    "run": st.just([PLAN]), "demo": st.just([PLAN]), "screenshot": st.just([PLAN]),
    "show": st.just([PLAN]), "export-plan": st.just([PLAN]),
    "export": st.lists(hostile_values, min_size=1, max_size=1),  # an id: '9' * 23 ...
    "pace": st.lists(st.one_of(hostile_values, st.sampled_from(
        ["4:55/km", "8.5m/s", "400m", "50s", "0m", "1:30"])), min_size=1, max_size=2),
}


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(sorted(OPTIONS)))
    argv = [command] + (draw(POSITIONALS[command]) if command in POSITIONALS else [])
    for _ in range(draw(st.integers(0, 4))):
        if OPTIONS[command] and draw(st.booleans()):
            argv += [draw(st.sampled_from(OPTIONS[command])), draw(hostile_values)]
        elif FLAGS[command]:
            argv.append(draw(st.sampled_from(FLAGS[command])))
    return argv + FORCED[command]


# --- the checks -----------------------------------------------------------------------------


class Hung(BaseException):
    """An example took longer than any honest answer (not an Exception: nothing catches it)."""


@contextmanager
def bounded(stdin: str = "press\nquit\n") -> Iterator[Path]:
    """A fresh folder to work in, a scripted stdin, and a hang guard."""
    def hung(*_: object) -> None:
        raise Hung(f"no answer in {EXAMPLE_LIMIT_S} s")

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setattr("sys.stdin", io.StringIO(stdin))
        previous = signal.signal(signal.SIGALRM, hung)
        signal.setitimer(signal.ITIMER_REAL, EXAMPLE_LIMIT_S)
        try:
            yield Path(folder)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def assert_answered(code: int, err: str, argv: list[str]) -> None:
    allowed = {0, 1, 2} if argv[0] == "doctor" else {0, 2}
    assert code in allowed, (argv, code, err)
    assert "Traceback" not in err, (argv, err)
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("trackside"), (argv, err)


@pytest.fixture(scope="module", autouse=True)
def _memory_stays_bounded() -> Iterator[None]:
    """Whatever the fuzz asked for, the process never grew by more than 400 MB at its peak
    (a 99999x99999 window alone would be 40 GB)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    yield
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before < 400 << 20


FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@FUZZ
@given(data=hostile_files)
@example(data=b"\xff\xfe[button]\n")  # the issue's: UnicodeDecodeError
def test_any_config_file_is_accepted_or_refused_in_one_line(
        data: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    with bounded() as folder:
        (folder / "config.toml").write_bytes(data)
        code = main(["config", "--check", "config.toml"])
    assert_answered(code, capsys.readouterr().err, ["config"])


@settings(FUZZ, max_examples=40)
@given(text=config_texts(known_keys, plausible=True))
@example(text="[button]\nhold_s = 6\n")  # the issue's: each passed the check, then crashed
@example(text="[button]\nhold_s = 0\n")
@example(text="[timing]\nlead_in_s = inf\n")
def test_a_config_that_the_check_accepts_runs(text: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """It starts with its pins, beam and speaker (then a quit), and a whole session runs
    with its timing (a simulated athlete, the clock sped up) with every screen drawn."""
    with bounded() as folder:
        (folder / "config.toml").write_text(text)
        accepted = main(["config", "--check", "config.toml"]) == 0
        event("accepted" if accepted else "refused")
        if not accepted:
            return
        code = main(["run", PLAN, "--config", "config.toml", "--headless", "--db", "t.db"])
        assert_answered(code, capsys.readouterr().err, ["run"])
        assert code == 0, text
        given = run_config(build_parser().parse_args(["run", PLAN]), load_config("config.toml"))
        # min_lap_s left out: a long one rightly ignores the athlete's one crossing per rep
        whole = replace(given, speed=5000.0, simulate=True, record=False, display="headless",
                        min_lap_s=None)
        screen = io.StringIO()
        athlete = [lambda put, clock: SimulatedAthlete(put, clock)]
        assert run_session(whole, stdout=screen, participants=athlete) == 0, text
    assert "FINISHED" in screen.getvalue(), text


@FUZZ
@given(argv=command_lines())
@example(argv=["run", PLAN, "--lead-in", "9" * 310, "--headless"])  # the issue's
@example(argv=["doctor", "--button-pin", "99", "--wait", "0"])
@example(argv=["export", "9" * 23])  # the issue's
@example(argv=["history", "--db", "9" * 310])  # found by this test: ENAMETOOLONG
@example(argv=["pace", "50s", "0m"])  # the issue's
def test_any_command_line_is_answered_in_one_line(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with bounded():
        code = main(argv)
    assert_answered(code, capsys.readouterr().err, argv)


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@settings(FUZZ, max_examples=5)
@given(argv=command_lines())
def test_a_real_process_answers_too_within_its_memory(argv: list[str]) -> None:
    """As a user runs it: the interpreter's own exit (flushing, threads) included."""
    with bounded() as folder:
        done = subprocess.run(
            [sys.executable, "-m", "trackside", *argv], input="press\nquit\n",
            capture_output=True, text=True, timeout=EXAMPLE_LIMIT_S, cwd=folder,
            preexec_fn=_limited, env={**os.environ, "PYTHONPATH": str(SRC)})
    assert_answered(done.returncode, done.stderr, argv)
