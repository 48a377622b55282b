"""FIT workouts: a plan out to a watch and back, and workouts from Garmin's tools read in."""

from __future__ import annotations

from dataclasses import replace

import dataclasses
import struct
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fit_support import fitdecode_messages, sdk_messages
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from trackside.cli import main
from trackside.core.errors import UserError
from trackside.core.plan import Plan
from trackside.core.plan_as_workout import workout_of
from trackside.core.schedule import StepKind, expand
from trackside.core.workout import Ends, Intensity, Item, Repeat, Step, Workout
from trackside.core.workout_as_plan import plan_of
from trackside.formats.fit_file import FitWriter
from trackside.formats.fit_workout import read_workout, workout_file
from trackside.plan_source import builtin_plans, load_plan, read_plan

Capture = pytest.CaptureFixture[str]
CREATED = datetime(2026, 5, 2, 17, 30, tzinfo=UTC)
BUILTINS = [name for name, _ in builtin_plans()]


def through_fit(plan: Plan) -> tuple[Plan, tuple[str, ...]]:
    data, cut = workout_file(workout_of(plan), CREATED)
    assert cut == ()
    workout, notes = read_workout(data, "plan.fit")
    back, more = plan_of(workout, "plan.fit")
    return back, notes + more


@pytest.mark.parametrize("name", BUILTINS)
def test_every_built_in_plan_comes_back_from_a_fit_workout_as_the_same_plan(name: str) -> None:
    plan = load_plan(name)
    assert through_fit(plan) == (plan, ())


@pytest.mark.parametrize("name", BUILTINS)
def test_both_readers_accept_the_workout_file_and_see_its_steps(name: str) -> None:
    plan = load_plan(name)
    data, _ = workout_file(workout_of(plan), CREATED)
    messages = sdk_messages(data)
    assert messages["file_id_mesgs"][0]["type"] == "workout"
    assert messages["workout_mesgs"][0]["wkt_name"] == name
    steps = messages["workout_step_mesgs"]
    assert messages["workout_mesgs"][0]["num_valid_steps"] == len(steps)
    assert [step["message_index"] for step in steps] == list(range(len(steps)))
    independent = [fields for kind, fields in fitdecode_messages(data) if kind == "workout_step"]
    assert len(independent) == len(steps)


def test_a_descending_set_reaches_the_watch_as_its_steps_with_repeats_and_paces() -> None:
    plan = load_plan("4x400m @4:55/km r60; 2x200m @max r90")
    data, _ = workout_file(workout_of(plan), CREATED)
    steps = sdk_messages(data)["workout_step_mesgs"]
    kinds = [(step.get("intensity"), step["duration_type"], step.get("duration_distance")
              or step.get("duration_time") or step.get("repeat_steps")) for step in steps]
    assert kinds == [
        ("active", "distance", 400.0), ("rest", "time", 60.0),  # 3 x (400 m, 60 s)
        (None, "repeat_until_steps_cmplt", 3),
        ("active", "distance", 400.0), ("rest", "time", 60.0),  # the 4th, and the join
        ("active", "distance", 200.0), ("rest", "time", 90.0),
        ("active", "distance", 200.0)]
    assert steps[2]["duration_step"] == 0  # the repeat points back at the first 400
    assert steps[0]["custom_target_speed_low"] == steps[0]["custom_target_speed_high"] == 3.39
    assert steps[5]["target_type"] == "open"  # all-out: no target on the watch


def test_a_set_break_is_its_minimum_then_a_press_of_the_lap_button() -> None:
    plan = load_plan("2x(2x400m @75s r60) sb3:00-4:00")
    steps = sdk_messages(workout_file(workout_of(plan), CREATED)[0])["workout_step_mesgs"]
    assert [(step["duration_type"], step.get("duration_time")) for step in steps[3:5]] == [
        ("time", 180.0), ("open", None)]
    assert all(step["intensity"] == "rest" for step in steps[3:5])


def _as_a_watch_keeps_it(items: tuple[Item, ...]) -> tuple[Item, ...]:
    """Without Trackside's developer fields: what another tool would write back."""
    return tuple(
        Repeat(item.times, _as_a_watch_keeps_it(item.steps)) if isinstance(item, Repeat)
        else dataclasses.replace(item, target_text="", splits_m=None, crossings=None,
                                 max_s=None)
        for item in items)


