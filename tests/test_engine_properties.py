"""Whatever a runner, a flaky sensor or a child with the button does, the engine holds."""

from __future__ import annotations

import pytest
from engine_helpers import engine_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trackside.core.engine import Engine
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Command,
    Commanded,
    Crossing,
    Effect,
    ForgetPhones,
    Input,
    Phase,
    PhaseStarted,
    QuitRequested,
    RepRecorded,
    SensorBack,
    SensorLost,
    SensorNoise,
    SessionFinished,
    Source,
)

segments = st.sampled_from([
    [{"distance": "400m", "target": "75s"}],
    [{"distance": "200m"}],
    [{"distance": "800m", "target": "2:30"}],
    [{"distance": "400m", "target": "4:55/km"}, {"distance": "100m", "target": "max"}],
    [{"duration": "30s"}],
    [{"count": 10, "label": "squat"}],
])


@st.composite
def blocks(draw: st.DrawFn) -> dict:
    reps = draw(st.integers(1, 4))
    block = {"reps": reps, "segments": draw(segments), "sets": draw(st.integers(1, 3))}
    if reps > 1:
        block["rest"] = draw(st.lists(st.integers(0, 90), min_size=reps - 1, max_size=reps - 1))
    if draw(st.booleans()):
        low = draw(st.integers(0, 200))
        block["set_break"] = draw(st.sampled_from([f"{low}", f"{low}-{low + 60}"]))
    return block


@st.composite
def plans(draw: st.DrawFn) -> Engine:
    chosen = draw(st.lists(blocks(), min_size=1, max_size=3))
    for block in chosen[:-1]:  # a block followed by another needs its gap
        block.setdefault("set_break", "30")
    extras = {}
    if draw(st.booleans()):
        extras["warmup"] = draw(st.integers(1, 600))
    if draw(st.booleans()):
        extras["cooldown"] = draw(st.integers(1, 600))
    return engine_for(*chosen, **extras)


def inputs() -> st.SearchStrategy[list[tuple[float, str]]]:
    kinds = st.sampled_from(["down", "up", "cross", "noise", "lost", "back", "tap", "tap", "cross",
                             "phone_press", "phone_hold", "phone_end"])
    return st.lists(st.tuples(st.floats(0, 400, allow_nan=False), kinds), max_size=60)


def make(kind: str, at: float) -> list[Input]:
    return {
        "down": [ButtonPressed(at)],
        "up": [ButtonReleased(at)],
        "tap": [ButtonPressed(at), ButtonReleased(at + 0.1)],
        "cross": [Crossing(at)],
        "noise": [SensorNoise(at, "garbage", "not a crossing")],
        "lost": [SensorLost(at, "unplugged")],
        "back": [SensorBack(at)],
        "phone_press": [Commanded(at, Command.PRESS, Source.REMOTE)],
        "phone_hold": [Commanded(at, Command.HOLD, Source.REMOTE)],
        "phone_end": [Commanded(at, Command.LONG_HOLD, Source.REMOTE)],
    }[kind]


def run(engine: Engine, script: list[tuple[float, str]]) -> tuple[list[Effect], float]:
    """Feed the script (gaps between inputs); return the effects and the time it ended."""
    effects: list[Effect] = []
    now = 0.0
    for gap, kind in script:
        now += gap
        for item in make(kind, now):
            effects += engine.handle(item)
        now = max(item.at for item in make(kind, now))
    return effects, now


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(engine=plans(), script=inputs())
def test_random_inputs_never_raise_lose_a_rep_or_run_time_backwards(
    engine: Engine, script: list[tuple[float, str]]
) -> None:
    effects, end = run(engine, script)
    recorded = [e for e in effects if isinstance(e, RepRecorded)]
    assert list(engine.results) == recorded  # every rep recorded is kept, once
    assert [r.index for r in recorded] == sorted({r.index for r in recorded})
    starts = [e.at for e in effects if isinstance(e, PhaseStarted)]
    assert starts == sorted(starts)
    assert all(r.duration_s >= 0 for r in recorded)
    # Whatever happened, letting go and then holding for 5 s ends the session, keeping
    # every rep (time may also finish it first: a timed plan runs on by itself); before
    # the first press there is nothing to end, and the hold forgets the phones instead.
    now = end + 1000.0
    effects += engine.handle(ButtonReleased(now - 1.0))
    unstarted = engine.idle and engine.phase is Phase.READY
    effects += engine.handle(ButtonPressed(now)) + engine.advance(now + 5.0)
    if unstarted:
        assert effects[-1] == ForgetPhones(now + 5.0) and engine.phase is Phase.READY
        return
    assert engine.phase is Phase.FINISHED
    assert len([e for e in effects if isinstance(e, SessionFinished)]) == 1
    assert list(engine.results) == [e for e in effects if isinstance(e, RepRecorded)]


@pytest.mark.parametrize("phase_script", [
    [],  # ready
    [(0.0, "tap")],  # lead-in
    [(0.0, "tap"), (6.0, "noise")],  # rep
    [(0.0, "tap"), (6.0, "noise"), (80.0, "cross")],  # rest
    [(0.0, "tap"), (6.0, "noise"), (80.0, "cross"), (5.0, "down"), (3.0, "up")],  # paused
    [(0.0, "tap"), (1.0, "down"), (6.0, "up")],  # finished
])
@pytest.mark.parametrize("kind", ["down", "up", "tap", "cross", "noise", "lost", "back",
                                  "phone_press", "phone_hold", "phone_end"])
def test_every_input_is_legal_in_every_phase(phase_script: list, kind: str) -> None:
    engine = engine_for({"reps": 2, "distance": "400m", "target": "75s", "rest": 60})
    run(engine, [*phase_script, (1.0, kind)])
    engine.handle(QuitRequested(10_000.0))
    assert engine.phase is Phase.FINISHED


def test_a_three_hour_session_ends_exactly_on_schedule() -> None:
    # 90 timed reps of 60 s with 60 s rests: 10,740 s after GO, to the microsecond.
    engine = engine_for({"reps": 90, "duration": "60s", "rest": 60})
    engine.handle(ButtonPressed(0.0))
    engine.handle(ButtonReleased(0.1))
    effects: list[Effect] = []
    t = 0.0
    while engine.phase is not Phase.FINISHED:
        t += 0.2197  # wake at awkward moments, each up to a moment late (no stall)
        effects += engine.advance(t)
    finished = [e for e in effects if isinstance(e, SessionFinished)][0]
    assert finished.at == pytest.approx(5.0 + 90 * 60 + 89 * 60, abs=1e-6)
