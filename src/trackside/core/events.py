"""The values that flow into and out of the engine.

Inputs are facts, named in the past tense and stamped (`at`, monotonic seconds) by the
adapter that saw them. Effects are what the engine wants done; the runtime's sinks carry
them out, in one place. All are frozen, slotted and compared by value, so a test can
assert a whole sequence.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from trackside.core.group import Roster
from trackside.core.plan import Plan
from trackside.core.schedule import Step


class Phase(Enum):
    READY = "ready"  # waiting for the button to start the next set (or the warmup)
    WARMUP = "warmup"
    LEAD_IN = "lead_in"  # the get-ready countdown after a start press
    REP = "rep"
    REST = "rest"
    SET_BREAK = "set_break"
    COOLDOWN = "cooldown"
    PAUSED = "paused"
    FINISHED = "finished"


class Cue(Enum):
    """A moment that deserves a sound. Each has its own pattern on every output."""

    TEN_SECONDS = "ten_seconds"  # 10 s left of a rest or set break
    COUNT = "count"  # one of the 3-2-1 beeps
    GO = "go"  # a rep starts now
    SPLIT = "split"  # a target split time passed
    KICK = "kick"  # a segment ended: the next one (the kick) starts
    REP_DONE = "rep_done"  # a rep was recorded
    SET_DONE = "set_done"  # the last rep of a set was recorded
    BREAK_OVER = "break_over"  # a set break's minimum (or the warmup) is over: press to go
    PAUSED = "paused"
    RESUMED = "resumed"
    SESSION_DONE = "session_done"


class Source(Enum):
    """What ended a rep; it decides the honest precision of its time."""

    BEAM = "beam"  # 0.01 s
    BUTTON = "button"  # 0.1 s
    REMOTE = "remote"  # a paired phone: 0.1 s (Wi-Fi adds tens of ms)
    KEYBOARD = "keyboard"  # a control line typed on stdin: 0.1 s (stamped when it is read)
    TIME = "time"  # a timed rep ended on its clock


class Outcome(Enum):
    FINISHED = "finished"  # every step done
    ENDED_EARLY = "ended_early"  # a long hold: the athlete ended it, final
    INTERRUPTED = "interrupted"  # quit, SIGTERM or a crash: can be resumed


class SensorState(Enum):
    NONE = "none"  # no sensor configured: the button is the lap input
    ONLINE = "online"
    LOST = "lost"  # configured but gone (unplugged, garbage); reconnecting
    SIMULATED = "simulated"  # the demo's athlete crosses a beam that is not there


# --- inputs -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ButtonPressed:
    """The button went down."""

    at: float


@dataclass(frozen=True, slots=True)
class ButtonReleased:
    """The button came up."""

    at: float


@dataclass(frozen=True, slots=True)
class Crossing:
    """The beam was broken. `at` is the best estimate of the moment, on the host clock."""

    at: float
    raw: str = ""  # the sensor's line, for the event log
    # The reader was held up (a stall) before it read the line: it came up to this long
    # before it was read. 0: read as it came.
    stalled_s: float = 0.0
    sensor_time: bool = False  # `at` is the sensor's own stamp, mapped onto the host clock

    @property
    def uncertain(self) -> bool:
        """Read after a stall with no time of its own: it happened up to `stalled_s`
        before `at`, nobody knows when."""
        return self.stalled_s > 0 and not self.sensor_time


@dataclass(frozen=True, slots=True)
class SensorNoise:
    """A sensor line that is not a crossing (garbage, a running-time line, another channel).

    The engine ignores it; the event log keeps it, so every raw line can be audited.
    """

    at: float
    raw: str
    reason: str


@dataclass(frozen=True, slots=True)
class SensorLost:
    at: float
    reason: str


@dataclass(frozen=True, slots=True)
class SensorBack:
    at: float


class Command(Enum):
    """A whole gesture given at once (a console line, a phone's button): no timing to imitate."""

    PRESS = "press"  # as a short press of the button
    HOLD = "hold"  # as a hold: pause or resume
    LONG_HOLD = "long_hold"  # as a long hold: end the session, everything kept


@dataclass(frozen=True, slots=True)
class Commanded:
    """A whole gesture: given at once (a console line, a phone's button), or recognised from
    the button's edges (`core.gestures`). A PRESS that ends a rep is timed with `source`'s
    precision."""

    at: float
    command: Command
    source: Source = Source.BUTTON


@dataclass(frozen=True, slots=True)
class QuitRequested:
    """Esc, Q, `quit` on stdin or SIGTERM: stop now and keep the session resumable."""

    at: float


Input = (
    ButtonPressed | ButtonReleased | Commanded | Crossing | SensorNoise | SensorLost | SensorBack
    | QuitRequested
)


@dataclass(frozen=True, slots=True)
class PlanRequested:
    """A paired phone asked for another plan. Not an input of the engine: the loop takes it
    only while nothing runs (`Engine.idle`), and the app runs the plan as a new session."""

    at: float
    plan: Plan  # a group's: its first athlete's
    spec: str  # as the coach gave it: a built-in plan's name or the notation
    roster: Roster | None = None  # the athletes the phone picked (None: nobody named)


Inbound = Input | PlanRequested  # what the loop's inbox holds


# --- effects ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionStarted:
    at: float


@dataclass(frozen=True, slots=True)
class PhaseStarted:
    phase: Phase
    at: float
    step: Step | None  # the step it runs; READY and the lead-in: the rep they lead to


@dataclass(frozen=True, slots=True)
class AthleteStarted:
    """A group's athlete went: their GO, on their own time when starts are staggered."""

    athlete: int  # their place in the start order (from 0)
    at: float
    step: Step  # the rep, with their own target


@dataclass(frozen=True, slots=True)
class CueDue:
    cue: Cue
    due: float  # when it should sound (monotonic s); drive it then, not at the next frame
    count: int | None = None  # a COUNT cue's number (3, 2, 1), for spoken cues
    name: str = ""  # a group's staggered start: the athlete it calls ('BEN'), for a voice


@dataclass(frozen=True, slots=True)
class CueMissed:
    """A cue whose moment passed while the timer was stalled (see `settings.LATE_S`): it is
    not sounded, since a burst of stale beeps would mislead, only recorded."""

    cue: Cue
    due: float  # when it should have sounded
    at: float  # when the timer found it had passed
    count: int | None = None
    name: str = ""  # a group's staggered start: the athlete it would have called


@dataclass(frozen=True, slots=True)
class CrossingJudged:
    """A crossing and whether it counted (it may be too early, or in a rest)."""

    at: float
    accepted: bool


@dataclass(frozen=True, slots=True)
class RepRecorded:
    set_no: int
    rep_no: int  # within the set
    index: int  # 1-based over the whole plan
    started_at: float
    ended_at: float
    target_s: float | None
    splits_s: tuple[float, ...]  # elapsed time at each accepted crossing before the last
    source: Source
    # GO sounded this long after its time (the timer was stalled): the rep is timed from
    # when GO sounded. 0: on time.
    late_start_s: float = 0.0
    # A time of it (its start, a split or its end) was read after a stall, not stamped as it
    # happened (`Crossing.uncertain`): kept, shown with '?', never averaged.
    uncertain: bool = False
    athlete: int | None = None  # a group's: the athlete's place in the start order (from 0)

    @property
    def duration_s(self) -> float:
        return self.ended_at - self.started_at

    @property
    def delta_s(self) -> float | None:
        return None if self.target_s is None else self.duration_s - self.target_s


@dataclass(frozen=True, slots=True)
class RepStopped:
    """A distance or count rep stopped by a hold: it cannot be timed honestly across a pause,
    so it is run again from a press. Nothing of it is recorded as a rep."""

    set_no: int
    rep_no: int  # within the set
    index: int  # 1-based over the whole plan
    started_at: float
    stopped_at: float
    athlete: int | None = None  # a group's: the athlete's place in the start order (from 0)


class MarkRole(Enum):
    """What a mark (a crossing, or a press in a group's rep) was judged to be: core.assignment."""

    CROSSING = "crossing"  # an athlete's: a split, or their finish
    DOUBLE = "double"  # the same body's second break, within the double-break gap
    LEAVING = "leaving"  # an athlete leaving the line just after their GO
    UNEXPECTED = "unexpected"  # fits no athlete's window: kept and flagged (CHECK ORDER)
    IGNORED = "ignored"  # nobody runs a rep that a mark could end (a rest, a timed rep)
    DROPPED = "dropped"  # taken out afterwards by a fix (core.fixes): never judged so live


@dataclass(frozen=True, slots=True)
class MarkJudged:
    """A group's mark and whose it is. Every mark is kept, whatever its role."""

    at: float
    source: Source  # BEAM: a crossing; BUTTON, REMOTE: a press
    role: MarkRole
    athlete: int | None = None  # CROSSING: whose
    index: int | None = None  # CROSSING: of which rep (1-based over the plan)
    crossing: int | None = None  # CROSSING: which of the rep's crossings (the last: the finish)
    uncertain: bool = False  # a crossing read after a stall (`Crossing.uncertain`)

    @property
    def flagged(self) -> bool:
        return self.role is MarkRole.UNEXPECTED


@dataclass(frozen=True, slots=True)
class RepMissed:
    """A group's athlete whose finish was not seen: the window for it closed with no mark.
    Flagged; `trackside fix` can give them a mark kept as unexpected."""

    athlete: int
    set_no: int
    rep_no: int
    index: int
    started_at: float
    target_s: float | None
    late_start_s: float = 0.0  # as RepRecorded's: their GO sounded this late (a stall)


@dataclass(frozen=True, slots=True)
class SessionFinished:
    at: float
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class ForgetPhones:
    """A long hold at READY before the first press: every paired phone must pair again."""

    at: float


Effect = (
    SessionStarted | PhaseStarted | CueDue | CueMissed | CrossingJudged | RepRecorded
    | RepStopped | SessionFinished | ForgetPhones | MarkJudged | RepMissed | AthleteStarted
)