@pytest.mark.parametrize("name", BUILTINS)
def test_without_trackside_s_own_fields_the_reps_rests_and_target_times_are_kept(
        name: str) -> None:
    plan = load_plan(name)
    plain = workout_of(plan)
    plain = Workout(plain.name, _as_a_watch_keeps_it(plain.steps), plain.description)
    workout, _ = read_workout(workout_file(plain, CREATED)[0], "plain.fit")
    back, _ = plan_of(workout, "plain.fit")
    before, after = expand(plan).steps, expand(back).steps
    assert [step.kind for step in after] == [step.kind for step in before]
    for was, now in zip(before, after, strict=True):
        assert (now.distance_m, now.duration_s, now.count) == (
            was.distance_m, was.duration_s, was.count)
        if was.target_s is not None:
            assert now.target_s == pytest.approx(was.target_s, abs=0.06)  # FIT keeps mm/s


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """Valid plans of every shape the model allows, with whole-metre and whole-second values."""
    count = draw(st.integers(1, 3))
    blocks = []
    for number in range(count):
        kind = draw(st.sampled_from(["distance", "duration", "count"]))
        reps = draw(st.integers(1, 5))
        block: dict = {"sets": draw(st.integers(1, 3)), "reps": reps}
        if kind == "distance":
            targets = st.sampled_from([None, "75s", "70-75s", "1:58", "4:55/km", "max", "pace",
                                       "85%", "80-95%"])
            segments = [{"distance": f"{draw(st.integers(1, 16)) * 50}m", "target": draw(targets),
                         "label": draw(st.sampled_from([None, "bounds"]))}
                        for _ in range(draw(st.integers(1, 2)))]
            if draw(st.booleans()):
                block["splits"] = "100m"
        elif kind == "duration":
            segments = [{"duration": draw(st.integers(5, 300))}]
        else:
            segments = [{"count": draw(st.integers(1, 20)), "label": "squats",
                         "target": draw(st.sampled_from([None, "90%"]))}]
        block["segments"] = [{key: value for key, value in segment.items() if value is not None}
                             for segment in segments]
        rests = st.integers(0, 300)
        if reps > 1 and draw(st.booleans()):
            block["rest"] = [draw(rests) for _ in range(reps - 1)]
        elif reps > 1 or draw(st.booleans()):
            block["rest"] = draw(rests)
        if draw(st.booleans()):
            low = draw(st.integers(0, 300))
            block["set_break"] = (f"{low}-{low + draw(st.integers(0, 120))}"
                                  if draw(st.booleans()) else low)
        joined = number + 1 < count and block["sets"] == 1 and "set_break" not in block
        if joined and isinstance(block.get("rest"), list):
            block["rest"].append(draw(rests))
        elif joined and "rest" not in block:
            block["rest"] = draw(rests)
        blocks.append(block)
    data = {"name": "drawn", "blocks": blocks, "pace": "4:55/km", "max_speed": "8m/s",
            "warmup": draw(st.sampled_from([None, 600])),
            "cooldown": draw(st.sampled_from([None, 300]))}
    try:
        return Plan.model_validate({key: value for key, value in data.items()
                                    if value is not None})
    except ValidationError:
        assume(False)
        raise


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(plans())
def test_any_plan_runs_the_same_steps_after_a_trip_through_a_fit_workout(plan: Plan) -> None:
    back, notes = through_fit(plan)
    assert notes == ()
    def steps(plan: Plan) -> list:  # whether a rest between blocks was written: the notation's
        return [replace(step, assumed=False) for step in expand(plan).steps]

    assert steps(back) == steps(plan)
    assert (back.name, back.warmup, back.cooldown, back.pace, back.max_speed, back.lap) == (
        plan.name, plan.warmup, plan.cooldown, plan.pace, plan.max_speed, plan.lap)


# --- workouts from other tools -------------------------------------------------------


def _fit_workout(steps: list[dict], file_type: str = "workout", **workout: object) -> bytes:
    """A workout as another tool writes it: only the standard fields."""
    writer = FitWriter(file_type, CREATED)
    writer.write("workout", {"wkt_name": "from a watch", "sport": "running",
                             "num_valid_steps": len(steps), **workout})
    for index, step in enumerate(steps):
        writer.write("workout_step", {"message_index": index, "target_type": "open", **step})
    return writer.close()


