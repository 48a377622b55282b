"""The loop's two doors for the phone page: it publishes every pass (through the sinks), and
takes a plan request only while nothing runs."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import pytest

from trackside.core.engine import Engine
from trackside.core.events import (
    Command,
    Commanded,
    Effect,
    Phase,
    PlanRequested,
    QuitRequested,
    RepRecorded,
    SessionFinished,
    SessionStarted,
    Source,
)
from trackside.core.schedule import expand
from trackside.core.view import View
from trackside.plan_source import load_plan
from trackside.runtime.clock import FakeClock
from trackside.runtime.inbox import Inbox
from trackside.runtime.loop import Loop
from trackside.runtime.sinks import Sinks


class Heard:
    def __init__(self) -> None:
        self.passes: list[tuple[Phase, tuple[Effect, ...]]] = []

    def publish(self, view: View, effects: Sequence[Effect]) -> None:
        self.passes.append((view.phase, tuple(effects)))


class Broken:
    def publish(self, view: View, effects: Sequence[Effect]) -> None:
        raise RuntimeError("the phone page fell over")


def loop_for(plan: str, *subscribers: object, linger: float = 0.0) -> Loop:
    clock = FakeClock()
    sinks = Sinks(clock)
    for subscriber in subscribers:
        sinks.add_subscriber(subscriber, "PHONE PAGE OFF")  # type: ignore[arg-type]
    return Loop(Engine(expand(load_plan(plan))), Inbox(), clock, sinks, linger=linger)


def phone(loop: Loop, command: Command, at: float) -> None:
    loop.inbox.put(Commanded(at, command, Source.REMOTE))


def run_until(loop: Loop, t: float) -> None:
    while not loop.done and loop.clock.now() < t:
        loop.run_once(until=t)


def test_every_pass_is_published_after_the_screen_with_that_pass_effects() -> None:
    heard = Heard()
    loop = loop_for("2x200m @40s r30", heard)
    phone(loop, Command.PRESS, 0.0)
    phone(loop, Command.PRESS, 40.0)  # the first rep's lap
    run_until(loop, 41.0)
    laps = [effect for _, effects in heard.passes for effect in effects
            if isinstance(effect, RepRecorded)]
    assert [(lap.index, lap.source) for lap in laps] == [(1, Source.REMOTE)]  # heard once
    assert heard.passes[-1][0] is Phase.REST
    assert any(not effects for _, effects in heard.passes)  # quiet passes are published too


def test_a_failing_subscriber_is_reported_once_and_the_timer_runs_on(
        caplog: pytest.LogCaptureFixture) -> None:
    heard = Heard()
    loop = loop_for("2x200m @40s r30", Broken(), heard)
    phone(loop, Command.PRESS, 0.0)
    with caplog.at_level(logging.ERROR, logger="trackside.runtime.sinks"):
        run_until(loop, 20.0)
    assert len([r for r in caplog.records if "fell over" in r.getMessage()]) == 1
    assert loop.sinks.notice == "PHONE PAGE OFF: the phone page fell over"  # on every screen
    assert heard.passes[-1][0] is Phase.REP  # the one after it still heard every pass


def test_a_plan_request_before_the_first_press_ends_the_loop_for_the_new_plan() -> None:
    heard = Heard()
    loop = loop_for("2x200m @40s r30", heard)
    request = PlanRequested(1.0, load_plan("4x100m @15s r20"), "4x100m @15s r20")
    loop.inbox.put(request)
    phone(loop, Command.PRESS, 1.0)  # taken in the same pass: for the new plan, not this one
    run_until(loop, 5.0)
    assert loop.done and loop.plan_request == request and not loop.quitting
    assert loop.engine.phase is Phase.READY  # never started: nothing of it to keep
    loop.next_session(Engine(expand(request.plan)))
    run_until(loop, 2.0)
    assert loop.engine.phase is Phase.LEAD_IN  # the press started the phone's plan
    assert [e for _, effects in heard.passes for e in effects
            if isinstance(e, SessionStarted)] == [SessionStarted(1.0)]


def test_a_plan_request_while_a_session_runs_is_refused_and_the_session_goes_on(
        caplog: pytest.LogCaptureFixture) -> None:
    loop = loop_for("2x200m @40s r30")
    phone(loop, Command.PRESS, 0.0)
    loop.inbox.put(PlanRequested(10.0, load_plan("4x100m @15s r20"), "4x100m @15s r20"))
    with caplog.at_level(logging.WARNING, logger="trackside.loop"):
        run_until(loop, 20.0)
    assert not loop.done and loop.plan_request is None
    assert loop.engine.phase is Phase.REP
    assert "a session is running" in caplog.text


def test_on_the_finish_screen_a_plan_request_closes_it_for_the_new_plan() -> None:
    heard = Heard()
    loop = loop_for("1x200m @40s", heard, linger=math.inf)
    phone(loop, Command.PRESS, 0.0)
    phone(loop, Command.PRESS, 44.0)
    run_until(loop, 60.0)
    assert loop.engine.phase is Phase.FINISHED and not loop.done  # the summary lingers
    assert any(isinstance(e, SessionFinished) for _, effects in heard.passes for e in effects)
    loop.inbox.put(PlanRequested(61.0, load_plan("1x100m"), "1x100m"))
    run_until(loop, 70.0)
    assert loop.done and loop.plan_request is not None


def test_a_quit_says_the_run_ends_whatever_the_phase() -> None:
    loop = loop_for("1x200m @40s", linger=math.inf)
    phone(loop, Command.PRESS, 0.0)
    phone(loop, Command.PRESS, 44.0)
    loop.inbox.put(QuitRequested(50.0))  # over the summary
    run_until(loop, 60.0)
    assert loop.done and loop.quitting and loop.plan_request is None
