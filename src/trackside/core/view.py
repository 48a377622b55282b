"""What the screen shows, as a value, and `view_of`: the engine's state at a moment -> a View.

Rules for this module:
  1. Pure: `view_of` reads the engine and the moment, nothing else, and changes nothing.
  2. No words: what the screen asks of the athlete is a `Prompt`; `core.readout` says it.
  3. Plain data that compares by value, so a display can compare successive views and
     redraw only what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from trackside.core.engine import Engine
from trackside.core.events import Outcome, Phase, RepRecorded, SensorState
from trackside.core.group_view import GroupView, clock_start, group_view_of, next_go
from trackside.core.phase_times import phase_length_s, ranged_top_s
from trackside.core.schedule import Step, StepKind


class Prompt(Enum):
    """What the screen asks the athlete to do now."""

    START_WARMUP = "start_warmup"
    START = "start"  # the first rep of a plan without sets
    START_SET = "start_set"  # the set of `current` (a set break's range: or at `top_s` by itself)
    START_REP = "start_rep"  # `current`: a resumed session goes on mid-set
    RUN_AGAIN = "run_again"  # `current` again: a hold stopped it
    END_WARMUP = "end_warmup"  # press when ready
    END_COUNT = "end_count"  # a count rep: press when done
    END_JOG = "end_jog"  # a jog rest (`jog`): press at the start, or cross the line
    FINISH = "finish"  # the cooldown: press to finish
    RESUME = "resume"  # paused: hold to resume


@dataclass(frozen=True, slots=True)
class PhoneCard:
    """How a phone pairs with the timer, for the big screen: the code and the QR's link."""

    code: str  # '483921'
    url: str  # what the QR code holds: the page, with a one-time token
    address: str  # what a coach types: '10.42.0.1:8080'


@dataclass(frozen=True, slots=True)
class View:
    plan_name: str
    phase: Phase
    clock_s: float  # the primary number: time left of a countdown, or time into a rep
    counting_down: bool
    progress: float | None  # 0..1 through a rest, set break, lead-in, warmup or cooldown
    set_no: int | None
    sets_total: int
    rep_no: int | None  # within the set
    reps_in_set: int | None
    rep_index: int | None  # over the whole plan
    current: Step | None  # the rep running, or the one the countdown leads to
    next_rep: Step | None  # the rep after `current`, for the NEXT preview
    last_rep: RepRecorded | None  # shown through the rest that follows it
    prompt: Prompt | None
    overtime_s: float | None  # a set break or a range past its minimum: how far past
    paused_phase: Phase | None  # what PAUSED interrupted
    sensor: SensorState
    resumed: bool  # this run continues an interrupted session
    results: tuple[RepRecorded, ...]  # every rep so far: the summary reads these
    outcome: Outcome | None  # set once FINISHED
    notice: str = ""  # a fault the timer works around, e.g. 'NOT SAVING: disk full'
    plan_reps: tuple[Step, ...] = ()  # every rep of the plan: the summary groups results by them
    top_s: float | None = None  # a range past its minimum: the overtime it ends by itself at
    jog: Step | None = None  # a jog rest running: its distance, label and usual time
    phone: PhoneCard | None = None  # at READY with the phone page on: how a phone pairs
    group: GroupView | None = None  # a group's athletes: finishers, calls, who is next


def view_of(engine: Engine, now: float, notice: str = "",
            phone: PhoneCard | None = None) -> View:
    """What the screen shows at `now`. `notice`: the faults the timer works around;
    `phone`: how a phone pairs, shown only at READY (between sessions, not over a rep)."""
    paused = engine.paused
    phase = paused.phase if paused else engine.phase  # what runs, or ran until the pause
    step = engine.step
    elapsed = paused.elapsed_s if paused else now - engine.started_at
    current = None if phase in (Phase.COOLDOWN, Phase.FINISHED) else engine.next_rep
    length = phase_length_s(phase, step, engine.settings.lead_in_s)
    minimum = length or 0.0
    top = ranged_top_s(phase, step)
    overtime = None
    if (phase is Phase.SET_BREAK or top is not None) and elapsed >= minimum:
        overtime, length = elapsed - minimum, None
    jog = step if phase is Phase.REST and length is None else None  # a rest with no clock
    group, moment = engine.group, engine.started_at + elapsed  # paused: when it paused
    if group is not None and phase in (Phase.REP, Phase.REST):  # a set's clocks: the lanes'
        started, going, jog = clock_start(group), next_go(group), None
        if phase is Phase.REP and started is not None:  # up, from the longest running's GO
            length, elapsed = None, moment - started
        elif going is not None:  # down, to the next GO
            length = going - engine.started_at
    clock = (length - elapsed) if length is not None else (overtime or elapsed)
    if phase in (Phase.READY, Phase.FINISHED):
        clock = 0.0
    results = engine.results
    return View(
        plan_name=engine.schedule.name,
        phase=engine.phase,
        clock_s=max(0.0, clock),
        counting_down=length is not None,
        progress=min(1.0, max(0.0, elapsed / length)) if length else None,
        set_no=current.set_no if current else None,
        sets_total=engine.schedule.sets_total,
        rep_no=current.rep_no if current else None,
        reps_in_set=current.reps_in_set if current else None,
        rep_index=current.rep_index if current else None,
        current=current,
        next_rep=_rep_after(engine, current),
        last_rep=results[-1] if results else None,
        prompt=_prompt(engine, phase, current, overtime is not None, jog),
        overtime_s=overtime,
        paused_phase=paused.phase if paused else None,
        sensor=engine.sensor,
        resumed=engine.resumed,
        results=results,
        outcome=engine.outcome,
        notice=notice,
        plan_reps=engine.schedule.reps,
        top_s=None if top is None or overtime is None else top - minimum,
        jog=jog,
        phone=phone if engine.phase is Phase.READY else None,
        group=None if group is None else group_view_of(group, moment, engine.missed),
    )


def _rep_after(engine: Engine, rep: Step | None) -> Step | None:
    """The rep that follows `rep` (its `rep_index` counts reps from 1 over the plan)."""
    reps = engine.schedule.reps
    if rep is None or rep.rep_index is None or rep.rep_index >= len(reps):
        return None
    return reps[rep.rep_index]


def _prompt(engine: Engine, phase: Phase, current: Step | None, past_minimum: bool,
            jog: Step | None) -> Prompt | None:
    """`phase`: what runs, or ran until a pause."""
    step = engine.step
    if engine.phase is Phase.PAUSED:
        return Prompt.RESUME
    match phase:
        case Phase.READY if step is not None and step.kind is StepKind.WARMUP:
            return Prompt.START_WARMUP
        case Phase.READY if engine.stopped is not None:
            return Prompt.RUN_AGAIN
        case Phase.READY if current is not None and current.rep_no != 1:
            return Prompt.START_REP
        case Phase.READY if current is not None:  # 'SET 1' only where there are sets
            return Prompt.START_SET if engine.schedule.sets_total > 1 else Prompt.START
        case Phase.SET_BREAK if past_minimum and current is not None:
            return Prompt.START_SET
        case Phase.WARMUP:
            return Prompt.END_WARMUP
        case Phase.REP if step is not None and step.count is not None:
            return Prompt.END_COUNT
        case Phase.REST if jog is not None:
            return Prompt.END_JOG
        case Phase.COOLDOWN:
            return Prompt.FINISH
    return None