def _run(seconds: float, **more: object) -> dict:
    return {"duration_type": "time", "duration_value": round(seconds * 1000), **more}


def _distance(metres: float, **more: object) -> dict:
    return {"duration_type": "distance", "duration_value": round(metres * 100),
            "intensity": "active", **more}


def _read(data: bytes) -> tuple[Plan, tuple[str, ...]]:
    workout, notes = read_workout(data, "w.fit")
    plan, more = plan_of(workout, "w.fit")
    return plan, notes + more


def _speed(slow: float, fast: float) -> dict:
    return {"target_type": "speed", "target_value": 0,
            "custom_target_value_low": round(slow * 1000),
            "custom_target_value_high": round(fast * 1000)}


def test_a_garmin_style_workout_with_a_pace_range_and_recoveries_becomes_a_plan() -> None:
    plan, notes = _read(_fit_workout([
        _run(600, intensity="warmup"),
        _distance(800, wkt_step_name="Hills", **_speed(4.0, 4.2)),
        _run(120, intensity="recovery"),
        {"duration_type": "repeat_until_steps_cmplt", "duration_value": 1, "target_value": 5},
        _run(300, intensity="cooldown")]))
    assert (plan.warmup, plan.cooldown) == (600.0, 300.0)
    [block] = plan.blocks
    assert (block.reps, block.rest, block.segments[0].label) == (5, 120.0, "Hills")
    assert expand(plan).reps[0].legs[0].target_range_s == (190.5, 200.0)
    assert notes == ("w.fit, step 3: the rest after the last rep is left out: the session "
                     "ends with the last rep (then the cool-down)",)


def test_a_step_name_that_is_no_label_is_left_out_and_said() -> None:
    plan, notes = _read(_fit_workout([_distance(800, wkt_step_name="800s")]))
    assert plan.blocks[0].segments[0].label is None
    assert notes == ("w.fit, step 1: its name '800s' is left out: a label is words of letters "
                     "(squats, box jumps)",)


def test_an_open_recovery_waits_for_the_button_like_a_set_break() -> None:
    plan, notes = _read(_fit_workout([
        _distance(400), {"duration_type": "open", "intensity": "rest"}, _distance(400)]))
    assert [step.kind for step in expand(plan).steps] == [
        StepKind.REP, StepKind.SET_BREAK, StepKind.REP]
    assert expand(plan).steps[1].duration_s == 0.0 and notes == ()


def test_heart_rate_and_power_targets_are_left_out_one_line_each_and_the_plan_loads() -> None:
    plan, notes = _read(_fit_workout([
        _distance(400, target_type="heart_rate", target_value=3),
        _run(60, intensity="rest"),
        _distance(400, target_type="power", target_value=0, custom_target_value_low=1250,
                  custom_target_value_high=1300)]))
    assert [rep.distance_m for rep in expand(plan).reps] == [400.0, 400.0]
    assert notes == (
        "w.fit, step 1: the heart rate target is left out: Trackside times against paces, "
        "not heart rate or power",
        "w.fit, step 3: the power target is left out: Trackside times against paces, not "
        "heart rate or power")


def test_a_speed_zone_set_on_the_watch_is_left_out_with_a_note() -> None:
    _, notes = _read(_fit_workout([_distance(400, target_type="speed", target_value=4)]))
    assert notes == ("w.fit, step 1: the speed zone 4 is set on the watch, not in the file: "
                     "the target is left out",)


def test_a_warm_up_until_the_heart_rate_is_up_is_left_out_with_a_note() -> None:
    plan, notes = _read(_fit_workout([
        {"duration_type": "hr_greater_than", "duration_value": 230, "intensity": "warmup"},
        _distance(400)]))
    assert plan.warmup is None
    assert notes == ("w.fit, step 1: the warm-up that ends on heart rate greater than a "
                     "value is left out",)


def test_a_rep_until_the_heart_rate_drops_cannot_be_run_honestly() -> None:
    with pytest.raises(UserError, match=r"^w\.fit, step 2: a step that ends on heart rate "
                                        r"less than a value cannot be run by Trackside"):
        _read(_fit_workout([_distance(400),
                            {"duration_type": "hr_less_than", "duration_value": 220,
                             "intensity": "rest"}, _distance(400)]))


