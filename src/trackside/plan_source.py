"""Where a plan comes from: a TOML file, a workout file, a built-in plan, or the notation.

Rules for this module:
  1. `read_plan` reads every command's PLAN argument the same way: a FIT workout (.fit) or
     an intervals.icu workout text (.txt); a path to a TOML file (ends in .toml, or an
     existing file); else a built-in name, else the notation. A workout file may come with
     notes (what Trackside leaves out or runs otherwise): the caller prints them.
  2. Every failure is one `UserError` that says what is wrong and where:
     "myplan.toml, line 7, blocks[0].rest: 4 reps have 3 gaps but the list has 2 values".
  3. --pace and --max-speed replace the plan's own references *before* validation, so a plan
     whose targets need a reference it does not hold can be given one on the command line.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path as FilePath
from typing import Any

from pydantic import ValidationError

from trackside.core.errors import UserError
from trackside.core.notation import parse_notation
from trackside.core.plan import Plan
from trackside.core.problems import Path, Problem, first_problem
from trackside.core.units import parse_pace, parse_speed
from trackside.toml_errors import located, syntax_error

_BUILTIN_PACKAGE = "trackside.plans"
_NAME_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
WORKOUT_SUFFIXES = (".fit", ".txt")  # a FIT workout, intervals.icu workout text
_MAX_WORKOUT_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class PlanReading:
    plan: Plan
    notes: tuple[str, ...] = ()  # one line each: what is left out or run otherwise


def read_plan(spec: str, *, pace: str | None = None, max_speed: str | None = None
              ) -> PlanReading:
    """The plan named by `spec`, with the athlete's race pace and reference speed if given.

    Raises:
        UserError: the plan (or a reference) cannot be read or makes no sense.
    """
    if FilePath(spec).suffix.lower() in WORKOUT_SUFFIXES:
        return _from_workout_file(FilePath(spec), _references(pace, max_speed))
    return PlanReading(load_plan(spec, pace=pace, max_speed=max_speed))


def load_plan(spec: str, *, pace: str | None = None, max_speed: str | None = None) -> Plan:
    """A TOML file, a built-in plan or the notation (`read_plan` also reads workout files).

    Raises:
        UserError: the plan (or a reference) cannot be read or makes no sense.
    """
    references = _references(pace, max_speed)
    if FilePath(spec).suffix.lower() in WORKOUT_SUFFIXES:
        raise UserError(f"{spec}: a workout file cannot be used here (it can be the plan of "
                        "show, run, demo and export-plan)")
    if spec.lower().endswith(".toml") or FilePath(spec).is_file():
        return _from_file(FilePath(spec), references)
    builtins = _builtin_files()
    if spec in builtins:
        return plan_from_toml(builtins[spec].read_text("utf-8"), f"{spec}.toml", references)
    if _NAME_LIKE.match(spec):
        try:
            return parse_notation(spec, **references)
        except UserError:
            raise UserError(_unknown_name(spec, list(builtins))) from None
    return parse_notation(spec, **references)


def builtin_plans() -> list[tuple[str, str]]:
    """(name, description) of every built-in plan, by name."""
    return [
        (name, tomllib.loads(file.read_text("utf-8")).get("description", ""))
        for name, file in _builtin_files().items()
    ]


def plan_from_toml(text: str, source: str, references: dict[str, float] | None = None) -> Plan:
    """Validate a TOML plan. `source` names it in errors; its stem is the default name."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UserError(syntax_error(source, str(error))) from None
    data.setdefault("name", FilePath(source).stem)
    data.update(references or {})
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        problem = first_problem(error)
        as_written = Problem(_as_written(problem.path, data), problem.message)
        raise UserError(located(as_written, text, source)) from None


def _from_file(path: FilePath, references: dict[str, float]) -> Plan:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such plan file") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not a text file (TOML is UTF-8 text)") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read it ({error.strerror})") from None
    return plan_from_toml(text, str(path), references)


def _from_workout_file(path: FilePath, references: dict[str, float]) -> PlanReading:
    try:
        with path.open("rb") as file:
            data = file.read(_MAX_WORKOUT_BYTES + 1)
    except FileNotFoundError:
        raise UserError(f"{path}: no such workout file") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read it ({error.strerror})") from None
    if len(data) > _MAX_WORKOUT_BYTES:
        raise UserError(f"{path}: more than {_MAX_WORKOUT_BYTES} bytes: not a workout")
    # Imported here: every command starts quicker without them (the FIT SDK most of all).
    from trackside.core.icu_text import read_icu_text
    from trackside.core.workout_as_plan import plan_of
    from trackside.formats.fit_workout import read_workout

    if path.suffix.lower() == ".fit":
        workout, notes = read_workout(data, str(path))
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserError(f"{path}: not a text file (intervals.icu workout text is "
                            "UTF-8)") from None
        workout, notes = read_icu_text(text, str(path), name=path.stem)
    plan, more = plan_of(workout, str(path), references)
    return PlanReading(plan, notes + more)


def _builtin_files() -> dict[str, Any]:
    files = resources.files(_BUILTIN_PACKAGE).iterdir()
    return {
        file.name.removesuffix(".toml"): file
        for file in sorted(files, key=lambda file: file.name)
        if file.name.endswith(".toml")
    }


def _references(pace: str | None, max_speed: str | None) -> dict[str, float]:
    references = {}
    try:
        if pace is not None:
            references["pace"] = parse_pace(pace)
    except ValueError as error:
        raise UserError(f"--pace: {error}") from None
    try:
        if max_speed is not None:
            references["max_speed"] = parse_speed(max_speed)
    except ValueError as error:
        raise UserError(f"--max-speed: {error}") from None
    return references


def _as_written(path: Path, data: dict[str, Any]) -> Path:
    """A block written with `distance = ...` (no segments table) has its keys one level up."""
    if len(path) >= 4 and path[0] == "blocks" and path[2:4] == ("segments", 0):
        blocks = data.get("blocks")
        block = blocks[path[1]] if isinstance(blocks, list) and path[1] < len(blocks) else {}
        if isinstance(block, dict) and "segments" not in block:
            return path[:2] + path[4:]
    return path


def _unknown_name(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return (
            f"plan {name!r} is not a built-in plan: did you mean {close[0]!r}? "
            "(see trackside plans)"
        )
    return (
        f"plan {name!r} is not a file, a built-in plan (see trackside plans) or a notation "
        "such as 4x400m @75s r60"
    )
