"""The workout engine: one schedule, one run, no I/O.

Rules for this module:
  1. No clock reads, sleeps, threads or I/O. Time arrives as `now` or as an input's `at`;
     `handle` first advances to its input's stamp, so no caller has to.
  2. Every public method returns the effects to perform; it never performs them.
  3. Every (phase, input) pair is legal. An input that means nothing in a phase is ignored,
     never raised: no single accidental press deletes a rep, skips a rest or starts a set
     early. Only programmer errors raise.
  4. Every phase change goes through `_transition`: its one `match` is the whole state
     machine; what each change does (enter a phase, end a rep, pause, ...) is in
     core.phase_moves. A button gesture and a command (a console line, a phone) are the
     same trigger. A distance or count rep cannot be timed honestly across a pause: a hold
     stops it (`RepStopped`) and a press runs it again. A long hold before the first press
     has no session to end: it means the phones (`ForgetPhones`).
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

from enum import Enum

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
    MarkJudged,
    MarkRole,
    Outcome,
    Phase,
    QuitRequested,
    SensorBack,
    SensorLost,
    SensorState,
    SessionStarted,
    Source,
)
from trackside.core.phase_moves import PhaseMoves
from trackside.core.schedule import StepKind


class _Trigger(Enum):
    """What moves the machine besides a gesture or a command (`Command`)."""

    TIME_UP = "time_up"  # the phase's deadline came
    FINISH_LINE = "finish_line"  # the crossing that ends a rep, or a jog back to the line
    CROSSING = "crossing"  # a group's: a beam crossing while a set runs, for the group to judge
    QUIT = "quit"  # stop now, resumable


class Engine(PhaseMoves):
    """The public surface and the transition table, over the state and moves of
    `PhaseMoves` (its `__init__` takes the schedule, settings, `done`, `group`, `resumed`)."""

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
