"""The real loop on a fake clock (a fresh one per test): inputs in time order, cues at their
time, the sinks in their order, and a broken sink that never stops the timer."""

from __future__ import annotations

import errno
import io
import json
import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from trackside.adapters.eventlog import EventLog
from trackside.adapters.headless import StatusLine, control_input
from trackside.commands.simulate import SimulatedAthlete
from trackside.core.engine import Engine
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Crossing,
    Cue,
    Effect,
    Input,
    Phase,
    QuitRequested,
    RepRecorded,
)
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.core.view import View
from trackside.runtime.clock import FakeClock
from trackside.runtime.inbox import Inbox
from trackside.runtime.loop import Loop, NullScreen
from trackside.runtime.sinks import Sinks

PLAN = Plan.model_validate({
    "name": "loop", "warmup": 60, "cooldown": 30,
    "blocks": [{"sets": 2, "reps": 3, "distance": "400m", "target": "75s",
                "rest": [60, 45], "set_break": "2:00-3:00"}],
})
ONE_400 = Plan.model_validate(
    {"name": "one", "blocks": [{"reps": 1, "distance": "400m", "target": "60s"}]})
TWO_TIMED = Plan.model_validate(
    {"name": "timed", "blocks": [{"reps": 2, "duration": "30s", "rest": 30}]})


@dataclass
class Player:
    """A cue output that notes what it played, and when on the clock."""

    clock: FakeClock
    played: list[tuple[Cue, float]] = field(default_factory=list)

    def play(self, cue: Cue, *, count: int | None = None) -> None:
        self.played.append((cue, self.clock.now()))


@dataclass
class Journal(NullScreen):
    """A sink of any kind that writes what it was given to a list shared with others."""

    name: str
    lines: list[str]
    problem: str | None = None  # as the store's: 'NOT SAVING: ...'

    def play(self, cue: Cue, *, count: int | None = None) -> None:
        self.lines.append(f"{self.name} {cue.value}")

    def input(self, item: Input) -> None:
        self.lines.append(f"{self.name} {type(item).__name__}")

    def effect(self, effect: Effect, driven_at: float | None) -> None:
        if isinstance(effect, RepRecorded):
            self.lines.append(f"{self.name} rep")

    def settle(self, timeout_s: float) -> None:
        self.lines.append(f"{self.name} settled")

    def show(self, view: View, now: float) -> None:
        self.lines.append(f"{self.name} {view.phase.value}")

    def publish(self, view: View, effects: Sequence[Effect]) -> None:
        self.lines.append(f"{self.name} {len(effects)} effects")


class Broken(NullScreen):
    """A sink whose disk is full: every call raises (as a screen, it only fails to draw)."""

    calls = 0
    problem = None  # as a recorder, it says nothing itself: its guard does

    def _fail(self, *args: object, **kwargs: object) -> None:
        self.calls += 1
        raise OSError(errno.ENOSPC, "No space left on device")

    play = input = effect = show = publish = _fail


def run_loop(plan: Plan, clock: FakeClock, sinks: Sinks, inputs: Sequence[Input] = (),
             screen: object | None = None) -> Loop:
    inbox = Inbox()
    for item in inputs:
        inbox.put(item)
    loop = Loop(Engine(expand(plan)), inbox, clock, sinks,
                **({"screen": screen} if screen is not None else {}))
    loop.run()
    return loop


def start_and_cross(at: float) -> list[Input]:
    return [ButtonPressed(0.0), ButtonReleased(0.1), Crossing(at)]


