"""The hand-off to the phones: pushes only on change, a slow phone dropped, the clock anchored,
and every figure at its source's precision."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

from engine_helpers import walk
from web_support import Timer

from trackside.core.engine import Engine

from trackside.core.events import (
    Command,
    Commanded,
    ForgetPhones,
    RepRecorded,
    Source,
)
from trackside.core.schedule import expand
from trackside.core.view import PhoneCard, View, view_of
from trackside.plan_source import load_plan
from trackside.runtime.loop import Loop, NullScreen
from trackside.runtime.sinks import Sinks
from trackside.web.hub import PHONE_QUEUE
from trackside.web.snapshot import clock, snapshot


def drain(loop: asyncio.AbstractEventLoop) -> None:
    loop.run_until_complete(asyncio.sleep(0))


def received(phone, loop: asyncio.AbstractEventLoop) -> list[dict]:  # noqa: ANN001
    messages = []
    while phone._messages:  # noqa: SLF001 - what has reached the phone so far
        messages.append(json.loads(loop.run_until_complete(phone.next())))
    return messages


def test_a_push_goes_out_only_when_something_a_phone_shows_changes() -> None:
    timer, loop = Timer(), asyncio.new_event_loop()
    timer.hub.attach(loop)
    phone = timer.hub.join()
    for _ in range(100):  # a hundred quiet passes at READY
        timer.publish()
        drain(loop)
    assert [m["phase"] for m in received(phone, loop)] == ["ready"]
    timer.engine.handle(Commanded(100.0, Command.PRESS, Source.REMOTE))
    for _ in range(50):  # the lead-in counts down on the phone's own clock
        timer.publish()
        timer.clock.advance(0.01)
        drain(loop)
    (lead_in,) = received(phone, loop)
    assert lead_in["phase"] == "lead_in" and lead_in["clock"] == {"kind": "down",
                                                                 "ends_at": 105.0}
    loop.close()


def test_a_phone_that_falls_behind_is_dropped_and_the_others_go_on() -> None:
    timer, loop = Timer(), asyncio.new_event_loop()
    timer.hub.attach(loop)
    asleep, awake = timer.hub.join(), timer.hub.join()
    timer.engine.handle(Commanded(99.0, Command.PRESS, Source.REMOTE))
    for number in range(PHONE_QUEUE + 2):  # pause, resume, pause...
        timer.engine.handle(Commanded(100.0 + number, Command.HOLD, Source.REMOTE))
        timer.publish()  # never waits for a phone: it only hands over a reference
        drain(loop)
        received(awake, loop)
    assert asleep.dropped and not awake.dropped
    assert timer.hub.phones == 1
    assert loop.run_until_complete(asleep.next()) is None  # its stream ends; it reconnects
    loop.close()


def test_a_long_hold_before_the_first_press_forgets_every_phone() -> None:
    timer = Timer()
    code, _ = timer.pairing.secret()
    timer.pairing.pair(code=code)
    timer.hub.publish(view_of(timer.engine, 100.0), (ForgetPhones(100.0),))
    assert timer.pairing.phones == 0 and timer.pairing.secret()[0] != code


def test_the_clock_is_sent_as_an_anchor_on_the_pi_clock() -> None:
    timer = Timer()
    engine = timer.engine
    engine.handle(Commanded(0.0, Command.PRESS, Source.REMOTE))
    assert clock(view_of(engine, 2.0), 2.0) == {"kind": "down", "ends_at": 5.0}
    engine.advance(5.0)
    assert clock(view_of(engine, 7.5), 7.5) == {"kind": "up", "since": 5.0}
    engine.handle(Commanded(8.0, Command.PRESS, Source.REMOTE))  # too soon for a lap
    engine.handle(Commanded(9.0, Command.HOLD, Source.REMOTE))  # a distance rep: stopped
    assert clock(view_of(engine, 20.0), 20.0) == {"kind": "none"}  # READY to run it again
    timer = Timer(engine=Engine(expand(load_plan("2x20s r30"))))
    timer.engine.handle(Commanded(0.0, Command.PRESS, Source.REMOTE))
    timer.engine.advance(5.0)  # GO on time
    timer.engine.handle(Commanded(8.0, Command.HOLD, Source.REMOTE))  # a timed rep: paused
    assert clock(view_of(timer.engine, 20.0), 20.0) == {"kind": "frozen", "as": "down",
                                                        "value": 17.0}


def rows(*reps: RepRecorded) -> list[dict]:
    engine = Timer().engine
    return snapshot(replace(view_of(engine, 0.0), results=reps), 0.0, True)["reps"]


def test_a_remote_lap_shows_to_the_tenth_rounded_up_and_its_delta_from_what_is_shown() -> None:
    def rep(seconds: float, source: Source) -> RepRecorded:
        return RepRecorded(1, 2, 2, 10.0, 10.0 + seconds, 12.0, (), source)

    remote, beam = rows(rep(11.03, Source.REMOTE), rep(12.001, Source.BEAM))
    assert remote == {"label": "1.2", "athlete": "", "time": "11.1", "target": "12.0 s",
                      "delta": "-0.9", "good": True, "note": "", "source": "remote"}
    assert (beam["time"], beam["delta"], beam["good"]) == ("12.01", "+0.01", False)


def test_a_phone_shows_what_a_stall_did_to_a_rep_as_the_screen_does() -> None:
    late = replace(RepRecorded(1, 1, 1, 10.0, 22.0, 12.0, (), Source.BEAM), late_start_s=3.0)
    doubted = replace(late, index=2, rep_no=2, late_start_s=0.0, uncertain=True)
    first, second = rows(late, doubted)
    assert (first["time"], first["note"]) == ("12.00", "LATE START")
    assert (second["time"], second["delta"], second["good"]) == ("12.00?", "", None)


def test_the_finish_summary_on_a_phone_is_the_finish_screen_grouped() -> None:
    timer = Timer(engine=Engine(expand(load_plan("2x200m @40s r30; 1x100m @15s"))))
    engine = timer.engine
    engine.handle(Commanded(0.0, Command.PRESS, Source.REMOTE))
    for at in (45.0, 115.0, 165.0):  # GO at 5, 75 and 145 (after a 30 s rest each)
        walk(engine, at)  # the loop on time
        engine.handle(Commanded(at, Command.PRESS, Source.REMOTE))
        walk(engine, at + 30.0)
    summary = snapshot(view_of(engine, 200.0), 200.0, True)["summary"]
    assert summary["title"] == "FINISHED"
    assert [stat["label"] for stat in summary["stats"]] == ["REPS", "VS TARGET"]
    assert [group["title"] for group in summary["groups"]] == ["200 m @ 40.0 s",
                                                               "100 m @ 15.0 s"]
    assert summary["groups"][0]["stats"][1] == {"label": "AVERAGE", "value": "40.0",
                                                "good": None}


def test_the_pairing_code_goes_to_the_big_screen_and_never_to_a_phone() -> None:
    class Screen(NullScreen):
        shown: list[View] = []

        def show(self, view: View, now: float) -> None:
            self.shown.append(view)

    timer = Timer()
    card = PhoneCard("483921", "http://10.42.0.1:8080/#pair=secret-token", "10.42.0.1:8080")
    sinks = Sinks(timer.clock)
    sinks.add_subscriber(timer.hub, "PHONE PAGE OFF")
    loop = Loop(timer.engine, timer.inbox, timer.clock, sinks, Screen())
    loop.pairing = lambda: card
    loop.run_once(until=timer.clock.now())
    assert Screen.shown[-1].phone == card
    message = timer.hub.message() or ""
    assert "483921" not in message and "secret-token" not in message
