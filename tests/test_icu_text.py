"""intervals.icu workout text: each form a coach types there, read as the plan it means."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trackside.cli import main
from trackside.core.errors import UserError
from trackside.core.icu_text import read_icu_text
from trackside.core.notation import parse_notation
from trackside.core.plan import Plan
from trackside.core.schedule import StepKind, expand
from trackside.core.workout_as_plan import plan_of

Capture = pytest.CaptureFixture[str]


def read(text: str) -> tuple[Plan, tuple[str, ...]]:
    workout, notes = read_icu_text(text, "w.txt", name="w")
    plan, more = plan_of(workout, "w.txt")
    return plan, notes + more


# (what the coach typed in intervals.icu, the same workout in Trackside's notation)
SAME_AS_NOTATION = [
    ("Main set 4x\n- 400mtr 4:55/km Pace\n- 2m", "4x400m @4:55/km r2:00"),
    ("4x\n- 400mtr 4:55/km\n- 90s", "4x400m @4:55/km r90"),  # 'Pace' may be left off
    ("Warmup\n- 15m\n\nMain set 6x\n- 200mtr 0:32-0:30/200m Pace\n- 1m30\n\nCooldown\n- 10m",
     "wu15:00; 6x200m @30-32s r90; cd10:00"),
    ("8x\n- 30s\n- 30s", "8x30s r30"),  # untargeted: the second of a pair is the rest
    ("- 1km 4:00/km Pace\n- 1km 3:50/km Pace", "1km @4:00/km + 1km @3:50/km"),  # no rest
    ("3x\n- 1mi 7:00/mi Pace\n- recover 3m", "3x1mi @7:00/mi r3:00"),
    ("2x\n- 600mtr 1:45/400m Pace\n- walk 1'30\"", "2x600m @2:37.5 r90"),
    ("- 0.4km 1:15/400m Pace", "400m @75s"),
    ("- Easy 1h", "1h"),
    ("5x\n- 300mtr 0:16/100m Pace\n- rest 60s\n\n- 300mtr 0:16/100m Pace", "6x300m @48s r60"),
]


def shape(plan: Plan) -> list[tuple]:
    """What the athlete runs: each step's kind, length and target time (to the 0.01 s)."""
    return [(step.kind, step.set_no, step.rep_no, step.duration_s, step.distance_m, step.count,
             None if step.target_s is None else round(step.target_s, 2), step.max_s)
            for step in expand(plan).steps]


@pytest.mark.parametrize(("text", "notation"), SAME_AS_NOTATION)
def test_intervals_icu_text_reads_as_the_plan_a_coach_means(text: str, notation: str) -> None:
    plan, _ = read(text)
    assert shape(plan) == shape(parse_notation(notation))


def test_m_is_minutes_and_mtr_metres() -> None:
    assert expand(read("- 5m")[0]).reps[0].duration_s == 300.0
    assert expand(read("- 500mtr")[0]).reps[0].distance_m == 500.0
    assert expand(read("- 1h5m30s")[0]).reps[0].duration_s == 3930.0
    assert expand(read("- 5'30\"")[0]).reps[0].duration_s == 330.0


def test_cue_text_is_the_rep_s_label_and_a_rest_word_makes_a_rest() -> None:
    plan, notes = read("Main set 3x\n- Strides 100mtr 3:00/km Pace\n- jog back 45s")
    [block] = plan.blocks
    assert (block.reps, block.rest, block.segments[0].label) == (3, 45.0, "Strides")
    assert notes == ("w.txt, line 3, column 3: the rest after the last rep is left out: the "
                     "session ends with the last rep (then the cool-down)",)


def test_a_pace_range_aims_at_its_middle_over_the_rep() -> None:
    plan, _ = read("- 400mtr 5:00-4:50/km Pace")
    assert expand(plan).reps[0].legs[0].target_range_s == (116.0, 120.0)


def test_press_lap_on_a_timed_rest_waits_for_the_button_and_says_the_time_is_a_guide() -> None:
    plan, notes = read("3x\n- 400mtr 1:15/400m Pace\n- 2m press lap\n\n- 400mtr 1:15/400m Pace")
    steps = expand(plan).steps
    assert [step.kind for step in steps[:2]] == [StepKind.REP, StepKind.SET_BREAK]
    assert steps[1].duration_s == 0.0
    assert "w.txt, line 3, column 3: ends on the lap button: its time is not counted down" in notes


def test_press_lap_on_a_distance_rep_changes_nothing_it_ends_on_the_line_or_button() -> None:
    plan, notes = read("- 400mtr press lap")
    assert plan.blocks[0].distance == 400.0 and notes == ()


