"""What every screen and file says about a group, as text: the finishers as they come, who goes
next, CHECK ORDER, and the summary (each athlete's, and the athletes x reps table).

Rules for this module:
  1. Pure, as core.readout: a function of the View (or of the reps and marks, for a session
     read back), so every display and `trackside fix` say the same words.
  2. A time is shown as core.precision says, its difference to the athlete's own target
     beside it; a finish not seen says NO TIME and is flagged, as is a mark that fitted
     nobody (CHECK ORDER), until the finishers that came with it leave the list.
  3. Names are shown in capitals, as they are called: 'ANA GO', 'BEN IN 3'.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from trackside.core.events import RepMissed, RepRecorded
from trackside.core.group import GroupSettings
from trackside.core.group_view import Call, GroupView
from trackside.core.rep_words import Timed, describe, leg_text, spaced, start_words, timed
from trackside.core.schedule import Step
from trackside.core.summary_readout import SummaryReadout, summary_of, summary_text
from trackside.core.units import format_distance, format_duration
from trackside.core.view import View

CHECK_ORDER = "CHECK ORDER"
NO_TIME = "NO TIME"
_CALLED_FROM_S = 3  # a name's count: 'BEN IN 3', 'BEN IN 2', 'BEN IN 1', 'BEN GO'
_EPSILON_S = 1e-6


@dataclass(frozen=True, slots=True)
class FinisherLine:
    name: str  # 'ANA'
    rep: str  # '3': the rep, shown when the list holds more than one
    timed: Timed | None  # None: not seen (NO TIME, flagged)

    def text(self) -> str:
        """'ANA 1:05.32 +0.32', 'BEN #3 NO TIME' (with its rep when the list holds several),
        'CAM 1:02.40 +0.40 LATE START'."""
        name = f"{self.name} #{self.rep}" if self.rep else self.name
        if self.timed is None:
            return f"{name} {NO_TIME}"
        return spaced(name, self.timed.time, self.timed.delta, self.timed.note)


@dataclass(frozen=True, slots=True)
class GroupLines:
    """A group's part of the live screen."""

    finishers: tuple[FinisherLine, ...]  # newest first: the newest is shown largest
    call: str  # 'BEN IN 3', 'BEN GO', or who goes next: 'NEXT ANA 0:12 · BEN 0:22' (staggered)
    check: str  # CHECK ORDER, or ''
    clock_name: str  # whose time the running clock is ('ANA'), when athletes go on their own


@dataclass(frozen=True, slots=True)
class RepTable:
    """Athletes as rows, reps as columns."""

    reps: tuple[str, ...]  # the column heads: '1', '2', ...
    rows: tuple[tuple[str, tuple[Timed | None | str, ...]], ...]  # name, a cell per rep
    # a cell: a time, None for a finish not seen, '' for a rep the athlete has not run


@dataclass(frozen=True, slots=True)
class GroupSummaryReadout:
    title: str  # 'FINISHED'
    plan_name: str
    athletes: tuple[SummaryReadout, ...]  # each athlete's summary, in start order
    table: RepTable
    notice: str = ""


def group_lines(view: View) -> GroupLines | None:
    group = view.group
    if group is None:
        return None
    several = len({finisher.index for finisher in group.finishers}) > 1
    finishers = tuple(
        FinisherLine(finisher.name.upper(), str(finisher.index) if several else "",
                     timed(finisher.rep) if finisher.rep else None)
        for finisher in group.finishers)
    flagged = group.unexpected > 0 or any(line.timed is None for line in finishers)
    return GroupLines(finishers, _call(group), CHECK_ORDER if flagged else "",
                      group.clock_name.upper())


def group_describe(view: View, rep: Step) -> str:
    """A group's rep: as one athlete's when everyone has the same target, else its parts and
    the target as written, each athlete's own: '400 m @ hm, EACH THEIR OWN'."""
    group = view.group
    assert group is not None and rep.rep_index is not None
    theirs = {reps[rep.rep_index - 1].target_s for reps in group.plan_reps}
    if len(theirs) == 1:
        return describe(rep)
    parts = " + ".join(f"{format_distance(leg.distance_m)} @ {leg.target_text}"
                       if leg.distance_m is not None and leg.target_text else leg_text(leg)
                       for leg in rep.legs)
    return ", ".join(filter(None, (f"{parts}, EACH THEIR OWN", start_words(rep))))


