"""Where a plan comes from: a TOML file, a workout file, a built-in plan, or the notation.

Rules for this module:
  1. `read_plan` reads every command's PLAN argument the same way: a FIT workout (.fit) or
     an intervals.icu workout text (.txt); a path to a TOML file (ends in .toml, or an
     existing file); else a built-in name, else the notation. Whether it is a file is
     decided without asking the OS about names it would refuse (a notation longer than a
     file name may be).
  2. Every failure is one `UserError` that says what is wrong and where:
     "myplan.toml, line 7, blocks[0].rest: 4 reps have 3 gaps but the list has 2 values".
     A file too big or nested too deep for a plan is refused before it is read as one.
  3. --pace and --max-speed replace the plan's own references *before* validation, so a plan
     whose targets need a reference it does not hold can be given one on the command line;
     an athlete's profile (a group's run, show --athlete) replaces them in turn.
  4. Warnings (a value that will never be used) come back with the plan, as lines in the
     same form as the errors, for the command to print.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import replace
from importlib import resources
from pathlib import Path as FilePath
from typing import Any

from pydantic import ValidationError

from trackside.core.athletes import Profile
from trackside.core.athletes import references as athlete_references
from trackside.core.errors import UserError
from trackside.core.notation import read_notation
from trackside.core.plan import LoadedPlan, Plan
from trackside.core.plan_limits import MAX_PLAN_FILE_BYTES, check_pace, check_speed
from trackside.core.problems import Path, Problem, first_problem, format_path
from trackside.core.units import parse_pace, parse_speed
from trackside.input_file import read_bounded
from trackside.toml_errors import located, syntax_error

_BUILTIN_PACKAGE = "trackside.plans"
_NAME_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
WORKOUT_SUFFIXES = (".fit", ".txt")  # a FIT workout, intervals.icu workout text
_MAX_WORKOUT_BYTES = 1_000_000
_NAME_MAX, _PATH_MAX = 255, 4096  # bytes in a file name and a path (Linux)
_MAX_KEY_PARTS = 20  # a plan's deepest key has 4 ('blocks.segments.target.low'); tomllib
# takes time quadratic in the parts of a dotted key, so a long one is refused before it
_LONG_DOTTED_KEY = re.compile(
    rf"""(?:(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+)[ \t]*\.[ \t]*){{{_MAX_KEY_PARTS},}}"""
)


def load_plan(spec: str, *, pace: str | None = None, max_speed: str | None = None,
              athlete: Profile | None = None) -> Plan:
    """The plan named by `spec` (see `read_plan`), without its warnings."""
    return read_plan(spec, pace=pace, max_speed=max_speed, athlete=athlete).plan


def read_plan(spec: str, *, pace: str | None = None, max_speed: str | None = None,
              athlete: Profile | None = None) -> LoadedPlan:
    """The plan named by `spec`, with the athlete's race pace and reference speed if given,
    and the warnings about it (for a workout file: what is left out or run otherwise).
    `athlete`: a profile whose own references (core.athletes) replace those.

    Raises:
        UserError: the plan (or a reference) cannot be read or makes no sense.
    """
    references = _references(pace, max_speed)
    if athlete is None:
        return _read(spec, references)
    theirs = athlete_references(athlete)
    loaded = _read(spec, references | theirs)
    unused = {path[0] for path, _ in loaded.plan.unused_values()} & theirs.keys()
    if not unused:  # the athlete's references no target uses are left out, not shown
        return loaded
    empty = {key: () if key == "races" else None for key in unused}
    return replace(loaded, plan=loaded.plan.model_copy(update=empty))


def _read(spec: str, references: dict[str, Any]) -> LoadedPlan:
    if FilePath(spec).suffix.lower() in WORKOUT_SUFFIXES:
        return _from_workout_file(FilePath(spec), references)
    if names_a_file(spec):
        return _from_file(FilePath(spec), references)
    builtins = _builtin_files()
    if spec in builtins:
        return read_toml(builtins[spec].read_text("utf-8"), f"{spec}.toml", references)
    if _NAME_LIKE.match(spec):
        try:
            return read_notation(spec, **references)
        except UserError:
            raise UserError(_unknown_name(spec, list(builtins))) from None
    return read_notation(spec, **references)


def names_a_file(spec: str) -> bool:
    """Whether `read_plan` reads `spec` from a file (rule 1), rather than a built-in plan or
    the notation."""
    return (FilePath(spec).suffix.lower() in WORKOUT_SUFFIXES or spec.lower().endswith(".toml")
            or _is_file(spec))


def on_track(plan: Plan, spec: str, lap_m: float) -> Plan:
    """`plan` on the configured track (`[timing] lap_m`), unless it says its own lap; a plan
    that cannot be run on that lap is one line naming the config key."""
    try:
        return plan.on_track(lap_m)
    except ValidationError as exc:
        problem = first_problem(exc)
        raise UserError(f"{spec} on a {lap_m:g} m lap ([timing] lap_m): "
                        f"{format_path(problem.path)}: {problem.message}") from None


def builtin_plans() -> list[tuple[str, str]]:
    """(name, description) of every built-in plan, by name."""
    return [
        (name, tomllib.loads(file.read_text("utf-8")).get("description", ""))
        for name, file in _builtin_files().items()
    ]


def plan_from_toml(text: str, source: str, references: dict[str, Any] | None = None) -> Plan:
    """`read_toml` without the warnings."""
    return read_toml(text, source, references).plan


def read_toml(text: str, source: str, references: dict[str, Any] | None = None
              ) -> LoadedPlan:
    """Validate a TOML plan. `source` names it in errors; its stem is the default name."""
    if deep := _LONG_DOTTED_KEY.search(text):
        line = text.count("\n", 0, deep.start()) + 1
        raise UserError(f"{source}, line {line}: a key of more than {_MAX_KEY_PARTS} parts is "
                        "nested too deeply for a plan")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UserError(syntax_error(source, str(error))) from None
    except RecursionError:
        raise UserError(f"{source}: nested too deeply for a plan") from None
    data.setdefault("name", FilePath(source).stem)
    data.update(references or {})
    try:
        plan = Plan.model_validate(data)
    except ValidationError as error:
        problem = first_problem(error)
        as_written = Problem(_as_written(problem.path, data), problem.message)
        raise UserError(_located(as_written, text, source)) from None
    warnings = tuple(_located(Problem(_as_written(path, data), message), text, source)
                     for path, message in plan.unused_values()
                     if path[0] not in (references or {}))
    return LoadedPlan(plan, warnings)


def _located(problem: Problem, text: str, source: str) -> str:
    try:
        return located(problem, text, source)
    except RecursionError:  # a list nested hundreds deep: say what, without the line
        return located(problem, "", source)


def _from_file(path: FilePath, references: dict[str, Any]) -> LoadedPlan:
    try:
        raw = read_bounded(path, MAX_PLAN_FILE_BYTES, "a plan file")
    except FileNotFoundError:
        raise UserError(f"{path}: no such plan file") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read it ({error.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path}: not a text file (TOML is UTF-8 text)") from None
    return read_toml(text, str(path), references)


def _is_file(spec: str) -> bool:
    """Whether `spec` names something there that is not a folder (a FIFO or a device too,
    to be refused as a file, not read as notation), without letting the OS refuse the
    question (a name longer than the system allows, a NUL byte)."""
    try:
        encoded = os.fsencode(spec)
    except UnicodeError:
        return False
    if b"\0" in encoded or len(encoded) >= _PATH_MAX:
        return False
    if any(len(part) > _NAME_MAX for part in encoded.split(b"/")):
        return False
    try:
        found = FilePath(spec)
        return found.exists() and not found.is_dir()
    except (OSError, ValueError):
        return False


def _from_workout_file(path: FilePath, references: dict[str, Any]) -> LoadedPlan:
    try:
        data = read_bounded(path, _MAX_WORKOUT_BYTES, "a workout file")
    except FileNotFoundError:
        raise UserError(f"{path}: no such workout file") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read it ({error.strerror})") from None
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
    return LoadedPlan(plan, notes + more)


def _builtin_files() -> dict[str, Any]:
    files = resources.files(_BUILTIN_PACKAGE).iterdir()
    return {
        file.name.removesuffix(".toml"): file
        for file in sorted(files, key=lambda file: file.name)
        if file.name.endswith(".toml")
    }


def _references(pace: str | None, max_speed: str | None) -> dict[str, Any]:
    """--pace and --max-speed read and checked against the same limits as a plan's own."""
    references = {}
    try:
        if pace is not None:
            references["pace"] = check_pace(parse_pace(pace))
    except ValueError as error:
        raise UserError(f"--pace: {error}") from None
    try:
        if max_speed is not None:
            references["max_speed"] = check_speed(parse_speed(max_speed))
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
