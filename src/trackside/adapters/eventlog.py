"""The JSON Lines event log (`--events FILE`): one line per thing that happened.

Every line has "type" and "mono_ns" (the monotonic clock in nanoseconds: for an input,
when it was read; for a cue, when the output was driven). Lines are appended and flushed
as they happen, never fsynced: it is a page-cache write, cheap enough for the timing path,
and the session store is what survives a power cut. A crossing is one line, written when
the engine's judgement follows it, with the sensor's raw line. A write that fails raises:
the loop's sinks say so on screen and leave the log out (`close` then stays quiet).
"""

from __future__ import annotations

import json
from typing import IO, Any

from trackside.core.events import (
    AthleteStarted,
    ButtonPressed,
    ButtonReleased,
    Commanded,
    Crossing,
    CrossingJudged,
    CueDue,
    Effect,
    Input,
    MarkJudged,
    PhaseStarted,
    QuitRequested,
    RepMissed,
    RepRecorded,
    RepStopped,
    SensorBack,
    SensorLost,
    SensorNoise,
    SessionFinished,
    SessionStarted,
)
from trackside.core.wall_anchor import WallAnchor


def ns(seconds: float) -> int:
    return round(seconds * 1e9)


class EventLog:
    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._judging: Crossing | None = None  # the crossing the engine is judging

    @classmethod
    def open(cls, path: str) -> EventLog:
        """The log at `path`, opened for appending. Raises OSError (a folder that is not
        there, a folder given as the file, a read-only place) or ValueError (a NUL in it)."""
        return cls(open(path, "a", encoding="utf-8"))  # noqa: SIM115 - closed by close()

    def run_started(self, anchor: WallAnchor, resumed_id: int | None, reps_done: int) -> None:
        """The first line of a run: the wall-clock time (once), and the session it resumes."""
        self._write("run_started", anchor.mono_s,
                    wall_time=anchor.wall.astimezone().isoformat(timespec="milliseconds"),
                    clock=anchor.source.value, resumed=resumed_id is not None,
                    session=resumed_id, reps_done=reps_done)

    def input(self, item: Input) -> None:
        match item:
            case ButtonPressed(at=at):
                self._write("press", at)
            case ButtonReleased(at=at):
                self._write("release", at)
            case Commanded(at=at, command=command, source=source):
                self._write("command", at, command=command.value, source=source.value)
            case SensorNoise(at=at, raw=raw, reason=reason):
                self._write("sensor_line", at, raw=raw, reason=reason)
            case SensorLost(at=at, reason=reason):
                self._write("sensor_lost", at, reason=reason)
            case SensorBack(at=at):
                self._write("sensor_back", at)
            case QuitRequested(at=at):
                self._write("quit", at)
            case Crossing():
                self._judging = item  # logged once judged: "crossing", a group's "mark"

    def effect(self, effect: Effect, driven_at: float | None = None) -> None:
        match effect:
            case PhaseStarted(phase=phase, at=at, step=step):
                self._write("phase", at, phase=phase.value, set=step.set_no if step else None,
                            rep=step.rep_no if step else None)
            case CueDue(cue=cue, due=due):
                self._write("cue", due if driven_at is None else driven_at, cue=cue.value,
                            due_ns=ns(due))
            case CrossingJudged(at=at, accepted=accepted):
                crossing, self._judging = self._judging, None
                raw = crossing.raw if crossing is not None and crossing.at == at else ""
                self._write("crossing", at, accepted=accepted, raw=raw)
            case RepRecorded():
                self._write(
                    "rep", effect.ended_at, set=effect.set_no, rep=effect.rep_no,
                    index=effect.index, duration_s=round(effect.duration_s, 4),
                    target_s=effect.target_s,
                    splits_s=[round(split, 4) for split in effect.splits_s],
                    source=effect.source.value, **_athlete(effect.athlete),
                )
            case MarkJudged(at=at, source=source, role=role):
                crossing, self._judging = self._judging, None
                raw = crossing.raw if crossing is not None and crossing.at == at else ""
                self._write("mark", at, source=source.value, role=role.value,
                            athlete=effect.athlete, index=effect.index,
                            crossing=effect.crossing, raw=raw)
            case RepMissed(started_at=at):
                self._write("rep_missed", at, athlete=effect.athlete, set=effect.set_no,
                            rep=effect.rep_no, index=effect.index)
            case AthleteStarted(at=at, step=step):
                self._write("athlete_started", at, athlete=effect.athlete, set=step.set_no,
                            rep=step.rep_no)
            case RepStopped(stopped_at=at):
                self._write("rep_stopped", at, set=effect.set_no, rep=effect.rep_no,
                            index=effect.index, elapsed_s=round(at - effect.started_at, 4),
                            **_athlete(effect.athlete))
            case SessionStarted(at=at):
                self._write("session_started", at)
            case SessionFinished(at=at, outcome=outcome):
                self._write("session_finished", at, outcome=outcome.value)

    def _write(self, kind: str, at: float, **fields: Any) -> None:
        """One line; a group's athlete is their place in the start order, from 0."""
        self._stream.write(json.dumps({"type": kind, "mono_ns": ns(at), **fields}) + "\n")
        self._stream.flush()

    def close(self) -> None:
        if self._stream.closed:
            return
        try:
            self._stream.close()
        except OSError:
            pass  # what it could not flush failed a write before, and was reported then


def _athlete(athlete: int | None) -> dict[str, int]:
    """A group's rep says whose it is; a session of one's lines stay as they were."""
    return {} if athlete is None else {"athlete": athlete}