def _call(group: GroupView) -> str:
    """The name about to go or just gone, else who goes next and when; '' when everyone
    goes together (the clock counts down to it)."""
    if group.together:
        return ""
    soon = [call for call in group.calls if call.in_s <= _CALLED_FROM_S]
    if soon:
        return " · ".join(_called(call) for call in soon)
    waiting = [call for call in group.calls if call.in_s > 0][:3]
    return "NEXT " + " · ".join(f"{call.name.upper()} {_count(call)}" for call in waiting) if (
        waiting) else ""


def _called(call: Call) -> str:
    if call.in_s <= _EPSILON_S:
        return f"{call.name.upper()} GO"
    return f"{call.name.upper()} IN {math.ceil(call.in_s - _EPSILON_S)}"


def _count(call: Call) -> str:
    return format_duration(math.ceil(call.in_s - _EPSILON_S))


def seconds_to_change(group: GroupView) -> float | None:
    """Seconds until the calls next change by themselves (a count's next second, a name
    leaving), or None."""
    waits = []
    for call in group.calls:
        left = call.in_s - _EPSILON_S
        waits.append(left - math.floor(left) + _EPSILON_S if left > 0 else
                     call.in_s + _GONE_S + _EPSILON_S)
    return min((wait for wait in waits if wait > 0), default=None)


_GONE_S = 2.0  # core.group_view.GONE_SHOWN_S: 'BEN GO' leaves after this


def how_they_start(settings: GroupSettings) -> str:
    """'staggered by 10.0 s', 'together, resting from the last'."""
    if settings.stagger_s:
        return f"staggered by {format_duration(settings.stagger_s, 1)} s"
    return f"together, resting from the {settings.rest_from.value}"


def group_summary(view: View, title: str) -> GroupSummaryReadout:
    group = view.group
    assert group is not None
    names = tuple(name.upper() for name in group.names)
    athletes = tuple(
        summary_of(tuple(rep for rep in view.results if rep.athlete == lane),
                    group.plan_reps[lane], title, names[lane], "")
        for lane in range(len(names)))
    table = rep_table(names, view.results, group.missed, group.plan_reps[0])
    return GroupSummaryReadout(title, view.plan_name, athletes, table, view.notice)


def rep_table(names: Sequence[str], reps: Sequence[RepRecorded], missed: Sequence[RepMissed],
              plan_reps: Sequence[Step]) -> RepTable:
    """Everyone's reps, up to the last one anyone ran; a column headed by its rep ('3'), or
    its set and rep ('2.3') in a plan of sets."""
    last = max((rep.index for rep in [*reps, *missed]), default=0)
    columns = range(1, min(max(last, 1), len(plan_reps)) + 1)
    sets = len({step.set_no for step in plan_reps}) > 1
    cells: dict[tuple[int, int], Timed | None] = {(rep.athlete or 0, rep.index): timed(rep)
                                                  for rep in reps}
    cells |= {(rep.athlete, rep.index): None for rep in missed}
    return RepTable(
        tuple(f"{plan_reps[index - 1].set_no}.{plan_reps[index - 1].rep_no}" if sets
              else str(index) for index in columns),
        tuple((name, tuple(cells.get((lane, index), "") for index in columns))
              for lane, name in enumerate(names)))


def table_lines(table: RepTable) -> list[str]:
    """The table as text: a column a rep, a row an athlete, NO TIME for a finish not seen."""
    def shown(cell: Timed | None | str) -> str:
        if cell is None:
            return NO_TIME
        return cell if isinstance(cell, str) else cell.time

    rows = [("", table.reps), *((name, tuple(shown(cell) for cell in cells))
                                for name, cells in table.rows)]
    name_w = max(len(name) for name, _ in rows)
    widths = [max(len(cells[column]) for _, cells in rows) for column in range(len(table.reps))]
    return ["  ".join([name.ljust(name_w), *(cell.rjust(width)
                                            for cell, width in zip(cells, widths, strict=True))])
            .rstrip() for name, cells in rows]


def group_summary_text(content: GroupSummaryReadout) -> str:
    """The group's summary for a pipe, a log or headless: each athlete's, then the table."""
    lines = [f"{content.title} {content.plan_name}: {len(content.athletes)} athletes"]
    for athlete in content.athletes:
        lines += ["  " + line for line in summary_text(athlete).splitlines()]
    lines += ["  " + line for line in table_lines(content.table)]
    if content.notice:
        lines.append(f"  {content.notice}")
    return "\n".join(lines)

