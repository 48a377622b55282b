"""The JSON Lines event log (`--events FILE`): one line per thing that happened.

Every line has "type" and "mono_ns" (the monotonic clock in nanoseconds: for an input,
when it was read; for a cue, when the output was driven). Lines are appended and flushed
as they happen, never fsynced: it is a page-cache write, cheap enough for the timing path,
and the session store is what survives a power cut.
"""

from __future__ import annotations

import json
from typing import IO, Any

from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Commanded,
    Crossing,
    CrossingJudged,
    CueDue,
    Effect,
    Input,
    PhaseStarted,
    QuitRequested,
    RepRecorded,
    SensorBack,
    SensorLost,
    SensorNoise,
    SessionFinished,
    SessionStarted,
)


def ns(seconds: float) -> int:
    return round(seconds * 1e9)


class EventLog:
    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    @classmethod
    def open(cls, path: str) -> EventLog:
        return cls(open(path, "a", encoding="utf-8"))  # noqa: SIM115 - closed by close()

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
                pass  # logged once judged, with "accepted"

    def effect(self, effect: Effect, driven_at: float | None = None) -> None:
        match effect:
            case PhaseStarted(phase=phase, at=at, set_no=set_no, rep_no=rep_no):
                self._write("phase", at, phase=phase.value, set=set_no, rep=rep_no)
            case CueDue(cue=cue, due=due):
                self._write("cue", due if driven_at is None else driven_at, cue=cue.value,
                            due_ns=ns(due))
            case CrossingJudged(at=at, accepted=accepted, raw=raw):
                self._write("crossing", at, accepted=accepted, raw=raw)
            case RepRecorded():
                self._write(
                    "rep", effect.ended_at, set=effect.set_no, rep=effect.rep_no,
                    index=effect.index, duration_s=round(effect.duration_s, 4),
                    target_s=effect.target_s,
                    splits_s=[round(split, 4) for split in effect.splits_s],
                    source=effect.source.value,
                )
            case SessionStarted(at=at):
                self._write("session_started", at)
            case SessionFinished(at=at, outcome=outcome):
                self._write("session_finished", at, outcome=outcome.value)

    def _write(self, kind: str, at: float, **fields: Any) -> None:
        self._stream.write(json.dumps({"type": kind, "mono_ns": ns(at), **fields}) + "\n")
        self._stream.flush()

    def close(self) -> None:
        if not self._stream.closed:
            self._stream.close()
