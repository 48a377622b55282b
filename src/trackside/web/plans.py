"""A plan from a phone: a built-in plan's name or the whiteboard notation, never a file; run
by no one named, by athletes on the list, or by a saved group.

Rules for this module:
  1. A phone names a built-in plan or types a notation; anything `plan_source` would read
     from a file is refused before it could open it, so no file on the Pi can be read
     through the page.
  2. It is read as `run` reads its PLAN: with the references given (else the config's), on
     the configured lap, with the same one-line errors (`notation, column 13: ...`) and
     warnings. Athletes (or a saved group) run it as `run --athletes` (`--group`) does:
     each with their own references (trackside.rosters), started together or staggered.
  3. The preview is `show`'s reading: the header, a sentence per block (`core.reading`),
     the notation, one line per step and the total (`core.timeline`), and the warnings;
     for athletes, who runs it and how they start (the steps with the first one's targets).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trackside.adapters.athlete_book import AthleteBook
from trackside.core.errors import UserError
from trackside.core.group import MAX_STAGGER_S, GroupSettings, RestFrom, Roster
from trackside.core.group_readout import how_they_start
from trackside.core.notation_writer import plan_notation
from trackside.core.plan import LoadedPlan
from trackside.core.reading import header_lines, plan_sentences
from trackside.core.schedule import expand
from trackside.core.timeline import timeline_lines
from trackside.core.units import format_duration, parse_duration
from trackside.plan_source import builtin_plans, names_a_file, on_track, read_plan
from trackside.rosters import athletes_named, roster_for, saved_group

MAX_SPEC = 500  # characters: a whiteboard holds less


@dataclass(frozen=True)
class Who:
    """Who a phone's plan is for: athletes on the list in start order, or a saved group
    (neither: no one named), and how they start."""

    athletes: tuple[str, ...] = ()
    group: str = ""
    stagger: str = ""  # '10', '10s': athlete i goes at GO + i x it; blank: together
    rest_from: str = ""  # first, last or each; blank: as `run` chooses


def phone_plan(spec: str, pace: str, max_speed: str, lap_m: float) -> LoadedPlan:
    """The plan a phone asked for, and its warnings. Raises UserError (one line) when it
    cannot be run."""
    spec = _checked(spec)
    loaded = read_plan(spec, pace=pace.strip() or None, max_speed=max_speed.strip() or None)
    return LoadedPlan(on_track(loaded.plan, spec, lap_m), loaded.warnings)


def phone_roster(spec: str, pace: str, max_speed: str, lap_m: float, who: Who,
                 athletes: AthleteBook | None, double_break_s: float
                 ) -> tuple[LoadedPlan, Roster | None]:
    """The plan a phone asked for, as `who` runs it (rule 2): the first athlete's, with its
    warnings, and the roster (None: no one named)."""
    if not who.athletes and not who.group:
        if who.stagger.strip() or who.rest_from:
            raise UserError("a start or rest for a group needs its athletes: pick two or more")
        return phone_plan(spec, pace, max_speed, lap_m), None
    if athletes is None:
        raise UserError("this timer keeps no athletes (it runs without a session database)")
    chosen = saved_group(athletes, who.group) if who.group else athletes_named(
        athletes, who.athletes)
    settings = _settings(who, len(chosen), double_break_s)
    return roster_for(chosen, _checked(spec), pace=pace.strip() or None,
                      max_speed=max_speed.strip() or None, lap_m=lap_m, settings=settings)


def preview(loaded: LoadedPlan, roster: Roster | None = None) -> dict[str, Any]:
    """`show`'s reading of a plan, and who runs it (rule 3)."""
    plan = loaded.plan
    name, *about = header_lines(plan)
    *steps, total = timeline_lines(expand(plan))
    notation = plan_notation(plan)
    shown = {"name": name, "about": about, "sentences": plan_sentences(plan),
             "notation": "" if notation == plan.name else notation, "steps": steps,
             "total": total, "warnings": list(loaded.warnings), "athletes": [], "start": ""}
    if roster is not None:
        shown["athletes"] = list(roster.names)
        if len(roster.names) > 1:
            shown["start"] = (f"{how_they_start(roster.settings)}; each with their own targets "
                              f"(the steps show {roster.names[0]}'s)")
    return shown


def _checked(spec: str) -> str:
    """`spec` if a phone may run it (rule 1)."""
    spec = spec.strip()
    if not spec:
        raise UserError("pick a plan or type one, e.g. 4x400m @75s r60")
    if len(spec) > MAX_SPEC:
        raise UserError(f"a plan of {len(spec)} characters is too long (at most {MAX_SPEC})")
    if spec not in {name for name, _ in builtin_plans()} and names_a_file(spec):
        raise UserError("a plan from the phone is a built-in plan or a notation, not a file")
    return spec


def _settings(who: Who, athletes: int, double_break_s: float) -> GroupSettings:
    stagger_s = None
    if who.stagger.strip():
        try:
            stagger_s = parse_duration(who.stagger)
        except ValueError as exc:
            raise UserError(f"stagger: {exc}") from None
        if not stagger_s <= MAX_STAGGER_S:
            raise UserError(f"stagger: must be {format_duration(MAX_STAGGER_S)} or less")
    if athletes < 2 and (stagger_s or who.rest_from):
        raise UserError("a start or rest for a group needs two or more athletes")
    if who.rest_from and who.rest_from not in {rest.value for rest in RestFrom}:
        raise UserError("rest from: first, last or each")
    try:
        return GroupSettings.chosen(stagger_s, RestFrom(who.rest_from) if who.rest_from
                                    else None, double_break_s)
    except ValueError as exc:
        raise UserError(f"rest from {who.rest_from}: {exc}") from None
