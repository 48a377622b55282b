"""A group's session recorded end to end on the fake clock: athletes added to a database, a
plan run by them with simulated runners, headless."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from trackside.adapters.athlete_book import AthleteBook
from trackside.app import RunConfig, run_session
from trackside.commands.simulate import SimulatedAthlete, SimulatedGroup
from trackside.core.athletes import Profile
from trackside.core.events import Input, QuitRequested
from trackside.core.group import GroupSettings, Roster
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.plan_source import load_plan
from trackside.runtime.clock import FakeClock

PLAN = "3x400m @pace r60"


def roster_of(db: Path, paces: dict[str, str], plan: str = PLAN) -> tuple[Roster, Plan]:
    """The athletes added to `db` with their race paces, and `plan` as they run it."""
    book = AthleteBook(db)
    for name, pace in paces.items():
        book.add(Profile.model_validate({"name": name, "pace": pace}))
    athletes = [book.find(name) for name in paces]
    plans = [load_plan(plan, athlete=athlete.profile) for athlete in athletes]
    roster = Roster(tuple(a.name for a in athletes), tuple(expand(p) for p in plans),
                    GroupSettings(), tuple(a.id for a in athletes))
    return roster, plans[0]


def run_group(db: Path, roster: Roster | None, plan: Plan, *, resume: bool = False,
              quit_after_s: float | None = None, events: Path | None = None,
              alone: bool = False) -> str:
    """Run it to its end (or a quit), every runner on target; what the status line said.
    `alone`: one athlete runs it (no group's lanes start anyone)."""
    out, clock = io.StringIO(), FakeClock()
    participants = [lambda put, clock: SimulatedAthlete(put, clock, noise=0.0, runs=alone),
                    lambda put, clock: SimulatedGroup(put, clock, noise=0.0, bad_reps=0.0)]
    if quit_after_s is not None:  # a quit stamped then: the session is kept, resumable
        participants.append(lambda put, clock: _quits(put, quit_after_s))
    run_session(RunConfig(plan=plan, plan_spec=plan.name, display="headless",
                          db_path=str(db), simulate=True,
                          events_path=str(events) if events else None, roster=roster,
                          resume=resume), clock=clock, stdout=out, participants=participants)
    return out.getvalue()


def _quits(put: Callable[[Input], None], at: float) -> SimulatedGroup:
    put(QuitRequested(at))
    return SimulatedGroup(put, FakeClock(), bad_reps=0.0)  # a subscriber that does nothing
