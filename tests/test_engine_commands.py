"""A whole gesture given at once (a phone's button): the same meaning as the button's."""

from engine_helpers import cues, engine_for, phases, press, reps, walk

from trackside.core.events import (
    Command,
    Commanded,
    ForgetPhones,
    Outcome,
    Phase,
    SessionFinished,
    SessionStarted,
    Source,
)
from trackside.core.view import view_of

FOUR_400S = {"reps": 4, "distance": "400m", "target": "75s", "rest": [60, 45, 30]}


def phone(engine, command: Command, at: float):  # noqa: ANN001, ANN201
    return engine.handle(Commanded(at, command, source=Source.REMOTE))


def test_a_phone_press_starts_the_session_and_its_lap_is_stored_as_remote() -> None:
    engine = engine_for(FOUR_400S)
    started = phone(engine, Command.PRESS, 10.0)
    assert started[0] == SessionStarted(at=10.0) and phases(started) == [("lead_in", 10.0)]
    walk(engine, 15.0)
    lap = reps(phone(engine, Command.PRESS, 90.04))[0]
    assert lap.source is Source.REMOTE and lap.ended_at == 90.04
    assert engine.phase is Phase.REST


def test_a_phone_lap_too_soon_after_go_is_ignored_like_a_stray_press() -> None:
    engine = engine_for(FOUR_400S)  # target 75 s: half of it is the lockout
    phone(engine, Command.PRESS, 0.0)
    walk(engine, 5.0)
    assert phone(engine, Command.PRESS, 20.0) == []
    assert engine.phase is Phase.REP


def test_a_phone_hold_pauses_and_a_second_resumes_where_it_was() -> None:
    engine = engine_for({"reps": 2, "duration": "30s", "rest": 30})
    phone(engine, Command.PRESS, 0.0)
    walk(engine, 15.0)  # 10 s into the first rep
    assert cues(phone(engine, Command.HOLD, 15.0)) == [("paused", 15.0)]
    assert engine.phase is Phase.PAUSED
    assert cues(phone(engine, Command.HOLD, 100.0)) == [("resumed", 100.0)]
    assert view_of(engine, 100.0).clock_s == 20.0  # 20 s of the 30 left, as before the pause


def test_a_phone_long_hold_ends_the_session_and_keeps_every_rep() -> None:
    engine = engine_for(FOUR_400S)
    press(engine, 0.0)
    walk(engine, 5.0)
    engine.handle(Commanded(80.0, Command.PRESS))  # a console's press: the button's source
    effects = phone(engine, Command.LONG_HOLD, 100.0)
    assert effects[-1] == SessionFinished(100.0, Outcome.ENDED_EARLY)
    assert [rep.source for rep in engine.results] == [Source.BUTTON]


def test_a_long_hold_before_the_first_press_forgets_the_phones_and_starts_nothing() -> None:
    engine = engine_for(FOUR_400S)
    assert press(engine, 0.0, hold_s=5.5) == [ForgetPhones(5.0)]
    assert engine.phase is Phase.READY and engine.idle
    press(engine, 10.0)
    assert not engine.idle
    effects = phone(engine, Command.LONG_HOLD, 12.0)  # after the start it ends the session
    assert effects[-1] == SessionFinished(12.0, Outcome.ENDED_EARLY)
