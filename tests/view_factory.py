"""Views made by hand, one per phase, for the display tests (the engine makes real ones)."""

from __future__ import annotations

from dataclasses import replace

from engine_helpers import cross, walk
from group_helpers import group_engine, start
from trackside.core.events import Outcome, Phase, RepRecorded, SensorState, Source
from trackside.core.schedule import Leg, Step, StepKind
from trackside.core.group import GroupSettings
from trackside.core.view import PhoneCard, Prompt, View, view_of


def rep_step(index: int = 3, distance_m: float = 400, target_s: float = 65.0,
             set_no: int = 1, rep_no: int = 3, text: str = "1:05") -> Step:
    leg = Leg(distance_m=distance_m, target_s=target_s, target_text=text)
    return Step(StepKind.REP, set_no, rep_no, index, legs=(leg,), reps_in_set=6)


def recorded(index: int = 2, seconds: float = 65.32, target_s: float | None = 65.0,
             source: Source = Source.BEAM, set_no: int = 1, rep_no: int = 2) -> RepRecorded:
    start = 100.0 * index
    return RepRecorded(set_no, rep_no, index, start, start + seconds, target_s, (), source)


def view(**changes: object) -> View:
    """A REST with 45 s left, after rep 2 of 6 in set 1 of 2, beam online."""
    base = View(
        plan_name="2 x 6 x 400 m",
        phase=Phase.REST,
        clock_s=45.0,
        counting_down=True,
        progress=0.5,
        set_no=1,
        sets_total=2,
        rep_no=3,
        reps_in_set=6,
        rep_index=3,
        current=rep_step(),
        next_rep=rep_step(index=4, rep_no=4),
        last_rep=recorded(),
        prompt=None,
        overtime_s=None,
        paused_phase=None,
        sensor=SensorState.ONLINE,
        resumed=False,
        results=(recorded(1, 64.81), recorded(2, 65.32)),
        outcome=None,
    )
    return replace(base, **changes)


def session_results(count: int = 12) -> tuple[RepRecorded, ...]:
    """A session that fades: each rep a little slower, the last ones over target."""
    return tuple(
        recorded(index, 64.2 + 0.25 * index, set_no=1 + (index - 1) // 6,
                 rep_no=1 + (index - 1) % 6,
                 source=Source.BEAM if index % 5 else Source.BUTTON)
        for index in range(1, count + 1)
    )


