"""Who runs a session, and the plan each of them runs: athletes on the list by name (or a saved
group), in start order, each with the plan read with their own references, on the track's lap.
What `run --athletes`/`--group` and a phone's plan share.

Rules for this module:
  1. A name not on the list, the same athlete twice, more than `MAX_ATHLETES` or a saved
     group with nobody left in it is one UserError that says so.
  2. The plan is read once per athlete (`plan_source.read_plan`, their profile in place of
     its references): a target an athlete has no reference for names them. The warnings
     are the first athlete's, said once.
  3. The group's settings are checked as a group's (core.group): a setting that cannot be
     honoured is a UserError, never a silent other meaning.
  4. A saved group's name is letters, digits, '-' and '_' (at most MAX_GROUP_NAME); its
     athletes are named as for a run (rule 1), at least one. What `trackside groups` and a
     phone share.
"""

from __future__ import annotations

from collections.abc import Sequence

from trackside.adapters.athlete_book import Athlete, AthleteBook
from trackside.core.errors import UserError
from trackside.core.group import MAX_ATHLETES, GroupSettings, Roster
from trackside.core.plan import LoadedPlan
from trackside.core.schedule import expand
from trackside.plan_source import on_track, read_plan

MAX_GROUP_NAME = 32


def athletes_named(book: AthleteBook, names: Sequence[str]) -> list[Athlete]:
    """The athletes called `names` on the list, in that order (rule 1)."""
    names = [name.strip() for name in names if name.strip()]
    if len(names) > MAX_ATHLETES:
        raise UserError(f"at most {MAX_ATHLETES} athletes run as a group (got {len(names)})")
    chosen = [book.find(name) for name in names]
    if len({athlete.id for athlete in chosen}) != len(chosen):
        raise UserError("an athlete is named twice")
    return chosen


def group_name(name: str) -> str:
    """`name` stripped, if it can name a saved group (rule 4); else a UserError."""
    name = name.strip()
    plain = name.replace("-", "").replace("_", "")
    if not name or len(name) > MAX_GROUP_NAME or not plain.isalnum():
        raise UserError(f"a group's name is letters, digits, - and _, at most {MAX_GROUP_NAME} "
                        "characters")
    return name


def save_group(book: AthleteBook, name: str, names: Sequence[str]
               ) -> tuple[str, list[Athlete]]:
    """Save (or replace) the group `name` (rule 4): the athletes called `names`, in that
    start order. The name as saved, and those athletes."""
    name, chosen = group_name(name), athletes_named(book, names)
    if not chosen:
        raise UserError("a group needs its athletes, in start order: Ana,Ben,Cam")
    book.save_group(name, chosen)
    return name, chosen


def saved_group(book: AthleteBook, name: str) -> list[Athlete]:
    """The saved group `name`'s athletes, in its start order (rule 1)."""
    chosen = book.group(name)
    if not chosen:
        raise UserError(f"the group {name.strip()}: nobody is left in it (trackside groups "
                        "save it again)")
    return chosen


def roster_for(chosen: Sequence[Athlete], spec: str, *, pace: str | None,
               max_speed: str | None, lap_m: float, settings: GroupSettings
               ) -> tuple[LoadedPlan, Roster]:
    """The first athlete's plan (with its warnings, rule 2) and the roster of `chosen`."""
    plans = []
    for athlete in chosen:
        try:
            loaded = read_plan(spec, pace=pace, max_speed=max_speed, athlete=athlete.profile)
        except UserError as exc:
            raise UserError(f"{athlete.name}: {exc}") from None
        plans.append(LoadedPlan(on_track(loaded.plan, spec, lap_m), loaded.warnings))
    try:
        roster = Roster(tuple(athlete.name for athlete in chosen),
                        tuple(expand(loaded.plan) for loaded in plans), settings,
                        tuple(athlete.id for athlete in chosen))
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return plans[0], roster