def test_an_open_work_step_is_one_effort_ended_by_the_button() -> None:
    plan, notes = _read(_fit_workout([{"duration_type": "open", "intensity": "active",
                                       "wkt_step_name": "hill"}]))
    assert plan.blocks[0].segments[0].count == 1
    assert notes == ("w.fit, step 1: a step that ends on the lap button is run as one hill, "
                     "ended by the button",)


@pytest.mark.parametrize(("steps", "problem"), [
    ([_distance(400), {"duration_type": "repeat_until_steps_cmplt", "duration_value": 3,
                       "target_value": 2}],
     "w.fit, step 2: the repeat points at step 4, which is not the start of a step before it"),
    ([_distance(400), {"duration_type": "repeat_until_steps_cmplt", "duration_value": 0,
                       "target_value": 0}],
     "w.fit, step 2: a repeat must be done at least once"),
    ([_distance(400), {"duration_type": "repeat_until_steps_cmplt", "duration_value": 0,
                       "target_value": 4_000_000}],
     "w.fit, step 2: here the workout passes 2000 steps (repeats counted out), more than "
     "Trackside runs"),
    ([_run(60, intensity="rest")],
     "w.fit: the workout has no work step between its warm-up and cool-down: nothing to time"),
    ([_run(10, intensity="active"), _distance(400)],
     "w.fit, step 1: segments of a rep are all distances or all durations "
     "(a count stands alone)"),
])
def test_a_workout_that_cannot_be_run_is_one_line_naming_the_step(
        steps: list[dict], problem: str) -> None:
    with pytest.raises(UserError) as caught:
        _read(_fit_workout(steps))
    assert str(caught.value) == problem


def test_an_activity_file_is_not_taken_for_a_workout() -> None:
    with pytest.raises(UserError, match=r"^w\.fit: a FIT activity, not a workout"):
        _read(_fit_workout([_distance(400)], file_type="activity"))


@pytest.mark.parametrize(("mangle", "problem"), [
    (lambda data: b"not a fit file at all, just some text\n", "w.fit: not a FIT file"),
    (lambda data: data[:-40], "w.fit: the FIT file is damaged or cut short"),
    (lambda data: data[:-3] + bytes([data[-3] ^ 0xFF]) + data[-2:],
     "w.fit: the FIT file is damaged or cut short"),
])
def test_a_file_that_is_not_a_whole_fit_file_is_one_line(
        mangle: Callable[[bytes], bytes], problem: str) -> None:
    with pytest.raises(UserError, match=f"^{problem}"):
        read_workout(mangle(_fit_workout([_distance(400)])), "w.fit")


# --- a file written by hand, byte for byte, from the FIT profile ---------------------

_CRC_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
              0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)


def _crc(data: bytes) -> int:
    """The FIT protocol's CRC-16, nibble by nibble, as its specification gives it."""
    crc = 0
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            low = _CRC_TABLE[crc & 0xF]
            crc = ((crc >> 4) & 0x0FFF) ^ low ^ _CRC_TABLE[nibble]
    return crc


def _definition(local: int, global_number: int, fields: list[tuple[int, int, int]],
                big_endian: bool = False, developer: list[tuple[int, int, int]] = ()
                ) -> bytes:
    header = 0x40 | local | (0x20 if developer else 0)
    out = bytes([header, 0, int(big_endian)])  # reserved, architecture
    out += struct.pack(">H" if big_endian else "<H", global_number) + bytes([len(fields)])
    out += b"".join(bytes(field) for field in fields)
    if developer:
        out += bytes([len(developer)]) + b"".join(bytes(field) for field in developer)
    return out


def _string(text: str, size: int) -> bytes:
    return text.encode().ljust(size, b"\0")


NO_U32, NO_ENUM = 0xFFFFFFFF, 0xFF


