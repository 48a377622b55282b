"""What the screen shows, as a value. The engine makes it; every display draws it.

A display compares successive views and redraws only what changed, so everything here
is plain data that compares by value.
"""

from __future__ import annotations

from dataclasses import dataclass

from trackside.core.events import Outcome, Phase, RepRecorded, SensorState
from trackside.core.schedule import Step


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
    reps_total: int
    current: Step | None  # the rep running, or the one the countdown leads to
    next_rep: Step | None  # the rep after `current`, for the NEXT preview
    last_rep: RepRecorded | None  # shown through the rest that follows it
    prompt: str  # 'PRESS TO START SET 2', 'HOLD TO RESUME', or ''
    overtime_s: float | None  # a set break past its minimum: how far past
    paused_phase: Phase | None  # what PAUSED interrupted
    sensor: SensorState
    resumed: bool  # this run continues an interrupted session
    results: tuple[RepRecorded, ...]  # every rep so far: the summary reads these
    outcome: Outcome | None  # set once FINISHED
    notice: str = ""  # a fault the timer works around, e.g. 'NOT SAVING: disk full'
    phone: PhoneCard | None = None  # at READY with the phone page on: how to pair
