"""The workout engine: one schedule, one run, no I/O.

Rules for this module:
  1. No clock reads, sleeps, threads or I/O. Time arrives as `now` or as an input's `at`.
  2. Every public method returns the effects to perform; it never performs them.
  3. Every (phase, input) pair is legal. An input that means nothing in a phase is ignored,
     never raised: no single accidental press deletes a rep, skips a rest or starts a set
     early. Only programmer errors raise.
  4. A phase that ends on time starts the next phase at its deadline, not at `now`; a rep
     ends at the stamp of the crossing or press that ended it. A late wake-up never shifts
     the schedule or a lap time.
  5. Cues are scheduled when a phase starts and handed out at their own due time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trackside.core.events import (
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
    Outcome,
    Phase,
    PhaseStarted,
    QuitRequested,
    RepRecorded,
    SensorBack,
    SensorLost,
    SensorState,
    SessionFinished,
    SessionStarted,
    Source,
)
from trackside.core.cue_schedule import phase_cues
from trackside.core.gestures import ButtonGestures, Gesture, Hold, LongHold, Press
from trackside.core.schedule import Schedule, Step, StepKind, min_gap_s
from trackside.core.view import View

# A command is the whole gesture, given at once (a console line, a phone's button).
_GESTURES = {Command.PRESS: Press, Command.HOLD: Hold, Command.LONG_HOLD: LongHold}
_COUNTDOWN_PHASES = (Phase.WARMUP, Phase.LEAD_IN, Phase.REST, Phase.SET_BREAK, Phase.COOLDOWN)


@dataclass(frozen=True, slots=True)
class EngineSettings:
    lead_in_s: float = 5.0
    min_lap_s: float | None = None  # None: half the target of each stretch (see min_gap_s)
    hold_s: float = 2.0
    long_hold_s: float = 5.0
    warning_s: float = 10.0  # the TEN_SECONDS cue, this long before a rest ends
    count_in: int = 3  # COUNT beeps in the last seconds of a countdown
    sensor: SensorState = SensorState.NONE


@dataclass(frozen=True, slots=True)
class _Paused:
    phase: Phase
    elapsed_s: float  # how far into the interrupted phase


class Engine:
    def __init__(
        self,
        schedule: Schedule,
        settings: EngineSettings = EngineSettings(),
        done: Sequence[RepRecorded] = (),
    ) -> None:
        """`done`: reps already recorded in an interrupted run; the run resumes after them."""
        self._schedule = schedule
        self._steps = schedule.steps
        self._settings = settings
        self._gestures = ButtonGestures(settings.hold_s, settings.long_hold_s)
        self._results: list[RepRecorded] = list(done)
        self._sensor = settings.sensor
        self._resumed = bool(done)
        self._started = bool(done)  # SessionStarted already went out in the first run
        self.phase = Phase.READY
        self._index = self._resume_index(len(done))
        self._started_at = 0.0  # when the current phase began
        self._cues: list[CueDue] = []  # this phase's cues still to come, in time order
        self._counted: list[float] = []  # accepted crossings of the rep running
        self._paused: _Paused | None = None
        self._outcome: Outcome | None = None
        self._finished_at: float | None = None

    # --- the public surface -------------------------------------------------------

    def deadline(self) -> float | None:
        """When `advance` must next be called, or None if only an input can move us on."""
        times = [self._gestures.deadline(), self._phase_deadline()]
        if self._cues:
            times.append(self._cues[0].due)
        return min((t for t in times if t is not None), default=None)

    def advance(self, now: float) -> list[Effect]:
        """Everything due by `now`, each at its own time, in time order."""
        effects: list[Effect] = []
        while (due := self.deadline()) is not None and due <= now:
            if self._cues and self._cues[0].due == due:
                effects.append(self._cues.pop(0))
            elif self._phase_deadline() == due:
                effects += self._phase_over(due)
            else:
                for gesture in self._gestures.due(due):
                    effects += self._gesture(gesture)
        return effects

    def handle(self, event: Input) -> list[Effect]:
        """One input. The caller has already called `advance(event.at)`."""
        match event:
            case ButtonPressed(at=at):
                self._gestures.pressed(at)
                return []
            case ButtonReleased(at=at):
                effects: list[Effect] = []
                for gesture in self._gestures.released(at):
                    effects += self._gesture(gesture)
                return effects
            case Commanded(at=at, command=command, source=source):
                return self._gesture(_GESTURES[command](at), source)
            case Crossing(at=at, raw=raw):
                return self._crossing(at, raw)
            case SensorLost():
                self._sensor = SensorState.LOST
            case SensorBack():
                self._sensor = SensorState.ONLINE
            case QuitRequested(at=at):
                if self.phase is not Phase.FINISHED:
                    return self._finish(at, Outcome.INTERRUPTED)
        return []

    @property
    def current_step(self) -> Step | None:
        """The step running, or the one READY or the lead-in leads to."""
        return self._step()

    @property
    def results(self) -> tuple[RepRecorded, ...]:
        return tuple(self._results)

    @property
    def idle(self) -> bool:
        """Nothing runs: READY before the first press (of this run or the one it resumes),
        or FINISHED. Only then may another plan take this one's place."""
        return self.phase is Phase.FINISHED or (self.phase is Phase.READY and not self._started)

    # --- gestures -----------------------------------------------------------------

    def _gesture(self, gesture: Gesture, source: Source = Source.BUTTON) -> list[Effect]:
        match gesture:
            case LongHold(at=at) if self.phase is Phase.READY and not self._started:
                return [ForgetPhones(at)]  # nothing to end yet: the hold means the phones
            case LongHold(at=at) if self.phase is not Phase.FINISHED:
                return self._finish(at, Outcome.ENDED_EARLY)
            case Hold(at=at) if self.phase is Phase.PAUSED:
                return self._resume(at)
            case Hold(at=at) if self.phase not in (Phase.READY, Phase.FINISHED):
                return self._pause(at)
            case Press(at=at):
                return self._press(max(at, self._started_at), source)
        return []

    def _press(self, at: float, source: Source) -> list[Effect]:
        step = self._step()
        match self.phase:
            case Phase.READY:
                effects: list[Effect] = [] if self._started else [SessionStarted(at=at)]
                self._started = True
                if step is not None and step.kind is StepKind.WARMUP:
                    return effects + self._enter(Phase.WARMUP, at)
                return effects + self._enter(Phase.LEAD_IN, at)
            case Phase.WARMUP:
                self._index += 1
                return self._enter(Phase.READY, at)
            case Phase.REP if step is not None and step.duration_s is None:
                if step.count is None and at - self._last_counted() < self._min_gap(step):
                    return []  # too soon after GO or the last crossing: a stray press
                return self._end_rep(at, source)
            case Phase.SET_BREAK if at >= self._started_at + (step.duration_s or 0.0):
                self._index += 1
                return self._enter(Phase.LEAD_IN, at)
            case Phase.COOLDOWN:
                return self._finish(at, Outcome.FINISHED)
        return []

    # --- the beam -----------------------------------------------------------------

    def _crossing(self, at: float, raw: str) -> list[Effect]:
        step = self._step()
        if self.phase is not Phase.REP or step is None or not step.crossings:
            return [CrossingJudged(at, accepted=False, raw=raw)]
        if at - self._last_counted() < self._min_gap(step):
            return [CrossingJudged(at, accepted=False, raw=raw)]
        self._counted.append(at)
        judged = CrossingJudged(at, accepted=True, raw=raw)
        if len(self._counted) == step.crossings:
            return [judged, *self._end_rep(at, Source.BEAM)]
        if len(self._counted) in step.kick_crossings:
            return [judged, CueDue(Cue.KICK, at)]
        return [judged]

    def _last_counted(self) -> float:
        return self._counted[-1] if self._counted else self._started_at

    def _min_gap(self, step: Step) -> float:
        if not step.crossings:
            return self._settings.min_lap_s or 0.0
        crossing = min(len(self._counted) + 1, step.crossings)
        return min_gap_s(step, crossing, self._settings.min_lap_s)

    # --- phases -------------------------------------------------------------------

    def _step(self) -> Step | None:
        return self._steps[self._index] if self._index < len(self._steps) else None

    def _phase_deadline(self) -> float | None:
        step = self._step()
        if self.phase is Phase.LEAD_IN:
            return self._started_at + self._settings.lead_in_s
        if step is None or self.phase not in (*_COUNTDOWN_PHASES, Phase.REP):
            return None
        if self.phase is Phase.SET_BREAK:
            return None if step.max_s is None else self._started_at + step.max_s
        if step.duration_s is None:
            return None
        return self._started_at + step.duration_s

    def _phase_over(self, at: float) -> list[Effect]:
        match self.phase:
            case Phase.LEAD_IN:
                return self._enter(Phase.REP, at)
            case Phase.REP:
                return self._end_rep(at, Source.TIME)
            case Phase.REST:
                self._index += 1
                return self._enter(Phase.REP, at)
            case Phase.SET_BREAK:  # the top of a range: the next set starts by itself
                self._index += 1
                return self._enter(Phase.LEAD_IN, at)
            case Phase.WARMUP:
                self._index += 1
                return [*self._enter(Phase.READY, at), CueDue(Cue.BREAK_OVER, at)]
            case Phase.COOLDOWN:
                return self._finish(at, Outcome.FINISHED)
        raise AssertionError(f"{self.phase} has no deadline")

    def _enter(self, phase: Phase, at: float, elapsed_s: float = 0.0) -> list[Effect]:
        """Start `phase` at `at`, or continue it `elapsed_s` in (after a pause)."""
        self.phase = phase
        self._started_at = at - elapsed_s
        step = self._step()
        self._cues = [
            cue
            for cue in phase_cues(phase, step, self._started_at, self._phase_deadline(), self._settings)
            if cue.due > at
        ]
        effects: list[Effect] = []
        if phase is Phase.REP and elapsed_s == 0.0:
            self._counted = []
            effects.append(CueDue(Cue.GO, at))
        set_no = step.set_no if step else None
        rep_no = step.rep_no if step else None
        if phase in (Phase.READY, Phase.LEAD_IN) and (rep := self._next_rep()) is not None:
            set_no, rep_no = rep.set_no, rep.rep_no
        return [PhaseStarted(phase, at, set_no, rep_no), *effects]

    def _end_rep(self, at: float, source: Source) -> list[Effect]:
        step = self._step()
        assert step is not None and step.set_no is not None and step.index is not None
        rep = RepRecorded(
            set_no=step.set_no,
            rep_no=step.rep_no or 0,
            index=step.index,
            started_at=self._started_at,
            ended_at=at,
            target_s=step.target_s,
            splits_s=tuple(t - self._started_at for t in self._counted[:-1])
            if source is Source.BEAM else tuple(t - self._started_at for t in self._counted),
            source=source,
        )
        self._results.append(rep)
        self._index += 1
        following = self._step()
        if following is None:
            return [rep, *self._finish(at, Outcome.FINISHED)]
        if following.kind is StepKind.REST:
            return [rep, CueDue(Cue.REP_DONE, at), *self._enter(Phase.REST, at)]
        if following.kind is StepKind.SET_BREAK:
            return [rep, CueDue(Cue.SET_DONE, at), *self._enter(Phase.SET_BREAK, at)]
        return [rep, CueDue(Cue.SET_DONE, at), *self._enter(Phase.COOLDOWN, at)]

    def _pause(self, at: float) -> list[Effect]:
        self._paused = _Paused(self.phase, at - self._started_at)
        self.phase = Phase.PAUSED
        self._cues = []
        return [PhaseStarted(Phase.PAUSED, at, None, None), CueDue(Cue.PAUSED, at)]

    def _resume(self, at: float) -> list[Effect]:
        paused = self._paused
        assert paused is not None
        self._paused = None
        step = self._step()
        if paused.phase is Phase.REP and step is not None and step.duration_s is None:
            # A distance or count rep cannot be timed honestly across a pause: run it again.
            return [*self._enter(Phase.READY, at), CueDue(Cue.RESUMED, at)]
        return [*self._enter(paused.phase, at, elapsed_s=paused.elapsed_s),
                CueDue(Cue.RESUMED, at)]

    def _finish(self, at: float, outcome: Outcome) -> list[Effect]:
        self.phase = Phase.FINISHED
        self._outcome, self._finished_at = outcome, at
        self._cues, self._paused = [], None
        effects: list[Effect] = [PhaseStarted(Phase.FINISHED, at, None, None)]
        if outcome is Outcome.FINISHED:
            effects.append(CueDue(Cue.SESSION_DONE, at))
        return [*effects, SessionFinished(at, outcome)]

    # --- where we are -------------------------------------------------------------

    def _resume_index(self, reps_done: int) -> int:
        """The step a fresh or resumed run starts at: READY before the first rep not done."""
        if reps_done == 0:
            return 0
        reps_seen = 0
        for number, step in enumerate(self._steps):
            if step.kind is StepKind.REP:
                if reps_seen == reps_done:
                    return number
                reps_seen += 1
        return len(self._steps)

    def _rep_after(self, rep: Step | None) -> Step | None:
        """The rep that follows `rep` (its `index` counts reps from 1 over the plan)."""
        reps = self._schedule.reps
        return reps[rep.index] if rep and rep.index is not None and rep.index < len(reps) else None

    def _next_rep(self) -> Step | None:
        """The rep running, or the first one still to come."""
        return next((s for s in self._steps[self._index:] if s.kind is StepKind.REP), None)

    def view(self, now: float) -> View:
        """What the screen shows at `now`."""
        phase = self._paused.phase if self._paused else self.phase
        step = self._step()
        elapsed = self._paused.elapsed_s if self._paused else now - self._started_at
        current = step if phase is Phase.REP else self._next_rep()
        if phase in (Phase.COOLDOWN, Phase.FINISHED):
            current = None
        length = self._countdown_length(phase, step)
        overtime = None
        if phase is Phase.SET_BREAK and elapsed >= (length or 0.0):
            overtime, length = elapsed - (length or 0.0), None
        counting_down = length is not None
        clock = (length - elapsed) if length is not None else (overtime or elapsed)
        if phase in (Phase.READY, Phase.FINISHED):
            clock = 0.0
        return View(
            plan_name=self._schedule.name,
            phase=self.phase,
            clock_s=max(0.0, clock),
            counting_down=counting_down,
            progress=min(1.0, max(0.0, elapsed / length)) if length else None,
            set_no=current.set_no if current else None,
            sets_total=self._schedule.sets_total,
            rep_no=current.rep_no if current else None,
            reps_in_set=current.reps_in_set if current else None,
            rep_index=current.index if current else None,
            reps_total=len(self._schedule.reps),
            current=current,
            next_rep=self._rep_after(current),
            last_rep=self._results[-1] if self._results else None,
            prompt=self._prompt(phase, step, current, overtime is not None),
            overtime_s=overtime,
            paused_phase=self._paused.phase if self._paused else None,
            sensor=self._sensor,
            resumed=self._resumed,
            results=tuple(self._results),
            outcome=self._outcome,
        )

    def _countdown_length(self, phase: Phase, step: Step | None) -> float | None:
        if phase is Phase.LEAD_IN:
            return self._settings.lead_in_s
        if step is not None and phase in (*_COUNTDOWN_PHASES, Phase.REP):
            return step.duration_s
        return None

    def _prompt(self, phase: Phase, step: Step | None, current: Step | None, open_: bool) -> str:
        if self.phase is Phase.PAUSED:
            return "HOLD TO RESUME"
        match phase:
            case Phase.READY if step is not None and step.kind is StepKind.WARMUP:
                return "PRESS TO START WARMUP"
            case Phase.READY if current is not None:
                first = current.rep_no == 1
                return f"PRESS TO START SET {current.set_no}" if first else (
                    f"PRESS TO START REP {current.rep_no}")
            case Phase.SET_BREAK if open_ and current is not None:
                return f"PRESS TO START SET {current.set_no}"
            case Phase.WARMUP:
                return "PRESS WHEN READY"
            case Phase.REP if step is not None and step.count is not None:
                return "PRESS WHEN DONE"
            case Phase.COOLDOWN:
                return "PRESS TO FINISH"
            case Phase.FINISHED:
                return {Outcome.ENDED_EARLY: "ENDED EARLY", Outcome.INTERRUPTED: "STOPPED"}.get(
                    self._outcome, "SESSION COMPLETE")  # type: ignore[arg-type]
        return ""