def _hand_made_workout() -> bytes:
    """A workout as an older tool wrote it, with what Trackside's own encoder never writes:
    a 12-byte header (no header CRC), steps defined big-endian with their fields out of the
    profile's order and no message_index, and another application's developer field
    numbered 0 (which Trackside's own 'target' field also is)."""
    records = _definition(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84), (4, 4, 0x86)])
    records += struct.pack("<BBHHI", 0, 5, 255, 0, 1_000_000_000)  # file_id: a workout
    records += _definition(1, 207, [(1, 16, 0x0D), (3, 1, 0x02)])  # developer_data_id
    records += bytes([1]) + bytes(range(16)) + bytes([0])  # someone else's application
    records += _definition(2, 206, [(0, 1, 0x02), (1, 1, 0x02), (2, 1, 0x02), (3, 8, 0x07)])
    records += bytes([2, 0, 0, 0x07]) + _string("comment", 8)  # their field 0: a string
    records += _definition(3, 26, [(8, 12, 0x07), (4, 1, 0x00), (6, 2, 0x84)])
    records += bytes([3]) + _string("Hand-made", 12) + struct.pack("<BH", 1, 5)
    step_fields = [(4, 4, 0x86), (5, 4, 0x86), (6, 4, 0x86), (2, 4, 0x86), (1, 1, 0x00),
                   (3, 1, 0x00), (7, 1, 0x00), (0, 8, 0x07)]
    records += _definition(4, 27, step_fields, big_endian=True, developer=[(0, 8, 0)])
    steps = [  # target_value, low, high, duration_value, duration_type, target_type,
        # intensity, name, their comment
        (NO_U32, NO_U32, NO_U32, 600_000, 0, 2, 2, "", "easy"),  # warm-up 10:00
        (0, 4000, 4200, 40_000, 1, 0, 0, "fast", "fast!"),  # 400 m at 4.0-4.2 m/s
        (NO_U32, NO_U32, NO_U32, 90_000, 0, 2, 1, "", ""),  # rest 1:30
        (3, NO_U32, NO_U32, 1, 6, 2, NO_ENUM, "", ""),  # repeat from step 1, 3 times
        (NO_U32, NO_U32, NO_U32, NO_U32, 5, 2, 3, "", ""),  # cool-down: press lap
    ]
    for *numbers, intensity, name, comment in steps:
        records += bytes([4]) + struct.pack(">IIIIBBB", *numbers, intensity)
        records += _string(name, 8) + _string(comment, 8)
    header = struct.pack("<BBHI4s", 12, 0x10, 2093, len(records), b".FIT")
    body = header + records
    return body + struct.pack("<H", _crc(body))


def test_a_hand_written_fit_workout_reads_as_watches_read_it() -> None:
    data = _hand_made_workout()
    assert len(sdk_messages(data)["workout_step_mesgs"]) == 5
    assert [kind for kind, _ in fitdecode_messages(data)].count("workout_step") == 5
    plan, notes = _read(data)
    assert (plan.name, plan.warmup, plan.cooldown) == ("Hand-made", 600.0, None)
    [block] = plan.blocks
    assert (block.reps, block.rest, block.segments[0].label) == (3, 90.0, "fast")
    assert expand(plan).reps[0].legs[0].target_range_s == (95.2, 100.0)  # not "fast!"
    assert notes == (
        "w.fit, step 5: a cool-down that ends on the lap button is left out: Trackside's "
        "cool-down is timed",
        "w.fit, step 3: the rest after the last rep is left out: the session ends with the "
        "last rep (then the cool-down)")


# --- the command line ----------------------------------------------------------------


