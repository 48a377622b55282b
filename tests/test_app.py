"""The composition root on the clock it is given: a whole session in no real time."""

import io
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from trackside.adapters.store_reader import SessionReader, SessionStatus
from trackside.app import RunConfig, run_session
from trackside.commands.simulate import SimulatedAthlete
from trackside.config import Config, WebConfig
from trackside.core.events import (
    Command,
    Commanded,
    Effect,
    Inbound,
    Outcome,
    Phase,
    QuitRequested,
    SessionFinished,
    Source,
)
from trackside.core.view import View
from trackside.plan_source import load_plan
from trackside.runtime.clock import Clock, FakeClock


def test_a_session_runs_to_its_end_on_the_clock_it_is_given() -> None:
    clock, out = FakeClock(), io.StringIO()
    config = RunConfig(plan=load_plan("2x200m @30s r30"), plan_spec="2x200m @30s r30",
                       display="headless", simulate=True, record=False)
    assert run_session(config, clock=clock, stdout=out, participants=[
        lambda put, clock: SimulatedAthlete(put, clock, noise=0.0)]) == 0
    # pressed 2 s after it saw the timer waiting, 5 s lead-in, two 30 s reps, a 30 s rest
    assert clock.t == pytest.approx(2.0 + 5.0 + 30.0 + 30.0 + 30.0)
    said = out.getvalue()
    # its athlete crosses a beam that is not there, timed to 0.01 s: said so, not as a button
    assert "SIMULATED BEAM" in said and "BUTTON TIMING" not in said
    summary = said.splitlines()[-4:]
    assert summary[0].startswith("FINISHED 2x200m @30s r30: REPS 2")
    assert summary[2:] == ["    1.1 30.00 30.0 s +0.00", "    1.2 30.00 30.0 s +0.00"]


def test_threads_switch_every_millisecond_during_a_run_and_as_before_after_it() -> None:
    seen: list[float] = []

    def watcher(put: Callable[[Inbound], None], clock: Clock) -> SimulatedAthlete:
        seen.append(sys.getswitchinterval())  # while the run's devices open
        return SimulatedAthlete(put, clock, noise=0.0)

    before = sys.getswitchinterval()
    config = RunConfig(plan=load_plan("1x200m @30s"), plan_spec="1x200m @30s",
                       display="headless", simulate=True, record=False)
    assert run_session(config, clock=FakeClock(), stdout=io.StringIO(),
                       participants=[watcher]) == 0
    assert seen == [0.001]  # a stamping thread waits at most 1 ms for the interpreter
    assert sys.getswitchinterval() == before


@dataclass
class Coach:
    """Starts each session it sees waiting (as a phone's Start), and quits after `sessions`."""

    put: Callable[[Inbound], None]
    clock: Clock
    sessions: int
    finished: int = 0
    started: int = 0

    def publish(self, view: View, effects: Sequence[Effect]) -> None:
        self.finished += sum(isinstance(effect, SessionFinished)
                             and effect.outcome is Outcome.FINISHED for effect in effects)
        if self.finished == self.sessions:
            self.put(QuitRequested(self.clock.now()))
        elif view.phase is Phase.READY and self.started == self.finished:
            self.started += 1
            self.put(Commanded(self.clock.now() + 1.0, Command.PRESS, Source.REMOTE))


@pytest.mark.parametrize(("again", "sessions"), [(True, 2), (False, 1)])
def test_with_again_a_finished_session_is_followed_by_the_next_at_ready(
        again: bool, sessions: int, tmp_path: Path) -> None:
    clock, out, db = FakeClock(), io.StringIO(), tmp_path / "sessions.db"
    config = RunConfig(plan=load_plan("2x10s r5"), plan_spec="2x10s r5", display="headless",
                       db_path=str(db), again=again)
    coaches: list[Coach] = []

    def coach(put: Callable[[Inbound], None], clock: Clock) -> Coach:
        coaches.append(Coach(put, clock, sessions=2))
        return coaches[0]

    assert run_session(config, clock=clock, stdin=io.StringIO(), stdout=out,
                       participants=[coach]) == 0
    assert coaches[0].finished == sessions  # without `again`, the end of the first is the end
    history = SessionReader(db).history()
    assert [(row.plan_name, row.status) for row in history] == [
        ("2x10s r5", SessionStatus.FINISHED)] * sessions
    assert out.getvalue().count("FINISHED 2x10s r5") == sessions


@dataclass
class Watcher:
    """Quits a minute after the session finished: the summary was up until then, or not."""

    put: Callable[[Inbound], None]
    clock: Clock
    finished_at: float | None = None

    def publish(self, view: View, effects: Sequence[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, SessionFinished):
                self.finished_at = effect.at
                self.put(QuitRequested(effect.at + 60.0))
        if view.phase is Phase.READY and self.finished_at is None:
            self.put(Commanded(self.clock.now(), Command.PRESS, Source.REMOTE))


@pytest.mark.parametrize("web", [True, False])
def test_headless_with_the_phone_page_keeps_the_summary_up_for_the_phone(web: bool) -> None:
    clock, watchers = FakeClock(), []
    settings = Config(web=WebConfig(enabled=web, host="127.0.0.1", port=0))
    config = RunConfig(plan=load_plan("1x10s"), plan_spec="1x10s", config=settings,
                       display="headless", record=False)

    def watcher(put: Callable[[Inbound], None], clock: Clock) -> Watcher:
        watchers.append(Watcher(put, clock))
        return watchers[0]

    assert run_session(config, clock=clock, stdin=io.StringIO(), stdout=io.StringIO(),
                       participants=[watcher]) == 0
    finished = watchers[0].finished_at
    assert finished is not None
    if web:  # the run ends on the quit
        assert clock.t == pytest.approx(finished + 60.0)
    else:  # as the session ends (by the pass that saw it)
        assert clock.t < finished + 2.0
