"""A group session's setup: who runs (in start order), their own steps, how they start and rest.

Rules for this module:
  1. A group is one plan run by several athletes at once: every athlete's schedule is the
     plan's, expanded with their own references (core/athletes), so the steps are the same
     and only the targets differ. One engine runs them all (core/group_run).
  2. Starts are together (one GO) or staggered (athlete i at GO + i x gap). A staggered
     group rests each athlete from their own finish, so the stagger holds all session; a
     group started together rests from the first finisher, the last (the default: nobody
     gets a short rest) or each athlete's own finish.
  3. A setting that cannot be honoured is a ValueError that names the option, never a
     silent other meaning; so is a jog rest in a group (it ends on the athlete).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from trackside.core.schedule import Schedule, StepKind

MAX_ATHLETES = 12  # the most a group runs: the big screen lists the newest 10 finishers
MAX_STAGGER_S = 120.0  # the longest gap between two athletes' GOs
DOUBLE_BREAK_S = 0.3  # one body's breaks closer than this are one crossing (legs, arms)


class RestFrom(Enum):
    FIRST = "first"  # everyone's rest from the first finisher: the others rest less
    LAST = "last"  # everyone's rest from the last finisher: nobody rests less
    EACH = "each"  # each athlete's from their own finish: the group spreads out


@dataclass(frozen=True, slots=True)
class GroupSettings:
    stagger_s: float = 0.0  # 0: together; else athlete i goes at GO + i x stagger_s
    rest_from: RestFrom = RestFrom.LAST
    double_break_s: float = DOUBLE_BREAK_S

    def __post_init__(self) -> None:
        if self.stagger_s > 0 and self.rest_from is not RestFrom.EACH:
            raise ValueError("a staggered start rests each athlete from their own finish "
                             "(each), so the stagger holds")

    @classmethod
    def staggered(cls, stagger_s: float, double_break_s: float = DOUBLE_BREAK_S
                  ) -> GroupSettings:
        return cls(stagger_s, RestFrom.EACH, double_break_s)

    @classmethod
    def chosen(cls, stagger_s: float | None, rest_from: RestFrom | None,
               double_break_s: float = DOUBLE_BREAK_S) -> GroupSettings:
        """As a coach chose: a staggered start rests each from their own finish, one started
        together from the last finisher, unless `rest_from` says otherwise (rule 2)."""
        if stagger_s:
            return cls(stagger_s, rest_from or RestFrom.EACH, double_break_s)
        return cls(0.0, rest_from or RestFrom.LAST, double_break_s)

    @property
    def calls_names(self) -> bool:
        """Whether athletes go at their own times, so each GO calls a name."""
        return self.rest_from is RestFrom.EACH


@dataclass(frozen=True)
class Roster:
    """The athletes of a session, in start order, each with their own schedule: a group's,
    or one named athlete's (who runs as anyone alone does)."""

    names: tuple[str, ...]
    schedules: tuple[Schedule, ...]
    settings: GroupSettings = GroupSettings()
    ids: tuple[int | None, ...] = ()  # their profiles in the session database, if any

    def __post_init__(self) -> None:
        if not 1 <= len(self.names) <= MAX_ATHLETES or len(self.schedules) != len(self.names):
            raise ValueError(f"a session is 1 to {MAX_ATHLETES} athletes, each with a schedule "
                             f"(got {len(self.names)})")
        if not self.ids:
            object.__setattr__(self, "ids", (None,) * len(self.names))
        shapes = {tuple((step.kind, step.crossings, step.duration_s) for step in schedule.steps)
                  for schedule in self.schedules}
        if len(shapes) != 1:
            raise ValueError("the athletes of a group run the same steps")
        if len(self.names) > 1 and any(step.kind is StepKind.REST and step.duration_s is None
                                       for step in self.schedule.steps):
            raise ValueError("a jog rest ends on the athlete: a group rests by the clock "
                             "(write r1:30, not r200m jog)")

    @property
    def schedule(self) -> Schedule:
        """The steps everyone runs (the first athlete's, with their targets)."""
        return self.schedules[0]