def test_export_plan_writes_a_workout_that_show_reads_back_line_for_line(
        tmp_path: Path, capsys: Capture) -> None:
    out = tmp_path / "kick.fit"
    assert main(["export-plan", "hard-kick-500", "--pace", "4:30/km", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"workout 'hard-kick-500' written to {out} (FIT)\n"
    assert main(["show", "hard-kick-500", "--pace", "4:30/km"]) == 0
    original = capsys.readouterr().out
    assert main(["show", str(out)]) == 0
    assert capsys.readouterr() == (original, "")


def test_run_and_show_take_a_fit_workout_and_print_its_notes_on_stderr(
        tmp_path: Path, capsys: Capture) -> None:
    path = tmp_path / "garmin.fit"
    path.write_bytes(_fit_workout([_distance(400, target_type="heart_rate", target_value=3)]))
    assert main(["show", str(path), "--json"]) == 0
    out, err = capsys.readouterr()
    assert '"distance_m": 400.0' in out
    assert err == (f"trackside: warning: {path}, step 1: the heart rate target is left out: "
                   "Trackside times against paces, not heart rate or power\n")
    assert read_plan(str(path)).plan.blocks[0].distance == 400.0


@pytest.mark.parametrize(("argv", "problem"), [
    (["show", "{tmp}/missing.fit"], "{tmp}/missing.fit: no such workout file"),
    (["show", "{tmp}/text.fit"], "{tmp}/text.fit: not a FIT file"),
    (["export-plan", "4x400m @75s r60", "--out", "{tmp}/no/such/folder/w.fit"],
     "cannot write {tmp}/no/such/folder/w.fit: No such file or directory"),
])
def test_bad_workout_files_and_paths_are_exit_2_and_one_line(
        tmp_path: Path, capsys: Capture, argv: list[str], problem: str) -> None:
    (tmp_path / "text.fit").write_text("hello\n")
    assert main([arg.format(tmp=tmp_path) for arg in argv]) == 2
    assert capsys.readouterr().err == f"trackside: error: {problem.format(tmp=tmp_path)}\n"
    assert not (tmp_path / "no").exists()


def test_a_name_too_long_for_fit_is_cut_and_said(tmp_path: Path) -> None:
    plan = load_plan("4x400m @75s r60").model_copy(update={"name": "x" * 300})
    data, notes = workout_file(workout_of(plan), CREATED)
    assert notes == ("the workout's name was cut to FIT's 255 bytes",)
    assert sdk_messages(data)["workout_mesgs"][0]["wkt_name"] == "x" * 254


def test_a_step_is_never_unrolled_past_the_limit_even_inside_empty_looking_repeats() -> None:
    nested = Repeat(1000, (Repeat(1000, (Step(Intensity.WORK, Ends.DISTANCE, 400.0),)),))
    with pytest.raises(UserError, match="passes 2000 steps"):
        plan_of(Workout("deep", (nested,)), "w.fit")


def test_repeats_inside_repeats_are_run_in_full() -> None:
    # 2 x (3 x (200 m, 30 s rest), 3:00 rest): as a watch nests them
    plan, notes = _read(_fit_workout([
        _distance(200), _run(30, intensity="rest"),
        {"duration_type": "repeat_until_steps_cmplt", "duration_value": 0, "target_value": 3},
        _run(180, intensity="rest"),
        {"duration_type": "repeat_until_steps_cmplt", "duration_value": 0, "target_value": 2}]))
    rests = [step.duration_s for step in expand(plan).steps if step.kind is StepKind.REST]
    assert rests == [30.0, 30.0, 210.0, 30.0, 30.0]  # the 30 s and the 3:00 in a row: one
    assert len(expand(plan).reps) == 6
    assert notes == ("w.fit, step 2: the rest after the last rep is left out: the session "
                     "ends with the last rep (then the cool-down)",
                     "w.fit, step 2: 2 rests in a row make one of 3:30")


def test_run_records_a_session_of_a_fit_workout(tmp_path: Path, capsys: Capture,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import json

    path, db = tmp_path / "garmin.fit", tmp_path / "t.db"
    path.write_bytes(_fit_workout([_distance(400, target_type="heart_rate", target_value=3),
                                   _run(60, intensity="rest"),
                                   {"duration_type": "repeat_until_steps_cmplt",
                                    "duration_value": 0, "target_value": 5}]))
    monkeypatch.setattr("sys.stdin", io.StringIO("press\nend\n"))
    assert main(["run", str(path), "--headless", "--db", str(db)]) == 0
    assert "heart rate target is left out" in capsys.readouterr().err
    assert main(["history", "--json", "--db", str(db)]) == 0
    (session,) = json.loads(capsys.readouterr().out)
    assert (session["plan"], session["reps_planned"]) == ("from a watch", 5)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(14, 10_000), st.integers(0, 255)), min_size=1,
                max_size=4))
def test_a_workout_damaged_inside_a_valid_crc_is_read_or_refused_in_one_line(
        changes: list[tuple[int, int]]) -> None:
    data = bytearray(workout_file(workout_of(load_plan("sprint-strength")), CREATED)[0])
    for at, value in changes:
        data[at % (len(data) - 16) + 14] = value
    data[-2:] = struct.pack("<H", _crc(bytes(data[:-2])))  # so the decoder reads it all
    try:
        workout, _ = read_workout(bytes(data), "w.fit")
        plan_of(workout, "w.fit")
    except UserError as error:
        assert str(error).startswith("w.fit") and "\n" not in str(error)