def test_a_whole_session_with_a_simulated_athlete_logs_every_rep_and_cue_on_time() -> None:
    clock, inbox, stream = FakeClock(), Inbox(), io.BytesIO()
    sinks, player, status = Sinks(clock), Player(clock), io.StringIO()
    sinks.add_player(player, "BUZZER OFF")
    sinks.add_recorder(EventLog(stream.write))
    sinks.add_subscriber(SimulatedAthlete(inbox.put, clock, seed=3), "ATHLETE GONE")
    engine = Engine(expand(PLAN))
    Loop(engine, inbox, clock, sinks, StatusLine(status)).run()
    assert engine.phase is Phase.FINISHED and len(engine.results) == 6
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["index"] for line in lines if line["type"] == "rep"] == [1, 2, 3, 4, 5, 6]
    cue_lines = [line for line in lines if line["type"] == "cue"]
    assert cue_lines and all(line["mono_ns"] == line["due_ns"] for line in cue_lines)
    assert [at for _, at in player.played] == pytest.approx(
        [line["due_ns"] / 1e9 for line in cue_lines], abs=1e-6)
    phases = [line["phase"] for line in lines if line["type"] == "phase"]
    assert phases[:5] == ["warmup", "ready", "lead_in", "rep", "rest"]
    assert phases[-2:] == ["cooldown", "finished"]
    assert "AVERAGE" in status.getvalue()


def test_inputs_are_handled_in_time_order_even_when_they_arrive_out_of_order() -> None:
    clock = FakeClock()
    inbox = Inbox()
    engine = Engine(expand(ONE_400))
    loop = Loop(engine, inbox, clock, Sinks(clock))
    inbox.put(control_input("press", 0.0))
    inbox.put(Crossing(65.0))  # put first, stamped later
    inbox.put(Crossing(64.0))  # the real finish
    loop.run()
    assert engine.results[0].duration_s == 59.0


class LateClock(FakeClock):
    """Every wait wakes 0.2 s late, as a busy machine would (later would be a stall)."""

    def wait(self, condition: threading.Condition, until: float) -> None:
        self.t = max(self.t, until + 0.2)


def test_late_wake_ups_shift_neither_the_schedule_nor_a_lap_time() -> None:
    clock, stream = LateClock(), io.BytesIO()
    sinks = Sinks(clock)
    sinks.add_recorder(EventLog(stream.write))
    loop = run_loop(TWO_TIMED, clock, sinks, [ButtonPressed(0.0), ButtonReleased(0.1)])
    phases = [(line["phase"], line["mono_ns"] / 1e9) for line in map(
        json.loads, stream.getvalue().splitlines()) if line["type"] == "phase"]
    assert phases == [("lead_in", 0.0), ("rep", 5.0), ("rest", 35.0), ("rep", 65.0),
                      ("finished", 95.0)]
    assert [rep.duration_s for rep in loop.engine.results] == [30.0, 30.0]


def test_a_pass_sounds_its_cues_then_saves_settles_logs_shows_and_publishes() -> None:
    clock, lines = FakeClock(), []
    sinks = Sinks(clock)
    sinks.add_player(Journal("buzzer", lines), "BUZZER OFF")
    sinks.keep_durably(Journal("store", lines))
    sinks.add_recorder(Journal("log", lines))
    sinks.add_subscriber(Journal("phone", lines), "PHONE OFF")
    run_loop(ONE_400, clock, sinks, start_and_cross(60.0), screen=Journal("screen", lines))
    # The last pass: the crossing ends the only rep, and so the session.
    assert lines[-8:] == [
        "buzzer session_done",
        "store Crossing", "store rep", "store settled",
        "log Crossing", "log rep",
        "screen finished",
        "phone 5 effects",  # judged, the rep, finished, its cue, the session's end
    ]


def test_every_pass_publishes_even_with_nothing_new() -> None:
    clock, lines = FakeClock(), []
    sinks = Sinks(clock)
    sinks.add_subscriber(Journal("phone", lines), "PHONE OFF")
    inbox = Inbox()
    loop = Loop(Engine(expand(ONE_400)), inbox, clock, sinks)
    loop.run_once()
    loop.run_once()
    assert lines == ["phone 0 effects", "phone 0 effects"]


