"""Small helpers for group transcripts: a group's engine from a notation and each athlete's
pace, and what its effects say."""

from __future__ import annotations

from collections.abc import Sequence

from engine_helpers import press, walk
from trackside.core.engine import Engine
from trackside.core.events import Effect, MarkJudged, RepMissed, RepRecorded
from trackside.core.group import GroupSettings, Roster
from trackside.core.group_run import GroupRun
from trackside.core.notation import parse_notation
from trackside.core.schedule import expand
from trackside.core.settings import EngineSettings

GO = 5.0  # the first GO: a press at 0, then the 5 s lead-in
NAMES = ("ANA", "BEN", "CAM", "DAN", "EVE", "FIN", "GUS", "HAL", "IDA", "JON", "KAI", "LEO")


def group_engine(notation: str, per_400_s: Sequence[float],
                 group: GroupSettings = GroupSettings(),
                 settings: EngineSettings = EngineSettings(),
                 done: Sequence[RepRecorded | RepMissed] = ()) -> Engine:
    """`notation`'s plan run by one athlete per entry of `per_400_s` ('@pace' targets: that
    many seconds per 400 m), named from NAMES in start order."""
    schedules = tuple(expand(parse_notation(notation, pace=seconds / 400))
                      for seconds in per_400_s)
    roster = Roster(NAMES[:len(per_400_s)], schedules, group)
    return Engine(roster.schedule, settings, done=done,
                  group=GroupRun(roster, settings, done))


def start(engine: Engine) -> list[Effect]:
    """Press at 0 and run the lead-in: the first athlete goes at GO."""
    return [*press(engine, 0.0), *walk(engine, GO)]


def times(effects: Sequence[Effect]) -> dict[tuple[int, int], float]:
    """(athlete, rep index) -> the time recorded."""
    return {(rep.athlete or 0, rep.index): rep.duration_s for rep in effects
            if isinstance(rep, RepRecorded)}


def marks(effects: Sequence[Effect]) -> list[MarkJudged]:
    return [mark for mark in effects if isinstance(mark, MarkJudged)]


def missed(effects: Sequence[Effect]) -> list[tuple[int, int]]:
    return [(rep.athlete, rep.index) for rep in effects if isinstance(rep, RepMissed)]