def plan_reps(count: int = 12) -> tuple[Step, ...]:
    """The plan behind `session_results`: sets of six 400 m reps at 1:05."""
    return tuple(rep_step(index, set_no=1 + (index - 1) // 6, rep_no=1 + (index - 1) % 6)
                 for index in range(1, count + 1))


PHASE_VIEWS: dict[str, View] = {
    "ready": view(phase=Phase.READY, clock_s=0.0, counting_down=False, progress=None,
                  rep_no=1, rep_index=1, current=rep_step(1, rep_no=1), last_rep=None,
                  next_rep=rep_step(2, rep_no=2), prompt=Prompt.START_SET, results=()),
    "warmup": view(phase=Phase.WARMUP, clock_s=540.0, progress=0.1, rep_no=None,
                   current=rep_step(1, rep_no=1), last_rep=None, results=()),
    "lead_in": view(phase=Phase.LEAD_IN, clock_s=4.2, progress=0.16, rep_no=1,
                    current=rep_step(1, rep_no=1), last_rep=None, results=()),
    "rep": view(phase=Phase.REP, clock_s=47.36, counting_down=False, progress=None),
    "rep_long": view(phase=Phase.REP, clock_s=65.7, counting_down=False, progress=None),
    "rest": view(),
    "rest_last_seconds": view(clock_s=2.8, progress=0.97),
    "set_break": view(phase=Phase.SET_BREAK, clock_s=152.0, progress=0.16, set_no=1,
                      rep_no=6, last_rep=recorded(6, 66.9, rep_no=6),
                      current=rep_step(7, set_no=2, rep_no=1),
                      next_rep=rep_step(8, set_no=2, rep_no=2)),
    "set_break_overtime": view(phase=Phase.SET_BREAK, clock_s=0.0, progress=1.0,
                               overtime_s=25.4, rep_no=6, prompt=Prompt.START_SET,
                               current=rep_step(7, set_no=2, rep_no=1),
                               last_rep=recorded(6, 66.9, rep_no=6)),
    "cooldown": view(phase=Phase.COOLDOWN, clock_s=300.0, progress=0.1, set_no=None,
                     rep_no=None, current=None, next_rep=None, last_rep=None),
    "paused": view(phase=Phase.PAUSED, paused_phase=Phase.REST, prompt=Prompt.RESUME,
                   sensor=SensorState.LOST),
    "resumed": view(resumed=True, sensor=SensorState.NONE,
                    last_rep=recorded(source=Source.BUTTON, seconds=64.4)),
    "finished": view(phase=Phase.FINISHED, clock_s=0.0, counting_down=False, progress=None,
                     set_no=None, rep_no=None, current=None, next_rep=None, last_rep=None,
                     results=session_results(), outcome=Outcome.FINISHED,
                     plan_reps=plan_reps()),
}


CARD = PhoneCard("483921", "http://10.42.0.1:8080/#pair=AbCdEfGhIjKlMnOpQrStUv",
                 "10.42.0.1:8080")
FRAME_SEQUENCES = ["rep", "rest", "overtime", "phone", "marks", "group"]


def frame_sequence(name: str) -> list[View]:
    """Views a display is shown one after another, through every kind of change."""
    running = PHASE_VIEWS["rep"]
    if name == "rep":  # tenths, a new second, 9.9 -> 10.0, then whole seconds from a minute
        return [replace(running, clock_s=t / 10) for t in (*range(95, 125), *range(595, 625))]
    if name == "rest":  # seconds, the flash of the last three, then GO
        return ([replace(PHASE_VIEWS["rest"], clock_s=t / 2, progress=1 - t / 30)
                 for t in range(14, 0, -1)] + [replace(running, clock_s=t / 10) for t in range(3)])
    if name == "phone":  # the pairing card comes, shows a new code, goes with the lead-in
        ready = PHASE_VIEWS["ready"]
        return [ready, replace(ready, phone=CARD),
                replace(ready, phone=replace(CARD, code="105377")), ready,
                replace(ready, phone=CARD), PHASE_VIEWS["lead_in"], running]
    if name == "marks":  # notices come and go; a late start, a doubted time, over a rest
        rest = PHASE_VIEWS["rest"]
        late = replace(recorded(), late_start_s=0.5)
        doubted = replace(recorded(seconds=81.5), uncertain=True)
        return [replace(running, clock_s=t / 10, notice=notice)
                for t, notice in ((471, ""), (472, "NOT SAVING: disk full, 1 rep waiting"),
                                  (473, "NOT SAVING: disk full, 2 reps waiting"), (474, ""))
                ] + [replace(rest, last_rep=late), replace(rest, clock_s=44.0, last_rep=late),
                     replace(rest, last_rep=doubted, notice="SPEAKER OFF: no sound card"),
                     replace(rest, clock_s=44.0, last_rep=doubted)]
    if name == "group":
        return group_frames()
    overtime = PHASE_VIEWS["set_break_overtime"]  # +9 -> +10 -> +1:00, paused, resumed
    return ([replace(overtime, overtime_s=t) for t in (8.0, 9.0, 10.0, 59.0, 60.0, 61.0)]
            + [PHASE_VIEWS["paused"], overtime, PHASE_VIEWS["ready"], running])


def group_frames() -> list[View]:
    """A group of three through its screens: staggered GOs called ('BEN IN 3'), tenths,
    finishers arriving (the newest largest), a crossing that fits nobody (CHECK ORDER), the
    rest's seconds and flash, the next GO, and the group's summary."""
    engine = group_engine("2x400m @pace r20", [60, 62, 64], GroupSettings.staggered(4.0))
    start(engine)
    views = [view_of(engine, now / 10) for now in range(50, 140, 7)]
    for crossing, then in ((40.0, 40.5), (65.1, 65.9), (71.3, 71.6), (79.2, 79.6)):
        cross(engine, crossing)
        views.append(view_of(engine, then))
    views += [view_of(engine, now) for now in (80.0, 90.0, 95.0, 96.5, 97.2, 98.0)]
    walk(engine, 100.5)
    for at in (160.2, 165.0, 171.1):
        cross(engine, at)
    walk(engine, 172.0)
    views.append(view_of(engine, 172.0))
    return views