@pytest.mark.parametrize("kind", ["player", "recorder", "subscriber", "screen"])
def test_a_sink_with_a_full_disk_is_told_once_on_the_screen_and_the_timer_runs_on(
        kind: str, caplog: pytest.LogCaptureFixture) -> None:
    clock, lines, broken = FakeClock(), [], Broken()
    sinks = Sinks(clock)
    player = Player(clock)
    sinks.add_player(player, "SPEAKER OFF")
    screen: object = Journal("screen", lines)
    match kind:
        case "player":
            sinks.add_player(broken, "BUZZER OFF")
        case "recorder":
            sinks.add_recorder(broken)
        case "subscriber":
            sinks.add_subscriber(broken, "PHONE OFF")
        case "screen":
            screen = broken
    status = io.StringIO()
    sinks.add_display(StatusLine(status), "STATUS OFF")
    loop = run_loop(ONE_400, clock, sinks, start_and_cross(60.0), screen=screen)
    assert loop.engine.phase is Phase.FINISHED and len(loop.engine.results) == 1
    assert broken.calls == 1  # left out after its first failure
    label = {"player": "BUZZER OFF", "recorder": "NOT LOGGING", "subscriber": "PHONE OFF",
             "screen": "SCREEN OFF"}[kind]
    live = [line for line in status.getvalue().splitlines() if " | " in line]  # not the summary
    assert live[-1].startswith("GO") and live[-1].endswith(f"{label}: disk full")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        f"{label}: disk full; the timer runs on without it"]
    assert (Cue.SESSION_DONE, 60.0) in player.played  # the other sinks carried on


class Haunted(NullScreen):
    """A sink whose every attribute raises when it is looked up, not when it is called."""

    looked_up = 0

    def __getattribute__(self, name: str) -> object:
        if name in ("play", "input", "effect", "settle", "show", "publish", "problem"):
            type(self).looked_up += 1
            raise RuntimeError(f"no {name} today")
        return super().__getattribute__(name)


@pytest.mark.parametrize(("kind", "label"), [
    ("player", "BUZZER OFF"), ("durable", "NOT SAVING"), ("recorder", "NOT LOGGING"),
    ("display", "STATUS OFF"), ("subscriber", "PHONE OFF")])
def test_a_sink_whose_attributes_raise_is_left_out_like_any_broken_sink(
        kind: str, label: str) -> None:
    clock, haunted = FakeClock(), Haunted()
    Haunted.looked_up = 0
    sinks = Sinks(clock)
    player = Player(clock)
    sinks.add_player(player, "SPEAKER OFF")
    {"player": lambda: sinks.add_player(haunted, label),
     "durable": lambda: sinks.keep_durably(haunted),
     "recorder": lambda: sinks.add_recorder(haunted, label),
     "display": lambda: sinks.add_display(haunted, label),
     "subscriber": lambda: sinks.add_subscriber(haunted, label)}[kind]()
    status = io.StringIO()
    loop = run_loop(ONE_400, clock, sinks, start_and_cross(60.0), screen=StatusLine(status))
    assert loop.engine.phase is Phase.FINISHED and len(loop.engine.results) == 1
    assert Haunted.looked_up == 1  # left out after the first
    assert sinks.notice.startswith(f"{label}: no ")  # 'NOT SAVING: no problem today'
    assert (Cue.SESSION_DONE, 60.0) in player.played


def test_the_stores_own_notice_reaches_the_screen() -> None:
    clock, lines = FakeClock(), []
    sinks = Sinks(clock)
    sinks.keep_durably(Journal("store", lines, problem="NOT SAVING: disk full"))
    status = io.StringIO()
    run_loop(ONE_400, clock, sinks, start_and_cross(60.0), screen=StatusLine(status))
    assert status.getvalue().splitlines()[0].endswith("NOT SAVING: disk full")


