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
     honestly (core.stall): a cue it passed is missed (`CueMissed`), never sounded late; a
     rep starts when its GO can be heard, with how late it was (`late_start_s`); a rep
     timed by a crossing read after a stall (`Crossing.uncertain`) is uncertain. The same
     holds for each athlete of a group (core.group_run).
  8. A group is one engine (core.group_run holds its lanes): while a set runs the phase is
     REP when any athlete runs and REST when all wait; crossings and presses are marks
     the group judges (a crossing outside a set too: kept, IGNORED); the set ends, and the
     set break begins, when every athlete is done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from trackside.core.cue_schedule import phase_cues
from trackside.core.events import (
    AthleteStarted,
    ButtonPressed,
    ButtonReleased,
    Command,
    Commanded,
    Crossing,
    CrossingJudged,
    Cue,
    CueDue,
    Effect,
    ForgetPhones,
    Input,
    MarkJudged,
    MarkRole,
    Outcome,
    Phase,
    PhaseStarted,
    QuitRequested,
    RepMissed,
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
from trackside.core.group_run import GroupRun, stretch_end
from trackside.core.phase_times import phase_end
from trackside.core.rep_crossings import RepCrossings
from trackside.core.schedule import Schedule, Step, StepKind, rep_position
from trackside.core.settings import EngineSettings
from trackside.core.stall import StallWatch

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
    CROSSING = "crossing"  # a group's: a beam crossing while a set runs, for the group to judge
    QUIT = "quit"  # stop now, resumable


@dataclass(frozen=True, slots=True)
class Paused:
    phase: Phase  # what the pause interrupted
    elapsed_s: float  # how far into it


class Engine:
    def __init__(
        self,
        schedule: Schedule,
        settings: EngineSettings = EngineSettings(),
        done: Sequence[RepRecorded | RepMissed] = (),
        group: GroupRun | None = None,
        resumed: bool = False,
    ) -> None:
        """`done`: reps already recorded (or a group's, missed) in an interrupted run; the run
        resumes after them. `group`: the lanes of a group, built with the same `done`.
        `resumed`: this run continues an interrupted session, even one with no rep done."""
        self.schedule = schedule
        self.settings = settings
        self.group = group
        self._gestures = ButtonGestures(settings.hold_s, settings.long_hold_s)
        self._results = [rep for rep in done if isinstance(rep, RepRecorded)]
        self._missed = [rep for rep in done if isinstance(rep, RepMissed)]
        self.sensor = settings.sensor
        self.resumed = resumed or bool(done)  # this run continues an interrupted session
        self._started = self.resumed  # SessionStarted already went out in the first run
        self._phase = Phase.READY
        # in the steps: the one running, or READY's: a resumed run's first rep not done
        self._position = (0 if not done else group.position if group
                          else rep_position(schedule.steps, len(done)))
        self._started_at = 0.0  # when the current phase began (shifted by a pause)
        self._cues: list[CueDue] = []  # this phase's cues still to come, in time order
        self._crossings = RepCrossings(settings.min_lap_s)  # of the rep (or jog) running
        self.paused: Paused | None = None
        self.stopped: RepStopped | None = None  # the rep a hold stopped, until run again
        self.outcome: Outcome | None = None
        self._stall = group.stall if group is not None else StallWatch(settings.late_s)

    # --- the public surface -------------------------------------------------------

    def deadline(self) -> float | None:
        """When `advance` must next be called, or None if only an input can move us on."""
        times = [self._gestures.deadline(), self._phase_deadline()]
        if self._cues:
            times.append(self._cues[0].due)
        return min((t for t in times if t is not None), default=None)

    def advance(self, now: float) -> list[Effect]:
        """Everything due by `now`, each at its own time, in time order."""
        return self._stall.heard(self._advance(now))

    def woke(self, now: float) -> None:
        """The caller woke at `now`, before handing in the inputs it took: a cue they cause
        (a crossing stamped by the sensor before a stall) is judged late against `now`."""
        self._stall.came_to(now)

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
                self.sensor = SensorState.LOST
            case SensorBack():
                self.sensor = SensorState.ONLINE
            case QuitRequested(at=at):
                effects += self._transition(_Trigger.QUIT, at)
        return self._stall.heard(effects)

    def _advance(self, now: float) -> list[Effect]:
        self._stall.came_to(now)
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
    def results(self) -> tuple[RepRecorded, ...]:
        return tuple(self._results)

    @property
    def missed(self) -> tuple[RepMissed, ...]:
        """A group's reps whose finish was not seen."""
        return tuple(self._missed)

    @property
    def idle(self) -> bool:
        """Nothing runs: READY before the first press (of this run or the one it resumes),
        or FINISHED. Only then may another session take this one's place."""
        return self._phase is Phase.FINISHED or (self._phase is Phase.READY
                                                 and not self._started)

    # --- the state machine ----------------------------------------------------------

    def _transition(self, trigger: Command | _Trigger, at: float,
                    source: Source = Source.BUTTON, uncertain: bool = False) -> list[Effect]:
        """Every phase change happens here: (phase, trigger) -> the effects of the change.

        `source`: what gave a PRESS, which times a rep it ends; `uncertain`: a group's
        CROSSING was read after a stall (rule 7).
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
            case (Phase.REP, Command.HOLD) if self.group is not None and self.group.untimed:
                return self._stop_group(self.group, at)
            case (Phase.REP, Command.HOLD) if self._untimed_step() is not None:
                return self._stop_rep(at)
            case (_, Command.HOLD):
                return self._pause(at)
            case (Phase.READY, Command.PRESS):
                started: list[Effect] = [] if self._started else [SessionStarted(at=at)]
                self._started, self.stopped = True, None
                warmup = step is not None and step.kind is StepKind.WARMUP
                return started + self._enter(Phase.WARMUP if warmup else Phase.LEAD_IN, at)
            case (Phase.WARMUP, Command.PRESS):
                return self._enter_next(Phase.READY, at)
            case (Phase.WARMUP, _Trigger.TIME_UP):
                return [*self._enter_next(Phase.READY, at), CueDue(Cue.BREAK_OVER, at)]
            case (Phase.LEAD_IN, _Trigger.TIME_UP) if self.group is not None:
                return self._in_group(self.group, self.group.begin(self._position, at), at)
            case (Phase.LEAD_IN, _Trigger.TIME_UP):
                return self._enter(Phase.REP, self._go_heard(at))
            case (Phase.REP | Phase.REST, Command.PRESS | _Trigger.CROSSING) if self.group:
                return self._in_group(self.group, self.group.mark(at, source, uncertain), at)
            case (Phase.REP | Phase.REST, _Trigger.TIME_UP) if self.group is not None:
                return self._in_group(self.group, self.group.due(at), at)
            case (Phase.REP, Command.PRESS) if (
                    (untimed := self._untimed_step()) is not None
                    and self._crossings.press_ends(untimed, self._started_at, at)):
                return self._end_rep(at, source)
            case (Phase.REP, _Trigger.FINISH_LINE):
                return self._end_rep(at, Source.BEAM)
            case (Phase.REP, _Trigger.TIME_UP):
                return self._end_rep(at, Source.TIME)
            case (Phase.REST, Command.PRESS) if (
                    (jog := self._untimed_step()) is not None
                    and self._crossings.jog_done(jog, self._started_at, at)):
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
            self._crossings.late_start_s, self._crossings.doubt = 0.0, False
        self._phase = phase
        self._started_at = at - elapsed_s
        step = self.step
        cues = phase_cues(phase, step, self._started_at, self._phase_deadline(), self.settings)
        self._cues = [cue for cue in cues if cue.due > at]
        started: list[Effect] = [PhaseStarted(phase, at, step)]
        if phase in (Phase.REP, Phase.REST) and elapsed_s == 0.0:
            self._crossings.counted = []  # a rep's, or a jog's on its way back to the line
        if phase is Phase.REP and elapsed_s == 0.0:
            started.append(CueDue(Cue.GO, at))
        return started

    def _enter_next(self, phase: Phase, at: float) -> list[Effect]:
        """On to the next step, in `phase`."""
        self._position += 1
        return self._enter(phase, at)

    def _end_rep(self, at: float, source: Source) -> list[Effect]:
        step = self.step
        assert step is not None
        rep = self._crossings.recorded(step, self._started_at, at, source)
        self._results.append(rep)
        self._position += 1
        return [rep, *self._after_reps(at)]

    def _after_reps(self, at: float) -> list[Effect]:
        """The rep (a group: every athlete's) is over: on to the step after it."""
        following = self.step
        if following is None:
            return self._finish(at, Outcome.FINISHED)
        phase, cue = _AFTER_REP[following.kind]
        return [CueDue(cue, at), *self._enter(phase, at)]

    def _pause(self, at: float) -> list[Effect]:
        self.paused = Paused(self._phase, at - self._started_at)
        self._phase = Phase.PAUSED
        self._cues = []
        return [PhaseStarted(Phase.PAUSED, at, None), CueDue(Cue.PAUSED, at)]

    def _stop_rep(self, at: float) -> list[Effect]:
        """Stop the untimed rep running; READY runs it again from a press."""
        step = self.step
        assert step is not None and step.set_no is not None and step.rep_index is not None
        self.stopped = RepStopped(step.set_no, step.rep_no or 0, step.rep_index,
                                   self._started_at, at)
        return [self.stopped, *self._enter(Phase.READY, at), CueDue(Cue.PAUSED, at)]

    def _resume(self, at: float) -> list[Effect]:
        paused = self.paused
        assert paused is not None
        self.paused = None
        if self.group is not None and paused.phase in (Phase.REP, Phase.REST):
            self.group.shift(at - self._started_at - paused.elapsed_s)
            self._phase, self._started_at = paused.phase, at - paused.elapsed_s
            self._cues = self.group.cues(at)
            return [PhaseStarted(paused.phase, at, self._group_step(paused.phase)),
                    CueDue(Cue.RESUMED, at)]
        return [*self._enter(paused.phase, at, elapsed_s=paused.elapsed_s),
                CueDue(Cue.RESUMED, at)]

    # --- a group ------------------------------------------------------------------

    def _in_group(self, group: GroupRun, effects: list[Effect], at: float) -> list[Effect]:
        """What the group did, and the phase it leaves the engine in (rule 8)."""
        self._results += [rep for rep in effects if isinstance(rep, RepRecorded)]
        self._missed += [rep for rep in effects if isinstance(rep, RepMissed)]
        if group.done:  # every athlete is through the set: what follows it, for everyone
            self._position = stretch_end(self.schedule.steps, self._position)
            return [*effects, *self._after_reps(at)]
        self._position = group.position
        self._cues = group.cues(at)
        phase = Phase.REP if group.running else Phase.REST
        if phase is self._phase:
            return effects
        if phase is Phase.REP:  # from the GO, which a stall makes later than `at` (rule 7)
            at = min((go.at for go in effects if isinstance(go, AthleteStarted)), default=at)
        self._phase, self._started_at = phase, at
        done: list[Effect] = [CueDue(Cue.REP_DONE, at)] if phase is Phase.REST else []
        return [*effects, PhaseStarted(phase, at, self._group_step(phase)), *done]

    def _group_step(self, phase: Phase) -> Step | None:
        """The step a group's phase runs: REST's is the rest everyone waits in (the step
        before the rep they go to next), as a session of one's is."""
        before = self.schedule.steps[self._position - 1] if self._position else None
        if phase is Phase.REST and before is not None and before.kind is StepKind.REST:
            return before
        return self.step

    def _stop_group(self, group: GroupRun, at: float) -> list[Effect]:
        """Stop every rep running; READY starts them again, staggered as at a set's start."""
        stopped = group.stop(at)
        self.stopped, self._position = stopped[0], group.position
        return [*stopped, *self._enter(Phase.READY, at), CueDue(Cue.PAUSED, at)]

    def _finish(self, at: float, outcome: Outcome) -> list[Effect]:
        self._phase = Phase.FINISHED
        self.outcome = outcome
        self._cues, self.paused = [], None
        effects: list[Effect] = [PhaseStarted(Phase.FINISHED, at, None)]
        if outcome is Outcome.FINISHED:
            effects.append(CueDue(Cue.SESSION_DONE, at))
        return [*effects, SessionFinished(at, outcome)]

    # --- deadlines ------------------------------------------------------------------

    def _phase_deadline(self) -> float | None:
        if self.group is not None and self._phase in (Phase.REP, Phase.REST):
            return self.group.deadline()
        return phase_end(self._phase, self.step, self._started_at, self.settings.lead_in_s)

    def _go_heard(self, due: float) -> float:
        """When a rep whose GO is due at `due` starts: then, or now after a stall (rule 7)."""
        self._crossings.late_start_s = self._stall.late_start_s(due)
        return due + self._crossings.late_start_s

    def _past_minimum(self, at: float) -> bool:
        """Whether a set break has run its minimum by `at` (then a press starts the set)."""
        step = self.step
        minimum = (step.duration_s or 0.0) if step is not None else 0.0
        return at >= self._started_at + minimum

    # --- the beam and the lap button -------------------------------------------------

    def _crossing(self, crossing: Crossing) -> list[Effect]:
        at = crossing.at
        if self.group is not None:  # a group keeps every crossing as a mark (rule 8)
            if self._phase in (Phase.REP, Phase.REST):
                return self._transition(_Trigger.CROSSING, at, Source.BEAM, crossing.uncertain)
            return [MarkJudged(at, Source.BEAM, MarkRole.IGNORED)]
        step = self.step
        on_the_line = self._phase in (Phase.REP, Phase.REST)  # a rep, or a jog back to the line
        if not (on_the_line and step and self._crossings.counts(step, self._started_at, at)):
            return [CrossingJudged(at, accepted=False)]
        assert step is not None
        judged = CrossingJudged(at, accepted=True)
        if self._crossings.count(at, crossing.uncertain, self._phase is Phase.REP, step):
            return [judged, *self._transition(_Trigger.FINISH_LINE, at)]
        if len(self._crossings.counted) in step.kick_crossings:
            return [judged, CueDue(Cue.KICK, at)]
        return [judged]

    def _untimed_step(self) -> Step | None:
        """The step running if it ends on the athlete, not the clock: a distance or count
        rep, a jog rest."""
        step = self.step
        return step if step is not None and step.duration_s is None else None
