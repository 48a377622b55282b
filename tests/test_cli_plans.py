"""`trackside plans`, `show` and `pace` as a user calls them: exit codes and what is printed."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from trackside.cli import build_parser, main
from trackside.commands.plan_arguments import add_plan_arguments, plan_from_args
from trackside.commands.run import run_config
from trackside.config import Config
from trackside.core.schedule import expand
from trackside.plan_source import builtin_plans

Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_plans_lists_every_built_in_with_its_description(capsys: Capture) -> None:
    code, out, _ = run(capsys, "plans")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(builtin_plans())
    assert any(line.startswith("hard-kick-500 ") and "5K pace" in line for line in lines)


@pytest.mark.parametrize("name", [name for name, _ in builtin_plans()])
def test_every_built_in_shows(capsys: Capture, name: str) -> None:
    code, out, err = run(capsys, "show", name)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == name
    assert "estimated total" in out.splitlines()[-1]


def test_show_prints_one_line_per_step_with_targets_paces_and_the_total(capsys: Capture) -> None:
    code, out, err = run(capsys, "show", "hard-kick-500")
    assert (code, err) == (0, "")
    lines = [line.strip() for line in out.splitlines()]
    assert "race pace 4:55/km, 7:55/mi, 1:58.0 per 400 m" in lines
    assert lines.count("rest          2:00") == 5
    assert "rep 1         400 m @ 1:58.0              4:55/km" in lines
    assert ("rep 6         400 m @ 1:58.0 + 100 m max  4:55/km, START 100 m BEFORE THE LINE"
            in lines)
    assert lines[-1] == "6 reps, 2.6 km; estimated total 42:52 plus 2 reps with no target time"


def test_show_starts_with_a_sentence_per_block_and_the_plan_as_notation(capsys: Capture) -> None:
    _, out, _ = run(capsys, "show", "hard-kick-500")
    lines = [line.strip() for line in out.splitlines()]
    assert lines[4:8] == [
        "15:00 warm-up.",
        "4 x 400 m @ 1:58.0, 2:00 rest between, then 2:00 rest.",
        "2 x 400 m @ 1:58.0 then straight into 100 m max, 2:00 rest between, "
        "start 100 m before the line.",
        "10:00 cool-down.",
    ]
    assert ("as notation: wu15:00; 4x400m @pace r2:00; r2:00; 2x400m @pace +100m @max r2:00; "
            "cd10:00") in lines


def test_show_says_when_a_rest_between_blocks_was_not_written(capsys: Capture) -> None:
    _, out, _ = run(capsys, "show", "4x400m @4:55/km r2:00; 2x(400m @4:55/km +100m @max) r2:00")
    lines = [line.strip() for line in out.splitlines()]
    assert lines[2] == ("4 x 400 m @ 1:58.0, 2:00 rest between, then 2:00 rest (the same as "
                        "between its reps: nothing was written between the blocks).")
    assert lines.count("rest          2:00") == 4
    assert ("rest          2:00  (none was written between the blocks: the rest between the "
            "reps before)") in lines
    assert not any(line.startswith("set") for line in lines)  # one set: the rests run on


def test_show_names_sets_and_set_breaks_the_way_they_run(capsys: Capture) -> None:
    _, out, _ = run(capsys, "show", "descending-400s")
    lines = [line.strip() for line in out.splitlines()]
    assert "set 2 rep 1   400 m @ 2:10.0  5:25/km" in lines
    assert lines.count("set break     3:00-4:00, then press (starts by itself at 4:00)") == 2
    assert ["rest          1:00", "rest          45 s", "rest          30 s"] == [
        line for line in lines if line.startswith("rest")
    ][:3]


def test_show_takes_the_notation_unquoted_and_the_athletes_pace(capsys: Capture) -> None:
    code, out, _ = run(capsys, "show", "2x400m", "@pace", "r60", "--pace", "4:00/km")
    assert code == 0
    assert "rep 2         400 m @ 1:36.0  4:00/km" in out
    assert out.splitlines()[0] == "2x400m @pace r60"


def test_show_prints_warnings_on_stderr_one_line_each(capsys: Capture) -> None:
    code, out, err = run(capsys, "show", "4x400 r60 sb3")
    assert code == 0
    assert err.splitlines() == [
        "trackside: warning: notation, column 3: 400 has no unit, so each rep is a count of "
        "400, ended by a press: did you mean 400m?",
        "trackside: warning: notation, column 11: set break: sb3 is 3 seconds: did you mean "
        "sb3:00?",
        "trackside: warning: notation, column 11: set break: never used: no set follows it",
    ]
    assert "rep 1         400×" in out


def test_show_of_a_timed_plan_with_one_rep_says_one_rep(capsys: Capture) -> None:
    _, out, _ = run(capsys, "show", "400m @50s")
    assert "rep 1         400 m @ 50.0 s  2:05/km" in out
    assert out.splitlines()[-1] == "1 rep, 400 m; estimated total 50 s"
    _, out, _ = run(capsys, "show", "6x(1:00 r1:00)")
    assert out.splitlines()[-1] == "6 reps; estimated total 11:00"


def test_show_json_is_the_documented_object(capsys: Capture) -> None:
    code, out, _ = run(capsys, "show", "--json", "wu15:00; 3x(4x400m @4:55/km r60,45,30) sb3:30")
    shown = json.loads(out)
    assert code == 0
    assert shown["reps"] == 12
    assert shown["estimated_total_s"] == pytest.approx(900 + 12 * 118 + 3 * 135 + 2 * 210)
    steps = shown["steps"]
    assert steps[0] == {"kind": "warmup", "set": None, "rep": None, "distance_m": None,
                        "duration_s": 900.0, "target_s": None, "count": None, "max_s": None}
    rep = steps[1]
    assert {key: rep[key] for key in ("kind", "set", "rep", "distance_m", "duration_s",
                                      "target_s", "count")} == {
        "kind": "rep", "set": 1, "rep": 1, "distance_m": 400.0, "duration_s": None,
        "target_s": 118.0, "count": None}
    assert "segments" not in rep
    assert [step["duration_s"] for step in steps if step["kind"] == "rest"] == [60, 45, 30] * 3
    assert [step["duration_s"] for step in steps if step["kind"] == "set_break"] == [210, 210]
    assert [(step["set"], step["rep"]) for step in steps if step["kind"] == "rep"][4] == (2, 1)


def test_show_json_says_the_reading_the_notation_labels_and_where_to_start(
    capsys: Capture,
) -> None:
    _, out, _ = run(capsys, "show", "--json", "3x500m bounds @max r2:00; r3:00; 400m @60s")
    shown = json.loads(out)
    assert shown["notation"] == "3x500m bounds @max r2:00; r3:00; 400m @60s"
    assert shown["reading"] == [
        "3 x 500 m bounds max, 2:00 rest between, start 100 m before the line, then 3:00 rest",
        "400 m @ 1:00.0",
    ]
    first, rest = shown["steps"][:2]
    assert (first["label"], first["start_offset_m"], first["split_m"]) == ("bounds", 100, [100])
    assert (rest["kind"], rest["assumed"]) == ("rest", False)
    assert shown["steps"][-2]["duration_s"] == 180


def test_show_json_lists_the_segments_of_a_kick_rep(capsys: Capture) -> None:
    _, out, _ = run(capsys, "show", "--json", "2x400m @4:55/km +100m @max r2:00")
    kick = json.loads(out)["steps"][0]
    assert kick["distance_m"] == 500.0
    assert kick["target_s"] is None  # the sprint has no target, so the rep has none
    assert kick["segments"] == [
        {"distance_m": 400.0, "duration_s": None, "target_s": 118.0, "effort": None},
        {"distance_m": 100.0, "duration_s": None, "target_s": None, "effort": "max"},
    ]


def test_show_json_of_count_and_timed_reps(capsys: Capture) -> None:
    _, out, _ = run(capsys, "show", "--json", "4x10 squat r2:00")
    first = json.loads(out)["steps"][0]
    assert (first["count"], first["target_s"], first["duration_s"]) == (10, None, None)
    _, out, _ = run(capsys, "show", "--json", "8x30s r30")
    steps = json.loads(out)["steps"]
    assert [step["duration_s"] for step in steps] == [30.0] * 15


def test_pace_gives_the_time_for_a_distance(capsys: Capture) -> None:
    assert run(capsys, "pace", "4:55/km", "400m") == (0, "1:58.0\n", "")
    assert run(capsys, "pace", "7:50/mi", "1mi") == (0, "7:50.0\n", "")


def test_pace_from_a_time_gives_the_pace_and_even_splits(capsys: Capture) -> None:
    code, out, _ = run(capsys, "pace", "50s", "400m")
    assert code == 0
    assert out.splitlines() == [
        "400 m in 50.0: 2:05/km, 3:21/mi",
        "12.5 s per 100 m: 12.5  25.0  37.5  50.0",
    ]


def bad_toml(tmp_path: Path, text: str) -> str:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "0x400m @75s r60"], "notation, column 1: reps: must be more than 0 (got 0)"),
        (["show", "4x400m @75s r-60"], "notation, column 13: rest: '-60' is negative"),
        (["show", "4x400m @4:75/km r60"], "notation, column 9: target: '4:75/km' is not a pace"),
        (["show", "4x400m @75s r60,45"],
         "notation, column 13: rest: 4 reps have 3 gaps but the list has 2 values"),
        (["show", "descending-400"], "did you mean 'descending-400s'?"),
        (["show", "sub-50-400", "--pace", "fast"], "--pace: 'fast' is not a pace"),
        (["pace", "4:75/km", "400m"], "PACE: '4:75/km' is not a pace"),
        (["pace", "50s", "400"], "DISTANCE: '400' is not a distance"),
        (["show"], "the following arguments are required: PLAN"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys: Capture, argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[blocks]]\nreps = 4\ndistance = "400m"\nrest = 60\npause = 5\n',
         "bad.toml, line 5, blocks[0].pause: unknown key"),
        ('[[blocks]]\nreps = 4\ndistance = "400m"\nrest = [60, 60]\n',
         "bad.toml, line 4, blocks[0].rest: 4 reps have 3 gaps but the list has 2 values"),
        ('[[blocks]\n', "bad.toml, line 1, column 9: "),
    ],
)
def test_a_bad_toml_file_is_one_line_with_its_line(
    capsys: Capture, tmp_path: Path, text: str, message: str
) -> None:
    code, _, err = run(capsys, "show", bad_toml(tmp_path, text))
    assert code == 2
    assert message in err
    assert err.count("\n") == 1


def test_plan_arguments_read_the_words_options_and_a_default() -> None:
    parser = argparse.ArgumentParser()
    add_plan_arguments(parser)
    args = parser.parse_args(["4x400m", "@pace", "r60", "--pace", "4:00/km"])
    assert args.plan == "4x400m @pace r60"
    assert expand(plan_from_args(args)).reps[0].target_s == pytest.approx(96.0)

    with_default = argparse.ArgumentParser()
    add_plan_arguments(with_default, default="hard-kick-500")
    assert with_default.parse_args([]).plan == "hard-kick-500"
    assert with_default.parse_args(["--max-speed", "9m/s", "sub-50-400"]).plan == "sub-50-400"


def test_run_prints_the_warnings_show_and_demo_print(capsys: Capture) -> None:
    warning = ("trackside: warning: notation, column 13: rest: never used: the rep before it "
               "is followed by the end\n")
    _, _, shown = run(capsys, "show", "1x200m @30s r60")
    assert shown == warning
    run_config(build_parser().parse_args(["run", "1x200m @30s r60"]), Config())
    assert capsys.readouterr().err == warning
