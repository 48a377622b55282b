"""What a phase change does: the state one run is in, and the moves that change it.

The state: the phase, the place in the steps, when the phase began (shifted by a pause), its
cues still to come, the rep (or jog) running's crossings, the reps done or missed. The moves:
enter a phase, end a rep, pause, resume, stop a rep (or a group's reps), finish, and a group's
phase from what its lanes did.

Rules for this module:
  1. Pure, as core.engine is: no clock reads, sleeps, threads or I/O.
  2. It says how a phase changes, never when: every move starts in the transition table
     (core.engine's `_transition`). Each move returns the effects of the change.
  3. A phase starts at the `at` it is given (a deadline or a stamp), never at a later `now`;
     a phase resumed after a pause continues `elapsed_s` in, and a rep keeps how it started.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trackside.core.cue_schedule import phase_cues
from trackside.core.events import (
    AthleteStarted,
    Cue,
    CueDue,
    Effect,
    Outcome,
    Phase,
    PhaseStarted,
    RepMissed,
    RepRecorded,
    RepStopped,
    SessionFinished,
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


@dataclass(frozen=True, slots=True)
class Paused:
    phase: Phase  # what the pause interrupted
    elapsed_s: float  # how far into it


class PhaseMoves:
    """One run's state and the moves that change it; `Engine` adds when each is made."""

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

    # --- the moves ----------------------------------------------------------------

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

    def _untimed_step(self) -> Step | None:
        """The step running if it ends on the athlete, not the clock: a distance or count
        rep, a jog rest."""
        step = self.step
        return step if step is not None and step.duration_s is None else None
