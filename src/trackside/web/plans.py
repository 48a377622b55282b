"""A plan from a phone: a built-in plan's name or the whiteboard notation, never a file.

Rules for this module:
  1. A phone names a built-in plan or types a notation; anything `plan_source` would read
     from a file is refused before it could open it, so no file on the Pi can be read
     through the page.
  2. It is read as `run` reads its PLAN: with the references given (else the config's), on
     the configured lap, with the same one-line errors (`notation, column 13: ...`) and
     warnings.
  3. The preview is `show`'s reading: the header, a sentence per block (`core.reading`),
     the notation, one line per step and the total (`core.timeline`), and the warnings.
"""

from __future__ import annotations

from typing import Any

from trackside.core.errors import UserError
from trackside.core.notation_writer import plan_notation
from trackside.core.plan import LoadedPlan
from trackside.core.reading import header_lines, plan_sentences
from trackside.core.schedule import expand
from trackside.core.timeline import timeline_lines
from trackside.plan_source import builtin_plans, names_a_file, on_track, read_plan

MAX_SPEC = 500  # characters: a whiteboard holds less


def phone_plan(spec: str, pace: str, max_speed: str, lap_m: float) -> LoadedPlan:
    """The plan a phone asked for, and its warnings. Raises UserError (one line) when it
    cannot be run."""
    spec = spec.strip()
    if not spec:
        raise UserError("pick a plan or type one, e.g. 4x400m @75s r60")
    if len(spec) > MAX_SPEC:
        raise UserError(f"a plan of {len(spec)} characters is too long (at most {MAX_SPEC})")
    if spec not in {name for name, _ in builtin_plans()} and names_a_file(spec):
        raise UserError("a plan from the phone is a built-in plan or a notation, not a file")
    loaded = read_plan(spec, pace=pace.strip() or None, max_speed=max_speed.strip() or None)
    return LoadedPlan(on_track(loaded.plan, spec, lap_m), loaded.warnings)


def preview(loaded: LoadedPlan) -> dict[str, Any]:
    """`show`'s reading of a plan (rule 3)."""
    plan = loaded.plan
    name, *about = header_lines(plan)
    *steps, total = timeline_lines(expand(plan))
    notation = plan_notation(plan)
    return {"name": name, "about": about, "sentences": plan_sentences(plan),
            "notation": "" if notation == plan.name else notation, "steps": steps,
            "total": total, "warnings": list(loaded.warnings)}