def test_a_notice_source_that_raises_is_told_once_on_the_screen_and_the_timer_runs_on(
        caplog: pytest.LogCaptureFixture) -> None:
    clock, asked = FakeClock(), []

    def page_notice() -> str | None:
        asked.append(clock.now())
        raise OSError(errno.ENOSPC, "No space left on device")

    sinks = Sinks(clock)
    player = Player(clock)
    sinks.add_player(player, "SPEAKER OFF")
    sinks.add_notice(page_notice, "PHONE PAGE OFF")
    status = io.StringIO()
    with caplog.at_level(logging.ERROR, logger="trackside.runtime.sinks"):
        loop = run_loop(ONE_400, clock, sinks, start_and_cross(60.0),
                        screen=StatusLine(status))
    assert loop.engine.phase is Phase.FINISHED and len(loop.engine.results) == 1
    assert len(asked) == 1  # left out after its first failure
    live = [line for line in status.getvalue().splitlines() if " | " in line]
    assert live[-1].endswith("PHONE PAGE OFF: disk full")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        "PHONE PAGE OFF: disk full; the timer runs on without it"]
    assert (Cue.SESSION_DONE, 60.0) in player.played


def test_a_hold_command_pauses_a_rest_through_the_loop() -> None:
    clock, inbox = FakeClock(), Inbox()
    engine = Engine(expand(PLAN))
    loop = Loop(engine, inbox, clock, Sinks(clock))
    inbox.put(ButtonPressed(0.0))
    inbox.put(ButtonReleased(0.1))
    loop.run_once()
    inbox.put(control_input("hold", 10.0))
    while clock.t < 13.0:
        loop.run_once()
    assert engine.phase is Phase.PAUSED


def test_with_the_summary_up_a_press_closes_it() -> None:
    clock, inbox = FakeClock(), Inbox()
    loop = Loop(Engine(expand(ONE_400)), inbox, clock, Sinks(clock), linger=math.inf)
    for item in [*start_and_cross(60.0), QuitRequested(200.0)]:
        inbox.put(item)
    inbox.put(ButtonPressed(100.0))
    inbox.put(ButtonReleased(100.1))
    loop.run()
    assert loop.engine.phase is Phase.FINISHED
    assert clock.t == pytest.approx(100.1)  # the release closed it; quit was not needed


TWO_400S = Plan.model_validate(
    {"name": "two", "blocks": [{"reps": 2, "distance": "400m", "target": "60s", "rest": 60}]})


def _finished_by_a_long_hold(linger: float) -> tuple[Loop, FakeClock]:
    """Start, then end the session with a 6 s hold: it ends at 15 s, the button comes up at 16."""
    clock, inbox = FakeClock(), Inbox()
    loop = Loop(Engine(expand(TWO_400S)), inbox, clock, Sinks(clock), linger=linger)
    for item in [ButtonPressed(0.0), ButtonReleased(0.1), ButtonPressed(10.0),
                 ButtonReleased(16.0)]:
        inbox.put(item)
    while clock.t < 17.0:
        loop.run_once(until=17.0)
    return loop, clock


def test_the_summary_stays_up_after_the_hold_that_ended_the_session_until_a_new_press() -> None:
    loop, clock = _finished_by_a_long_hold(linger=math.inf)
    assert loop.engine.phase is Phase.FINISHED and not loop.done
    loop.run_once(until=100.0)
    assert not loop.done  # nobody pressed: the coach is still reading
    loop.inbox.put(ButtonPressed(101.0))
    loop.inbox.put(ButtonReleased(101.1))
    while not loop.done:
        loop.run_once()
    assert clock.t >= 101.1  # closed by that press, not before


def test_a_summary_with_a_time_limit_closes_by_itself() -> None:
    loop, clock = _finished_by_a_long_hold(linger=6.0)  # the demo's, on its clock
    loop.run()
    assert clock.t == pytest.approx(21.0)  # finished at 15, up for 6 s