@pytest.mark.parametrize(("text", "note"), [
    ("- 400mtr 95% HR", "w.txt, line 1, column 10: the heart-rate target '95% HR' is left "
                        "out: Trackside times against paces"),
    ("- 400mtr Z2 HR", "w.txt, line 1, column 10: the heart-rate target 'Z2 HR' is left out: "
                       "Trackside times against paces"),
    ("- 400mtr 250w", "w.txt, line 1, column 10: the power target '250w' is left out: "
                      "Trackside times against paces"),
    ("- 400mtr 110%", "w.txt, line 1, column 10: the power target '110%' is left out: "
                      "Trackside times against paces"),
    ("- 400mtr 90% Pace", "w.txt, line 1, column 10: '90% Pace' is worked out from your "
                          "intervals.icu threshold pace, which Trackside does not know: the "
                          "target is left out (write a pace such as 4:55/km Pace)"),
    ("- 400mtr 90rpm", "w.txt, line 1, column 10: the cadence target '90rpm' is left out: "
                       "Trackside times against paces"),
])
def test_targets_trackside_cannot_time_are_left_out_one_line_each(text: str, note: str) -> None:
    plan, notes = read(text)
    assert notes == (note,)
    assert plan.blocks[0].distance == 400.0 and plan.blocks[0].segments[0].target is None


@pytest.mark.parametrize(("text", "problem"), [
    ("- 400m 4:55/km Pace", "w.txt, line 1, column 3: '400m' is 400 minutes (in "
                            "intervals.icu m is minutes): write 400mtr for metres"),
    ("\n- 400mtr fast please", "w.txt, line 2, column 10: 'fast' is not understood here: "
                               "after the length come targets (4:55/km Pace) and 'press lap'"),
    ("- 400mtr 5:00 Pace", "w.txt, line 1, column 10: '5:00': give the pace's unit "
                           "(4:55/km Pace): Trackside does not know your intervals.icu default"),
    ("Main set\n  - quick", "w.txt, line 2, column 5: a step needs a time (2m, 30s, 1m30) or "
                            "a distance (400mtr, 1.2km, 1mi)"),
    ("- 400mtr 2m", "w.txt, line 1, column 10: '2m': a step is one time or one distance"),
    ("Main set 4x\n\n- 400mtr", "w.txt, line 1, column 1: the repeat 4x has no steps under it"),
    ("Main set 0x\n- 400mtr", "w.txt, line 1, column 1: 'Main set 0x': a repeat is done at "
                              "least once"),
    ("Just a title", "w.txt: no steps (a step is a line such as '- 400mtr 4:55/km Pace')"),
    ("- 0s", "w.txt, line 1, column 3: '0s': a step must last longer than zero"),
    ("- 10s 4:00/km Pace\n- 400mtr 4:00/km Pace", "w.txt, line 1, column 3: segments of a "
                                                 "rep are all distances or all durations (a "
                                                 "count stands alone)"),
])
def test_what_cannot_be_read_is_one_line_with_its_line_and_column(text: str, problem: str
                                                                   ) -> None:
    with pytest.raises(UserError) as caught:
        read(text)
    assert str(caught.value) == problem


def test_show_reads_a_workout_text_file_and_prints_notes_on_stderr(
        tmp_path: Path, capsys: Capture) -> None:
    path = tmp_path / "tuesday.txt"
    path.write_text("Warmup\n- 15m Z1 HR\n\nMain set 4x\n- 400mtr 4:55/km Pace\n- 2m\n",
                    encoding="utf-8")
    assert main(["show", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("tuesday\n") and "rep 4" in out and "warmup        15:00" in out
    assert err.splitlines() == [
        f"trackside: warning: {path}, line 2, column 7: the heart-rate target 'Z1 HR' is left "
        "out: Trackside times against paces",
        f"trackside: warning: {path}, line 6, column 3: the rest after the last rep is left "
        "out: the session ends with the last rep (then the cool-down)"]


def test_a_workout_text_error_is_exit_2_and_one_line(tmp_path: Path, capsys: Capture) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("Main set 4x\n- 400m 4:55/km Pace\n", encoding="utf-8")
    assert main(["show", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"trackside: error: {path}, line 2, column 3: '400m' is 400 minutes (in intervals.icu "
        "m is minutes): write 400mtr for metres\n")


def test_a_binary_file_named_txt_is_one_line(tmp_path: Path, capsys: Capture) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\xff\xd8\xff\xe0 not text")
    assert main(["show", str(path)]) == 2
    assert capsys.readouterr().err == (f"trackside: error: {path}: not a text file "
                                       "(intervals.icu workout text is UTF-8)\n")


_WORDS = ["-", "4x", "Main", "set", "Warmup", "Cooldown", "400mtr", "2m", "30s", "1m30", "5'",
          "30\"", "1.2km", "1mi", "400m", "4:55/km", "Pace", "5:00-4:50/km", "0:16/100m",
          "press", "lap", "Z2", "HR", "95%", "250w", "90rpm", "ramp", "rest", "jog", "x", "0x",
          "", "\t", "1:15/400m", "3:00/100y", "100000h", "0s", "é"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_WORDS), max_size=6).map(" ".join), max_size=12))
def test_any_text_is_read_or_refused_in_one_line_never_a_crash(lines: list[str]) -> None:
    try:
        read("\n".join(lines))
    except UserError as error:
        assert str(error).startswith("w.txt") and "\n" not in str(error)
