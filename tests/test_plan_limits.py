"""Hostile plans refused at the door: exit 2 and one line naming the value and where, before
any real work is done (issue 17). Each case here crashed, hung or ran away with memory."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from trackside.cli import build_parser, main
from trackside.commands.run import run_config
from trackside.config import Config
from trackside.core.errors import UserError
from trackside.core.schedule import expand
from trackside.plan_source import load_plan

Capture = pytest.CaptureFixture[str]


def show(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = main(["show", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys: Capture, *argv: str) -> str:
    code, out, err = show(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("trackside: error: ")
    return err


LONG = "; ".join(["2x400m @75s r60"] * 16)  # 270 bytes: longer than a file name may be


def test_a_notation_longer_than_a_file_name_is_read_as_a_notation(capsys: Capture) -> None:
    code, out, err = show(capsys, LONG)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1].startswith("32 reps, 12.8 km")


def test_a_default_plan_longer_than_a_file_name_runs(tmp_path: Path) -> None:
    config = Config.model_validate({"plan": {"default": LONG}})
    args = build_parser().parse_args(["run"])
    assert len(expand(run_config(args, config).plan).reps) == 32


@pytest.mark.parametrize("spec", ["x" * 300 + ".toml", "a/" * 3000 + "b", "nul\0byte"])
def test_names_the_os_would_refuse_are_one_line(capsys: Capture, spec: str) -> None:
    refused(capsys, spec)


def plan_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "hostile.toml"
    path.write_text(textwrap.dedent(text).lstrip())
    return str(path)


A_BLOCK = '[[blocks]]\nreps = 2\ndistance = "400m"\ntarget = "75s"\nrest = 60\n'

HOSTILE_FILES = [
    (A_BLOCK.replace("rest = 60", "rest = inf"), "line 5, blocks[0].rest: must be a finite"),
    ("warmup = inf\n" + A_BLOCK, "line 1, warmup: must be a finite number"),
    ("lap = inf\n" + A_BLOCK, "line 1, lap: must be a finite number"),
    ("lap = 10\n" + A_BLOCK, "line 1, lap: a lap is 100 m to 10 km (got 10 m)"),
    (A_BLOCK.replace('"400m"', "inf"), "line 3, blocks[0].distance: must be a finite number"),
    (A_BLOCK.replace('"400m"', "1e300"), "blocks[0].distance: must be at most 100 km"),
    ('[[blocks]]\nreps = 1\nduration = inf\n', "line 3, blocks[0].duration: must be a finite"),
    ("[[blocks]]\nsets = 2\nreps = 1\nduration = 30\nset_break = { low = 60, high = inf }\n",
     "line 5, blocks[0].set_break.high: must be a finite number"),
    (A_BLOCK.replace('"75s"', '{ kind = "time", low = inf }'),
     "line 4, blocks[0].target.low: must be a finite number"),
    ('max_speed = inf\n' + A_BLOCK.replace('"75s"', '"90%"'), "line 1, max_speed: must be"),
    ('max_speed = 1e300\n' + A_BLOCK.replace('"75s"', '"90%"'),
     "line 1, max_speed: 1e+300 m/s is faster than anyone has run"),
    ("pace = 1e-300\n" + A_BLOCK.replace('"75s"', '"pace"'),
     "line 1, pace: 0:00/km is faster than anyone has run"),
    (A_BLOCK.replace("reps = 2", "reps = true"), "line 2, blocks[0].reps: must be a whole"),
    (A_BLOCK.replace("reps = 2", 'reps = "4"'), "line 2, blocks[0].reps: must be a whole"),
    (A_BLOCK.replace("reps = 2", "reps = 2.0"), "line 2, blocks[0].reps: must be a whole"),
    (A_BLOCK.replace("rest = 60", "rest = true"), "line 5, blocks[0].rest: must be a number"),
    (A_BLOCK + "splits = 1e-9\n", "line 6, blocks[0].splits: split beeps are at least 10 m"),
    (A_BLOCK.replace("reps = 2", "sets = 50\nreps = 200"), "a plan has at most 500 reps"),
    ('[[blocks]]\nreps = 1\nsegments = [' + '{},' * 100_000 + ']\n',
     "line 3, blocks[0].segments: at most 20 values (this one has 100000)"),
    ("a = " + "[" * 100_000 + "]" * 100_000 + "\n" + A_BLOCK, "nested too deeply for a plan"),
    ("[" + "a." * 50_000 + "b]\n" + A_BLOCK, "line 1: a key of more than 20 parts is nested"),
    ("x = { " + "a." * 50_000 + "b = 1 }\n" + A_BLOCK, "line 1: a key of more than 20 parts"),
]


@pytest.mark.parametrize(("text", "says"), HOSTILE_FILES)
def test_a_hostile_plan_file_is_one_line_naming_the_key(
    capsys: Capture, tmp_path: Path, text: str, says: str
) -> None:
    path = plan_file(tmp_path, text)
    err = refused(capsys, path)
    assert says in err
    assert f"error: {path}" in err


def test_a_plan_file_too_big_for_a_plan_is_not_read(capsys: Capture, tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text("# " + "x" * 2_000_000 + "\n" + A_BLOCK)
    assert "too big for a plan file (2000066 bytes, at most 1000000)" in refused(capsys, str(path))


@pytest.mark.parametrize(("notation", "says"), [
    ("99999999999m", "distance: must be at most 100 km"),
    ("50x(200x4000m @15:00 sp1m)", "split beeps are at least 10 m apart (got 1 m)"),
    ("50x(200x4000m @15:00 r60 sp10m)", "a plan has at most 500 reps (this one has 10000)"),
    ("50x(200x400m @75s r60 sp10m) sb60", "a plan has at most 500 reps"),
    ("9" * 400 + "m", "is too large a number"),
    ("4x400m @" + "9" * 400 + "s r60", "is too large a number"),
    ("400m " + "+1m " * 25, "a rep has at most 20 segments"),
    ("400m;" * 3000, "characters is too long for a plan (at most 10000)"),
])
def test_a_notation_beyond_the_limits_is_refused_before_it_is_expanded(
    capsys: Capture, notation: str, says: str
) -> None:
    assert says in refused(capsys, notation)


@pytest.mark.parametrize(("argv", "says"), [
    (["50s", "0m"], "DISTANCE: '0m' must be longer than zero"),
    (["50s", "99999999999m"], "DISTANCE: must be at most 100 km"),
    (["50s"], "DISTANCE: give the distance run in 50s"),
    (["9" * 400 + "s", "400m"], "TIME: '999999999999...999s' is too large a number"),
])
def test_pace_refuses_what_it_cannot_work_out(capsys: Capture, argv: list[str],
                                                says: str) -> None:
    assert main(["pace", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and says in err


@pytest.mark.parametrize(("option", "says"), [
    (["--pace", "0:01/km"], "--pace: 0:01/km is faster than anyone has run (12.5 m/s"),
    (["--pace", "99:00/km"], "--pace: 99:00/km is slower than 60:00/km"),
    (["--max-speed", "0.5m/s"], "--max-speed: a top speed is at least 1 m/s (got 0.5 m/s)"),
    (["--max-speed", "1" + "0" * 400 + "m/s"], "--max-speed: '100000000000...0m/s' is too large"),
])
def test_a_reference_beyond_the_limits_names_its_option(
    capsys: Capture, option: list[str], says: str
) -> None:
    assert says in refused(capsys, "4x400m @pace r60", *option)


def test_the_limits_are_said_in_the_error() -> None:
    with pytest.raises(UserError, match="a plan has at most 500 reps"):
        load_plan("3x(200x100m @20s r10) sb60")
