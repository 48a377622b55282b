"""The workout engine: one schedule, one run, no I/O.

Rules for this module:
  1. No clock reads, sleeps, threads or I/O. Time arrives as `now` or as an input's `at`;
     `handle` first advances to its input's stamp, so no caller has to.
  2. Every public method returns the effects to perform; it never performs them.
  3. Every (phase, input) pair is legal. An input that means nothing in a phase is ignored,
     never raised: no single accidental press deletes a rep, skips a rest or starts a set
     early. Only programmer errors raise.
  4. Every phase change goes through `_transition`: its one `match` is the whole state
     machine. A button gesture and a command (a console line, a phone) are the same trigger.
     A distance or count rep cannot be timed honestly across a pause: a hold stops it
     (`RepStopped`) and a press runs it again. A long hold before the first press has no
     session to end: it means the phones (`ForgetPhones`).
  5. A phase that ends on time starts the next phase at its deadline, not at `now`; a rep
     ends at the stamp of the crossing or press that ended it. A late wake-up (short of a
     stall, rule 7) never shifts the schedule or a lap time.
  6. Cues are scheduled when a phase starts and handed out at their own due time.
  7. A stall (the caller comes more than `settings.late_s` after a deadline) is told
     honestly: a cue it passed is missed (`CueMissed`), never sounded late; a rep starts
     when its GO can be heard, with how late it was (`RepRecorded.late_start_s`); a rep
     timed by a crossing read after a stall (`Crossing.uncertain`) is marked uncertain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from trackside.core.cue_schedule import phase_cues
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Command,
    Commanded,
    Crossing,
    CrossingJudged,
    Cue,
    CueDue,
    CueMissed,
    Effect,
    ForgetPhones,
    Input,
    Outcome,
    Phase,
    PhaseStarted,
    QuitRequested,
    RepRecorded,
    RepStopped,
    SensorBack,
    SensorLost,
    SensorState,
    SessionFinished,
    SessionStarted,
    Source,
)
from trackside.core.gestures import ButtonGestures
from trackside.core.schedule import Schedule, Step, StepKind, min_gap_s
from trackside.core.settings import EngineSettings

# Phases that count down the length of their step (a set break: its minimum).
_COUNTDOWNS = (Phase.WARMUP, Phase.LEAD_IN, Phase.REST, Phase.SET_BREAK, Phase.COOLDOWN)

# What follows a rep, by the kind of step after it: the phase, and the cue that marks its end.
_AFTER_REP = {
    StepKind.REST: (Phase.REST, Cue.REP_DONE),
    StepKind.SET_BREAK: (Phase.SET_BREAK, Cue.SET_DONE),
    StepKind.COOLDOWN: (Phase.COOLDOWN, Cue.SET_DONE),
}


class _Trigger(Enum):
    """What moves the machine besides a gesture or a command (`Command`)."""

    TIME_UP = "time_up"  # the phase's deadline came
    FINISH_LINE = "finish_line"  # the crossing that ends a rep, or a jog back to the line
    QUIT = "quit"  # stop now, resumable


@dataclass(frozen=True, slots=True)
class Paused:
    phase: Phase  # what the pause interrupted
    elapsed_s: float  # how far into it


def phase_length_s(phase: Phase, step: Step | None, lead_in_s: float) -> float | None:
    """How long `phase` runs on its own clock (a range: its minimum); None: until an input."""
    if phase is Phase.LEAD_IN:
        return lead_in_s
    if step is not None and phase in (*_COUNTDOWNS, Phase.REP):
        return step.duration_s
    return None


def ranged_top_s(phase: Phase, step: Step | None) -> float | None:
    """A range's top (`sb3:00-4:00`, `wu15:00-20:00`): when `phase` ends by itself, from its
    start; None for a phase without a range."""
    if step is None or phase not in _COUNTDOWNS:
        return None
    return step.max_s


class Engine:
    def __init__(
        self,
        schedule: Schedule,
        settings: EngineSettings = EngineSettings(),
        done: Sequence[RepRecorded] = (),
        resumed: bool = False,
    ) -> None:
        """`done`: reps already recorded in an interrupted run; the run resumes after them.
        `resumed`: this run continues an interrupted session, even one with no rep done."""
        self.schedule = schedule
        self.settings = settings
        self._gestures = ButtonGestures(settings.hold_s, settings.long_hold_s)
        self._results: list[RepRecorded] = list(done)
        self._sensor = settings.sensor
        self._resumed = resumed or bool(done)
        self._started = self._resumed  # SessionStarted already went out in the first run
        self._phase = Phase.READY
        self._position = self._resume_position(len(done))  # in the steps: the one running
        self._started_at = 0.0  # when the current phase began (shifted by a pause)
        self._cues: list[CueDue] = []  # this phase's cues still to come, in time order
        self._counted: list[float] = []  # accepted crossings of the rep running
        self._paused: Paused | None = None
        self._stopped: RepStopped | None = None  # the rep a hold stopped, until run again
        self._outcome: Outcome | None = None
        self._now = float("-inf")  # the latest moment the caller has come to (rule 7)
        self._late_start_s = 0.0  # how late the running rep's GO sounded
        self._doubt = False  # a time of the running rep is uncertain (rule 7)

    # --- the public surface -------------------------------------------------------

    def deadline(self) -> float | None:
        """When `advance` must next be called, or None if only an input can move us on."""
        times = [self._gestures.deadline(), self._phase_deadline()]
        if self._cues:
            times.append(self._cues[0].due)
        return min((t for t in times if t is not None), default=None)

    def advance(self, now: float) -> list[Effect]:
        """Everything due by `now`, each at its own time, in time order."""
        return self._heard(self._advance(now))

    def woke(self, now: float) -> None:
        """The caller woke at `now`, before handing in the inputs it took: a cue they cause
        (a crossing stamped by the sensor before a stall) is judged late against `now`."""
        self._now = max(self._now, now)

    def handle(self, event: Input) -> list[Effect]:
        """One input, after everything due before its stamp."""
        effects = self._advance(event.at)
        match event:
            case ButtonPressed(at=at):
                self._gestures.pressed(at)
            case ButtonReleased(at=at):
                for command in self._gestures.released(at):
                    effects += self._command(command)
            case Commanded():
                effects += self._command(event)
            case Crossing():
                effects += self._crossing(event)
            case SensorLost():
                self._sensor = SensorState.LOST
            case SensorBack():
                self._sensor = SensorState.ONLINE
            case QuitRequested(at=at):
                effects += self._transition(_Trigger.QUIT, at)
        return self._heard(effects)

    def _advance(self, now: float) -> list[Effect]:
        self._now = max(self._now, now)
        effects: list[Effect] = []
        while (due := self.deadline()) is not None and due <= now:
            if self._cues and self._cues[0].due == due:
                effects.append(self._cues.pop(0))
            elif self._phase_deadline() == due:
                effects += self._transition(_Trigger.TIME_UP, due)
            else:
                for command in self._gestures.due(due):
                    effects += self._command(command)
        return effects

    def _heard(self, effects: list[Effect]) -> list[Effect]:
        """Rule 7: a cue due more than a moment before now is missed, not sounded."""
        late = self._now - self.settings.late_s
        return [CueMissed(e.cue, e.due, self._now, e.count)
                if isinstance(e, CueDue) and e.due < late else e for e in effects]

    # --- where we are (for the view) ------------------------------------------------

    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def step(self) -> Step | None:
        """The step running, or the one READY or the lead-in leads to (None past the end)."""
        steps = self.schedule.steps
        return steps[self._position] if self._position < len(steps) else None

    @property
    def next_rep(self) -> Step | None:
        """The rep running, or the first one still to come."""
        steps = self.schedule.steps[self._position:]
        return next((step for step in steps if step.kind is StepKind.REP), None)

    @property
    def started_at(self) -> float:
        """When the phase running began, shifted by the time it spent paused."""
        return self._started_at

    @property
    def paused(self) -> Paused | None:
        return self._paused

    @property
    def results(self) -> tuple[RepRecorded, ...]:
        return tuple(self._results)

    @property
    def stopped(self) -> RepStopped | None:
        """The rep a hold stopped, until a press runs it again."""
        return self._stopped

    @property
    def sensor(self) -> SensorState:
        return self._sensor

    @property
    def resumed(self) -> bool:
        """This run continues an interrupted session."""
        return self._resumed

    @property
    def outcome(self) -> Outcome | None:
        return self._outcome

    @property
    def idle(self) -> bool:
        """Nothing runs: READY before the first press (of this run or the one it resumes),
        or FINISHED. Only then may another session take this one's place."""
        return self._phase is Phase.FINISHED or (self._phase is Phase.READY
                                                 and not self._started)

    # --- the state machine ----------------------------------------------------------

    def _transition(self, trigger: Command | _Trigger, at: float,
                    source: Source = Source.BUTTON) -> list[Effect]:
        """Every phase change happens here: (phase, trigger) -> the effects of the change.

        `source`: what gave a PRESS, which times a rep it ends.
        """
        step = self.step
        # A press that went down before the phase began, or a hold that came due in a stall
        # a late GO overtook (rule 7), acts when the phase began: time never runs backwards.
        at = max(at, self._started_at)
        match (self._phase, trigger):
            case (Phase.FINISHED, _):
                return []
            case (_, _Trigger.QUIT):
                return self._finish(at, Outcome.INTERRUPTED)
            case (Phase.READY, Command.LONG_HOLD) if not self._started:
                return [ForgetPhones(at)]  # nothing to end yet: the hold means the phones
            case (_, Command.LONG_HOLD):
                return self._finish(at, Outcome.ENDED_EARLY)
            case (Phase.PAUSED, Command.HOLD):
                return self._resume(at)
            case (Phase.READY, Command.HOLD):
                return []  # nothing runs: nothing to pause
            case (Phase.REP, Command.HOLD) if self._untimed_step() is not None:
                return self._stop_rep(at)
            case (_, Command.HOLD):
                return self._pause(at)
            case (Phase.READY, Command.PRESS):
                started: list[Effect] = [] if self._started else [SessionStarted(at=at)]
                self._started, self._stopped = True, None
                warmup = step is not None and step.kind is StepKind.WARMUP
                return started + self._enter(Phase.WARMUP if warmup else Phase.LEAD_IN, at)
            case (Phase.WARMUP, Command.PRESS):
                return self._enter_next(Phase.READY, at)
            case (Phase.WARMUP, _Trigger.TIME_UP):
                return [*self._enter_next(Phase.READY, at), CueDue(Cue.BREAK_OVER, at)]
            case (Phase.LEAD_IN, _Trigger.TIME_UP):
                return self._enter(Phase.REP, self._go_heard(at))
            case (Phase.REP, Command.PRESS) if self._press_ends_rep(at):
                return self._end_rep(at, source)
            case (Phase.REP, _Trigger.FINISH_LINE):
                return self._end_rep(at, Source.BEAM)
            case (Phase.REP, _Trigger.TIME_UP):
                return self._end_rep(at, Source.TIME)
            case (Phase.REST, Command.PRESS) if self._jog_done(at):
                return self._enter_next(Phase.REP, at)
            case (Phase.REST, _Trigger.TIME_UP):
                return self._enter_next(Phase.REP, self._go_heard(at))
            case (Phase.REST, _Trigger.FINISH_LINE):
                return self._enter_next(Phase.REP, at)
            case (Phase.SET_BREAK, Command.PRESS) if self._past_minimum(at):
                return self._enter_next(Phase.LEAD_IN, at)
            case (Phase.SET_BREAK, _Trigger.TIME_UP):  # the top of its range: on by itself
                return self._enter_next(Phase.LEAD_IN, at)
            case (Phase.COOLDOWN, Command.PRESS | _Trigger.TIME_UP):
                return self._finish(at, Outcome.FINISHED)
        return []

    def _command(self, command: Commanded) -> list[Effect]:
        return self._transition(command.command, command.at, command.source)

    def _enter(self, phase: Phase, at: float, elapsed_s: float = 0.0) -> list[Effect]:
        """Start `phase` at `at`, or continue it `elapsed_s` in (after a pause)."""
        if elapsed_s == 0.0 and phase is not Phase.REP:  # a rep keeps how it was started
            self._late_start_s, self._doubt = 0.0, False
        self._phase = phase
        self._started_at = at - elapsed_s
        step = self.step
        cues = phase_cues(phase, step, self._started_at, self._phase_deadline(), self.settings)
        self._cues = [cue for cue in cues if cue.due > at]
        started: list[Effect] = [PhaseStarted(phase, at, step)]
        if phase in (Phase.REP, Phase.REST) and elapsed_s == 0.0:
            self._counted = []  # a rep's crossings, or a jog's on its way back to the line
        if phase is Phase.REP and elapsed_s == 0.0:
            started.append(CueDue(Cue.GO, at))
        return started

    def _enter_next(self, phase: Phase, at: float) -> list[Effect]:
        """On to the next step, in `phase`."""
        self._position += 1
        return self._enter(phase, at)

    def _end_rep(self, at: float, source: Source) -> list[Effect]:
        step = self.step
        assert step is not None and step.set_no is not None and step.rep_index is not None
        # A beam's last crossing ends the rep; every crossing before it is a split.
        splits = self._counted[:-1] if source is Source.BEAM else self._counted
        rep = RepRecorded(
            set_no=step.set_no,
            rep_no=step.rep_no or 0,
            index=step.rep_index,
            started_at=self._started_at,
            ended_at=at,
            target_s=step.target_s,
            splits_s=tuple(t - self._started_at for t in splits),
            source=source,
            late_start_s=self._late_start_s,
            uncertain=self._doubt,
        )
        self._results.append(rep)
        self._position += 1
        following = self.step
        if following is None:
            return [rep, *self._finish(at, Outcome.FINISHED)]
        phase, cue = _AFTER_REP[following.kind]
        return [rep, CueDue(cue, at), *self._enter(phase, at)]

    def _pause(self, at: float) -> list[Effect]:
        self._paused = Paused(self._phase, at - self._started_at)
        self._phase = Phase.PAUSED
        self._cues = []
        return [PhaseStarted(Phase.PAUSED, at, None), CueDue(Cue.PAUSED, at)]

    def _stop_rep(self, at: float) -> list[Effect]:
        """Stop the untimed rep running; READY runs it again from a press."""
        step = self.step
        assert step is not None and step.set_no is not None and step.rep_index is not None
        self._stopped = RepStopped(step.set_no, step.rep_no or 0, step.rep_index,
                                   self._started_at, at)
        return [self._stopped, *self._enter(Phase.READY, at), CueDue(Cue.PAUSED, at)]

    def _resume(self, at: float) -> list[Effect]:
        paused = self._paused
        assert paused is not None
        self._paused = None
        return [*self._enter(paused.phase, at, elapsed_s=paused.elapsed_s),
                CueDue(Cue.RESUMED, at)]

    def _finish(self, at: float, outcome: Outcome) -> list[Effect]:
        self._phase = Phase.FINISHED
        self._outcome = outcome
        self._cues, self._paused = [], None
        effects: list[Effect] = [PhaseStarted(Phase.FINISHED, at, None)]
        if outcome is Outcome.FINISHED:
            effects.append(CueDue(Cue.SESSION_DONE, at))
        return [*effects, SessionFinished(at, outcome)]

    # --- deadlines ------------------------------------------------------------------

    def _phase_deadline(self) -> float | None:
        step = self.step
        top = ranged_top_s(self._phase, step)
        if top is not None:  # a range: on by itself at its top
            return self._started_at + top
        if self._phase is Phase.SET_BREAK:
            return None  # past its minimum, only a press starts the next set
        length = phase_length_s(self._phase, step, self.settings.lead_in_s)
        return None if length is None else self._started_at + length

    def _go_heard(self, due: float) -> float:
        """When a rep whose GO is due at `due` starts: then, or now after a stall (rule 7)."""
        late_s = self._now - due
        self._late_start_s = late_s if late_s > self.settings.late_s else 0.0
        return due + self._late_start_s

    def _past_minimum(self, at: float) -> bool:
        """Whether a set break has run its minimum by `at` (then a press starts the set)."""
        step = self.step
        minimum = (step.duration_s or 0.0) if step is not None else 0.0
        return at >= self._started_at + minimum

    # --- the beam and the lap button -------------------------------------------------

    def _crossing(self, crossing: Crossing) -> list[Effect]:
        at = crossing.at
        step = self.step
        on_the_line = self._phase in (Phase.REP, Phase.REST)  # a rep, or a jog back to the line
        counts = (on_the_line and step is not None and step.crossings
                  and at - self._last_counted() >= self._min_gap(step))
        if not counts:
            return [CrossingJudged(at, accepted=False)]
        assert step is not None
        self._counted.append(at)
        finish = len(self._counted) == step.crossings
        # A rep's split or finish, or the crossing that ends a jog and so starts the rep.
        self._doubt |= crossing.uncertain and (self._phase is Phase.REP or finish)
        judged = CrossingJudged(at, accepted=True)
        if finish:
            return [judged, *self._transition(_Trigger.FINISH_LINE, at)]
        if len(self._counted) in step.kick_crossings:
            return [judged, CueDue(Cue.KICK, at)]
        return [judged]

    def _untimed_step(self) -> Step | None:
        """The step running if it ends on the athlete, not the clock: a distance or count
        rep, a jog rest."""
        step = self.step
        return step if step is not None and step.duration_s is None else None

    def _press_ends_rep(self, at: float) -> bool:
        """A press ends an untimed rep: a count rep at any time, a distance rep (a manual
        lap) not sooner than its lockout after GO or the last crossing."""
        step = self._untimed_step()
        if step is None:
            return False
        return step.count is not None or at - self._last_counted() >= self._min_gap(step)

    def _jog_done(self, at: float) -> bool:
        """A press ends a jog rest, but not far sooner than a jog takes (half its usual time)."""
        step = self._untimed_step()
        return step is not None and at - self._started_at >= (step.target_s or 0.0) / 2

    def _last_counted(self) -> float:
        return self._counted[-1] if self._counted else self._started_at

    def _min_gap(self, step: Step) -> float:
        if not step.crossings:
            return self.settings.min_lap_s or 0.0
        crossing = min(len(self._counted) + 1, step.crossings)
        return min_gap_s(step, crossing, self.settings.min_lap_s)

    def _resume_position(self, reps_done: int) -> int:
        """The step a fresh or resumed run starts at: READY before the first rep not done."""
        if reps_done == 0:
            return 0
        reps_seen = 0
        for number, step in enumerate(self.schedule.steps):
            if step.kind is StepKind.REP:
                if reps_seen == reps_done:
                    return number
                reps_seen += 1
        return len(self.schedule.steps)
