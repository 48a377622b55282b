"""A plan from a phone: a built-in plan's name or the whiteboard notation, never a file.

Rules for this module:
  1. A phone names a built-in plan or types a notation; a path is refused before
     `plan_source` could open it, so no file on the Pi can be read through the page.
  2. The reading is `show`'s: the plan's header, one line per step and the total, from
     `core.timeline`, and the same one-line errors (`notation, column 13: ...`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trackside.core.errors import UserError
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.core.timeline import timeline_lines
from trackside.core.units import format_pace
from trackside.plan_source import builtin_plans, load_plan

MAX_SPEC = 500  # characters: a whiteboard holds less


def phone_plan(spec: str, pace: str = "", max_speed: str = "") -> Plan:
    """The plan a phone asked for. Raises UserError (one line) when it cannot be run."""
    spec = spec.strip()
    if not spec:
        raise UserError("pick a plan or type one, e.g. 4x400m @75s r60")
    if len(spec) > MAX_SPEC:
        raise UserError(f"a plan of {len(spec)} characters is too long (at most {MAX_SPEC})")
    if spec not in {name for name, _ in builtin_plans()} and _names_a_file(spec):
        raise UserError("a plan from the phone is a built-in plan or a notation, not a file")
    return load_plan(spec, pace=pace.strip() or None, max_speed=max_speed.strip() or None)


def preview(plan: Plan) -> dict[str, Any]:
    """`show`'s reading of a plan: its name, description, references, steps and total."""
    *steps, total = timeline_lines(expand(plan))
    references = []
    if plan.pace is not None:
        references.append(f"race pace {format_pace(plan.pace)}")
    if plan.max_speed is not None:
        references.append(f"top speed {plan.max_speed:.2f} m/s")
    return {"name": plan.name, "description": plan.description,
            "references": ", ".join(references), "steps": steps, "total": total}


def _names_a_file(spec: str) -> bool:
    """What `load_plan` would open as a file (see its rule 1)."""
    try:
        return spec.lower().endswith(".toml") or Path(spec).exists()
    except OSError:  # a name too long for the file system is not a file
        return False
