"""A pydantic ValidationError -> the one problem to show, and the key it is about.

Used for plans and for the configuration file: a `Schema` says which models the keys hold.

Rules for this module:
  1. One problem, never a list: pydantic's first error about a value wins over the cascades it
     adds around it (a union's wrong-type branches, 'too short' on a list whose item failed).
  2. A path holds only the plan's own keys and list indexes (pydantic's union tags are
     dropped). A message that starts with a key path (plan.py rule 5) extends the path.
  3. Messages are in the user's words: no "Value error," prefix, the bad value quoted, an
     unknown key answered with the closest known one.
Where the path is (a column, a file line) is for the caller: this module knows no text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from trackside.core.plan import Block, Plan, Segment, SetBreak, Target

Path = tuple[str | int, ...]



@dataclass(frozen=True)
class Schema:
    """A root model and the models its keys hold (or hold lists of)."""

    root: type[BaseModel]
    model_of_key: dict[str, type[BaseModel]]

    @property
    def known_keys(self) -> frozenset[str]:
        models = (self.root, *self.model_of_key.values())
        return frozenset(key for model in models for key in model.model_fields)

    def fields_under(self, owner: str | None) -> list[str]:
        model = self.model_of_key.get(owner, self.root) if owner else self.root
        known = list(model.model_fields)
        if model is Block:
            known += list(Segment.model_fields)  # a one-segment block may hold them directly
        return known


PLAN_SCHEMA = Schema(
    Plan, {"blocks": Block, "segments": Segment, "target": Target, "set_break": SetBreak}
)
_PATH_PREFIX = re.compile(r"^([a-z_]+(?:\[\d+\])*(?:\.[a-z_]+(?:\[\d+\])*)*): (.+)$", re.DOTALL)
_PATH_PART = re.compile(r"([a-z_]+)|\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong (`message`) and which key it is about (`path`, () for the whole plan)."""

    path: Path
    message: str

    @property
    def key(self) -> str | None:
        """The innermost key of the path: 'rest' for blocks[0].rest[1]."""
        return next((part for part in reversed(self.path) if isinstance(part, str)), None)


def first_problem(error: ValidationError, schema: Schema = PLAN_SCHEMA) -> Problem:
    """The one problem to report for a failed validation."""
    errors = error.errors(include_url=False)
    known = schema.known_keys
    about_values = [
        e for e in errors if e["type"] != "too_short" and not _wrong_branch(e, known)
    ]
    chosen = (about_values or [e for e in errors if e["type"] != "too_short"] or errors)[0]
    path = _clean(chosen, known)
    message = _message(chosen, path, schema)
    if match := _PATH_PREFIX.match(message):
        inner = parse_path(match.group(1))
        if inner and inner[0] in known:
            path, message = path + inner, match.group(2)
    return Problem(path, message)


def format_path(path: Path) -> str:
    """('blocks', 0, 'rest') -> 'blocks[0].rest'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def parse_path(text: str) -> Path:
    """'blocks[0].rest' -> ('blocks', 0, 'rest')."""
    return tuple(
        key if key else int(index) for key, index in _PATH_PART.findall(text)
    )


def _wrong_branch(error: Any, known: frozenset[str]) -> bool:
    """A union member that did not even have the right type: noise next to the real error."""
    return error["type"].endswith("_type") and any(
        isinstance(part, str) and part not in known for part in error["loc"]
    )


def _clean(error: Any, known: frozenset[str]) -> Path:
    loc = error["loc"]
    keep: list[str | int] = []
    for number, part in enumerate(loc):
        last_unknown = error["type"] == "extra_forbidden" and number == len(loc) - 1
        if isinstance(part, int) or part in known or last_unknown:
            keep.append(part)
    return tuple(keep)


def _message(error: Any, path: Path, schema: Schema) -> str:
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input")
    got = f" (got {value!r})" if isinstance(value, str | int | float) else ""
    match kind:
        case "value_error":
            return str(ctx.get("error", error["msg"]))
        case "extra_forbidden":
            return f"unknown key{_suggestion(path, schema)}"
        case "missing":
            return "missing: this key is required"
        case "greater_than":
            return f"must be more than {ctx['gt']}{got}"
        case "greater_than_equal":
            return f"must be {ctx['ge']} or more{got}"
        case "less_than_equal":
            return f"must be {ctx['le']} or less{got}"
        case "int_type" | "int_parsing" | "int_from_float":
            return f"must be a whole number{got}"
        case "float_type" | "float_parsing":
            return f"must be a number{got}"
        case "finite_number":
            return f"must be a finite number{got}"
        case "bool_type" | "bool_parsing":
            return f"must be true or false{got}"
        case "string_type":
            return f"must be text (in quotes){got}"
        case "model_type" | "model_attributes_type" | "dict_type":
            return f"must be text (in quotes) or a table{got}"
        case "tuple_type" | "list_type":
            return f"must be a list{got}"
        case "too_short":
            return "must not be empty"
    msg = error["msg"]
    return msg[:1].lower() + msg[1:] + got


def _suggestion(path: Path, schema: Schema) -> str:
    """'; did you mean 'rest'?' for the unknown key at the end of `path`."""
    owner = next((p for p in reversed(path[:-1]) if isinstance(p, str)), None)
    known = schema.fields_under(owner)
    close = difflib.get_close_matches(str(path[-1]), known, n=1) if path else []
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; known keys: {', '.join(sorted(known))}"
