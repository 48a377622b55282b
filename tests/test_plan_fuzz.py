"""Fuzzing `trackside show` with notations and plan files (hypothesis): whatever comes in,
the answer is exit 0, or exit 2 with one line; never a traceback, in bounded time and memory.

The bounds are generous (a plan is read in milliseconds): they catch a plan that would
expand into gigabytes or take quadratic time, not a slow machine.
"""

from __future__ import annotations

import io
import tracemalloc
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from trackside.cli import main

MAX_MEMORY_BYTES = 64 * 1024 * 1024
FUZZ = settings(max_examples=200, deadline=timedelta(seconds=10),
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# Pieces a coach (or a cat on the keyboard) writes, and numbers meant to break things.
NUMBERS = ["0", "1", "4", "60", "400", "1.5", "99999999999", "9" * 400, "1e300", "inf", "nan",
           "-5", "0.0001", "10000"]
WORDS = ["x", "X", "(", ")", ";", "+", "@", ",", "/", "-", "m", "km", "mi", "s", "min", "'",
         '"', "r", "sb", "sp", "c", "wu", "cd", "max", "pace", "%", "jog", "squats", ":",
         "4x", "3x(", "400m", "@75s", "r60", "sb3:00-4:00", "sp100m", "c1", "r200m", "wu15",
         "cd10-15", "@4:55/km", "@8m/s", "@80-95%", "1:30", "\t", "é", "\0"]


@st.composite
def notations(draw: st.DrawFn) -> str:
    pieces = st.one_of(st.sampled_from(NUMBERS), st.sampled_from(WORDS))
    glue = st.sampled_from(["", "", " "])
    parts = draw(st.lists(st.tuples(pieces, glue), max_size=30))
    return "".join(piece + space for piece, space in parts)


@st.composite
def shaped_notations(draw: st.DrawFn) -> str:
    """Notations in the shapes coaches write, with any numbers: most of them run."""
    def number(low: int, high: int) -> str:  # in range twice as often as not
        plausible = st.integers(low, high).map(str)
        return draw(st.one_of(plausible, plausible, st.sampled_from(NUMBERS)))

    n, d, t, r = number(1, 12), number(50, 3000), number(5, 400), number(0, 300)
    shape = draw(st.sampled_from([
        "{n}x{d}m @{t}s r{r}", "{n}x{d}m @{t}s r{r}m jog", "{n}x{t}s r{r}", "{n}x{n} squats r{r}",
        "wu{t} {n}x{d}m @4:55/km r{r} cd{t}", "{n}x({n}x{d}m @{t}s r{r}) sb{t}-{r}",
        "{n}x{d}m @{t}s sp{r}m", "{n}x({d}m @{t}s + {r}m max) r{t}"]))
    return shape.format(n=n, d=d, t=t, r=r)


TOML_VALUES = ["true", '"4"', "inf", "-inf", "nan", "1e300", "1e-300", "0", "-1", "4", "400",
               "60.5", '"400m"', '"1:30"', '"4:55/km"', '"80-95%"', '"3:00-4:00"', '"200m jog"',
               "[60, 45]", "[]", '[["a"]]', "{ low = 180, high = inf }", "{}", '"max"',
               '"x"', '"' + "9" * 400 + 's"', "[" * 50 + "]" * 50, '{ kind = "time", low = 0 }']
TOML_KEYS = ["name", "pace", "max_speed", "lap", "warmup", "cooldown", "warmup_max",
             "description", "sets", "reps", "distance", "duration", "count", "label", "target",
             "rest", "set_break", "splits", "crossings", "segments", "rests", "x"]


@st.composite
def plan_files(draw: st.DrawFn) -> str:
    line = st.builds(lambda key, value: f"{key} = {value}",
                     st.sampled_from(TOML_KEYS), st.sampled_from(TOML_VALUES))
    top = draw(st.lists(line, max_size=4, unique_by=lambda text: text.split(" =")[0]))
    blocks = draw(st.lists(st.lists(line, max_size=7, unique_by=lambda text: text.split(" =")[0]),
                           max_size=3))
    text = "\n".join(top) + "\n"
    for block in blocks:
        text += "[[blocks]]\n" + "\n".join(block) + "\n"
    return text


def answered_in_one_line_or_done(capsys: pytest.CaptureFixture[str], plan: str,
                                 command: tuple[str, ...] = ("show",)) -> None:
    tracemalloc.start()
    try:
        code = main([*command, "--", plan])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    out, err = capsys.readouterr()
    event(f"exit {code}")
    assert code in (0, 2)
    assert peak < MAX_MEMORY_BYTES
    if code == 2:
        assert out == ""
        assert err.count("\n") == 1 and err.startswith("trackside: error: ")
    elif command == ("show",):
        assert all(line.startswith("trackside: warning: ") for line in err.splitlines())
    else:  # a run says what it found (no GPIO here, no sound card): never a traceback
        assert "Traceback" not in err


@given(notations())
@FUZZ
def test_any_notation_is_shown_or_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], notation: str
) -> None:
    answered_in_one_line_or_done(capsys, notation)


@given(plan_files())
@FUZZ
def test_any_plan_file_is_shown_or_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str
) -> None:
    path = tmp_path / "fuzzed.toml"
    path.write_text(text)
    answered_in_one_line_or_done(capsys, str(path))


@given(plan=st.one_of(notations().map(lambda text: ("notation", text)),
                      shaped_notations().map(lambda text: ("notation", text)),
                      plan_files().map(lambda text: ("file", text))))
@settings(FUZZ, max_examples=60)
def test_any_plan_is_run_or_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    plan: tuple[str, str]
) -> None:
    """`run` reads a plan as `show` does, then starts it (a press, then a quit)."""
    monkeypatch.setattr("sys.stdin", io.StringIO("press\nquit\n"))
    kind, spec = plan
    if kind == "file":
        path = tmp_path / "fuzzed.toml"
        path.write_text(spec)
        spec = str(path)
    answered_in_one_line_or_done(
        capsys, spec, ("run", "--headless", "--db", str(tmp_path / "t.db"), "--lead-in", "0"))
