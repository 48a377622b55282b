"""FIT workout files (Garmin's `workout` and `workout_step` messages) to and from a Workout.

Rules for this module:
  1. Written as Garmin's profile describes workouts: a repeat step follows the steps it
     repeats, points back at the first of them (`duration_step`) and says how many times
     they are done in all (`repeat_steps`). Times in ms, distances in cm, speeds in mm/s.
  2. Read as watches read them. A step Trackside cannot end (on heart rate, power,
     calories) is an error, except in the warm-up or cool-down, which is left out with a
     note. A target it cannot time against (heart rate, power, cadence, a speed zone set
     on the watch) is left out with a note: the step still runs.
  3. Every message names the step as a watch numbers them: "workout.fit, step 4: ...".
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from trackside.core.errors import UserError
from trackside.core.workout import Ends, Intensity, Item, Repeat, Speed, Step, Workout
from trackside.formats.fit_file import DEV_FIELDS, FitWriter, read_fit

Notes = tuple[str, ...]

_INTENSITY = {Intensity.WARMUP: "warmup", Intensity.WORK: "active", Intensity.REST: "rest",
              Intensity.COOLDOWN: "cooldown"}
_READ_INTENSITY = {"warmup": Intensity.WARMUP, "cooldown": Intensity.COOLDOWN,
                   "rest": Intensity.REST, "recovery": Intensity.REST}  # others: work
_ENDS = {"time": Ends.TIME, "distance": Ends.DISTANCE, "reps": Ends.COUNT, "open": Ends.PRESS}
_UNITS = {Ends.TIME: 1000, Ends.DISTANCE: 100, Ends.COUNT: 1}  # FIT's per SI unit
_MAX_NESTING = 10  # repeats inside repeats: watches allow a few
_TEXTS = {"wkt_name": "workout's name", "wkt_description": "workout's description",
          "wkt_step_name": "name of a step", "target": "target of a step"}


def workout_file(workout: Workout, created: datetime) -> tuple[bytes, Notes]:
    """The workout as a FIT file, and a note for each text that had to be shortened."""
    writer = FitWriter("workout", created,
                       fields=(name for name in DEV_FIELDS if name != "clock_source"))
    steps: list[dict[str, Any]] = []
    _step_messages(workout.steps, steps)
    writer.write("workout", {
        "wkt_name": workout.name, "wkt_description": workout.description or None,
        "sport": "running", "num_valid_steps": len(steps),
        "developer_fields": {"lap_m": workout.lap_m, "race_pace_s_per_m": workout.pace,
                             "max_speed_m_per_s": workout.max_speed,
                             "races": _races_text(workout.races)}})
    for step in steps:
        writer.write("workout_step", step)
    notes = tuple(f"the {_TEXTS[key]} was cut to FIT's 255 bytes"
                  for key in dict.fromkeys(writer.cut))
    return writer.close(), notes


def _step_messages(items: tuple[Item, ...], out: list[dict[str, Any]]) -> None:
    for item in items:
        if isinstance(item, Repeat):
            first = len(out)
            _step_messages(item.steps, out)
            out.append({"message_index": len(out), "duration_type": "repeat_until_steps_cmplt",
                        "duration_value": first, "target_type": "open",
                        "target_value": item.times})
            continue
        message: dict[str, Any] = {
            "message_index": len(out), "wkt_step_name": item.name or None,
            "intensity": _INTENSITY[item.intensity],
            "duration_type": next(key for key, ends in _ENDS.items() if ends is item.ends),
            "target_type": "open",
            "developer_fields": {"target": item.target_text or None, "splits_m": item.splits_m,
                                 "crossings": item.crossings, "set_break_max_s": item.max_s}}
        if item.ends is not Ends.PRESS:
            # A plan's limits (core/plan_limits: 4 h, 100 km) keep it far inside a uint32.
            message["duration_value"] = round((item.amount or 0.0) * _UNITS[item.ends])
        if item.speed is not None:
            message |= {"target_type": "speed", "target_value": 0,
                        "custom_target_value_low": round(item.speed.slow * 1000),
                        "custom_target_value_high": round(item.speed.fast * 1000)}
        out.append(message)


def read_workout(data: bytes, source: str) -> tuple[Workout, Notes]:
    """The workout in a FIT workout file, and a note for each thing left out.

    Raises:
        UserError: not a FIT workout, damaged, or a step Trackside cannot end.
    """
    messages = read_fit(data, source)
    file_type = next(iter(messages.get("file_id_mesgs", [])), {}).get("type")
    if file_type != "workout":
        raise UserError(f"{source}: a FIT {file_type or 'file of no type'}, not a workout "
                        "(export the workout itself, not an activity done with it)")
    about = next(iter(messages.get("workout_mesgs", [])), {})
    reader = _StepReader(source)
    steps = reader.items(messages.get("workout_step_mesgs", []))
    sport = about.get("sport")
    if sport not in (None, "running", "generic", "training"):
        reader.notes.append(f"{source}: a {sport} workout: Trackside times its steps as a run's")
    ours = about.get("trackside", {})
    workout = Workout(name=_text(about, "wkt_name") or Path(source).stem, steps=steps,
                      description=_text(about, "wkt_description"),
                      lap_m=ours.get("lap_m"), pace=ours.get("race_pace_s_per_m"),
                      max_speed=ours.get("max_speed_m_per_s"),
                      races=_races(ours.get("races"), source))
    return workout, tuple(reader.notes)


class _StepReader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.notes: list[str] = []

    def items(self, messages: list[dict[str, Any]]) -> tuple[Item, ...]:
        """The steps as written, repeats gathering the steps they point back at."""
        if not messages:
            raise UserError(f"{self.source}: the workout has no steps")
        ordered = sorted(messages, key=lambda message: _int(message, "message_index") or 0)
        placed: list[tuple[int, int, Item]] = []  # (first step index, nesting, item)
        for index, message in enumerate(ordered):
            where = f"step {index + 1}"
            if _int(message, "message_index") not in (None, index):
                raise UserError(f"{self.source}: its steps are not numbered 0 to "
                                f"{len(ordered) - 1} (a step is missing or repeated)")
            if message.get("duration_type") == "repeat_until_steps_cmplt":
                placed.append(self._repeat(message, index, placed, where))
            elif (step := self._step(message, where)) is not None:
                placed.append((index, 0, step))
        return tuple(item for _, _, item in placed)

    def _repeat(self, message: dict[str, Any], index: int,
                placed: list[tuple[int, int, Item]], where: str) -> tuple[int, int, Item]:
        first, times = _int(message, "duration_step"), _int(message, "repeat_steps")
        starts = [start for start, _, _ in placed]
        if first is None or first >= index or first not in starts:
            raise UserError(f"{self.source}, {where}: the repeat points at step "
                            f"{(first or 0) + 1}, which is not the start of a step before it")
        if times is None or times < 1:
            raise UserError(f"{self.source}, {where}: a repeat must be done at least once")
        at = starts.index(first)
        nesting = 1 + max(depth for _, depth, _ in placed[at:])
        if nesting > _MAX_NESTING:
            raise UserError(f"{self.source}, {where}: repeats nested more than "
                            f"{_MAX_NESTING} deep")
        inner = tuple(item for _, _, item in placed[at:])
        del placed[at:]
        return first, nesting, Repeat(times, inner, where=where)

    def _step(self, message: dict[str, Any], where: str) -> Step | None:
        intensity = _READ_INTENSITY.get(message.get("intensity"), Intensity.WORK)
        duration = message.get("duration_type")
        ends = _ENDS.get(duration)
        if ends is None:
            what = _ending(duration)
            if intensity in (Intensity.WARMUP, Intensity.COOLDOWN):
                part = "warm-up" if intensity is Intensity.WARMUP else "cool-down"
                self._note(where, f"the {part} that {what} is left out")
                return None
            raise UserError(f"{self.source}, {where}: a step that {what} cannot be run by "
                            "Trackside: it ends steps on time, distance, a count or the lap "
                            "button, and repeats them a set number of times")
        amount = None
        if ends is not Ends.PRESS:
            raw = _int(message, "duration_value")
            if raw is None:  # 0 is a rest of no length, between two blocks
                raise UserError(f"{self.source}, {where}: a {duration} step with no length")
            amount = raw / _UNITS[ends]
        ours = message.get("trackside", {})
        return Step(intensity, ends, amount, self._speed(message, where),
                    name=_text(message, "wkt_step_name"),
                    target_text=ours.get("target") or "", splits_m=ours.get("splits_m"),
                    crossings=ours.get("crossings"), max_s=ours.get("set_break_max_s"),
                    where=where)

    def _speed(self, message: dict[str, Any], where: str) -> Speed | None:
        target = message.get("target_type")
        secondary = message.get("secondary_target_type")
        if secondary not in (None, "open"):
            self._note(where, f"the second target ({_words(secondary)}) is left out")
        if target in (None, "open"):
            return None
        low = _int(message, "custom_target_value_low")
        high = _int(message, "custom_target_value_high")
        if target in ("speed", "speed_lap") and _int(message, "target_value") in (0, None):
            if low is not None and high is not None and min(low, high) > 0:
                return Speed(slow=min(low, high) / 1000, fast=max(low, high) / 1000)
            self._note(where, "its speed target has no usable range and is left out")
            return None
        if target in ("speed", "speed_lap"):
            self._note(where, f"the speed zone {_int(message, 'target_value')} is set on the "
                              "watch, not in the file: the target is left out")
            return None
        self._note(where, f"the {_words(target)} target is left out: Trackside times against "
                          "paces, not heart rate or power")
        return None

    def _note(self, where: str, text: str) -> None:
        self.notes.append(f"{self.source}, {where}: {text}")


def _int(message: dict[str, Any], key: str) -> int | None:
    """A whole-number field, or None where it is missing or damaged into another type."""
    value = message.get(key)
    return value if type(value) is int else None


def _text(message: dict[str, Any], key: str) -> str:
    value = message.get(key)
    return value.strip() if isinstance(value, str) else ""


def _words(name: Any) -> str:
    return str(name).replace("_", " ").replace("hr ", "heart rate ")


def _ending(duration: Any) -> str:
    """'hr_less_than' -> 'ends on heart rate less than a value'."""
    if duration is None:
        return "has no end"
    words = _words(duration)
    value = " a value" if words.endswith("than") else ""
    if words.startswith("repeat until "):
        return f"repeats until {words.removeprefix('repeat until ')}{value}"
    return f"ends on {words}{value}"


def _races_text(races: tuple[tuple[str, float], ...]) -> str | None:
    """'5k=1290;10k=2700': race times as one developer field."""
    return ";".join(f"{race}={seconds:g}" for race, seconds in races) or None


def _races(text: object, source: str) -> tuple[tuple[str, float], ...]:
    """`_races_text` read back; the plan checks the races and the times."""
    if not isinstance(text, str) or not text:
        return ()
    try:
        return tuple((race, float(seconds)) for race, seconds in
                     (part.split("=", 1) for part in text.split(";")))
    except ValueError:
        raise UserError(f"{source}: its race times cannot be read ({text[:40]!r})") from None
