"""The real loop, end to end on the fake clock: inputs in time order, cues at their time."""

import io
import json

import pytest

from trackside.adapters.eventlog import EventLog
from trackside.adapters.headless import StatusLine, control_input
from trackside.commands.simulate import SimulatedAthlete
from trackside.core.engine import Engine
from trackside.core.events import ButtonPressed, ButtonReleased, Crossing, Phase
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.runtime.clock import FakeClock
from trackside.runtime.inbox import Inbox
from trackside.runtime.loop import Loop, Outputs

PLAN = Plan.model_validate({
    "name": "loop", "warmup": 60, "cooldown": 30,
    "blocks": [{"sets": 2, "reps": 3, "distance": "400m", "target": "75s",
                "rest": [60, 45], "set_break": "2:00-3:00"}],
})


class Recorded:
    def __init__(self) -> None:
        self.played: list[tuple[str, float]] = []

    def play(self, cue, *, count=None) -> None:  # noqa: ANN001
        self.played.append((cue.value, clock.now()))


clock = FakeClock()


def test_a_whole_session_with_a_simulated_athlete_logs_every_rep_and_cue_on_time() -> None:
    clock.t = 0.0
    inbox, stream, player = Inbox(), io.StringIO(), Recorded()
    engine = Engine(expand(PLAN))
    athlete = SimulatedAthlete(inbox, seed=3)
    outputs = Outputs(clock, players=[player], recorders=[EventLog(stream)],
                      observers=[athlete.observe])
    status = io.StringIO()
    loop = Loop(engine, inbox, clock, outputs, StatusLine(status))
    athlete.start(1.0)
    loop.run()
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
    clock.t = 0.0
    inbox = Inbox()
    engine = Engine(expand(Plan.model_validate(
        {"name": "x", "blocks": [{"reps": 1, "distance": "400m", "target": "60s"}]})))
    loop = Loop(engine, inbox, clock, Outputs(clock))
    inbox.put(control_input("press", 0.0))
    inbox.put(Crossing(65.0))  # put first, stamped later
    inbox.put(Crossing(64.0))  # the real finish
    while not loop.done:
        loop.run_once()
    assert engine.results[0].duration_s == 59.0


def test_a_scripted_hold_pauses_through_the_future_release() -> None:
    clock.t = 0.0
    inbox = Inbox()
    engine = Engine(expand(PLAN))
    loop = Loop(engine, inbox, clock, Outputs(clock))
    inbox.put(ButtonPressed(0.0))
    inbox.put(ButtonReleased(0.1))
    loop.run_once()
    inbox.put(control_input("hold", 10.0))
    while clock.t < 13.0:
        loop.run_once()
    assert engine.phase is Phase.PAUSED
