"""What a screen says of a session once it is over: the figures of each group of reps that
belong together (core/summary), and every rep.

Rules for this module:
  1. Pure, as core.readout: the results and the plan's reps in, words and numbers out.
  2. Every figure comes from core/summary, computed from the times as shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from trackside.core.events import RepRecorded
from trackside.core.precision import shown_target_s
from trackside.core.rep_words import Timed, legs_text, signed, spaced, target_words, timed
from trackside.core.schedule import Step
from trackside.core.summary import Group, Summary, shown_time_s, summarise
from trackside.core.units import format_duration

STAT_LABELS = ("REPS", "AVERAGE", "BEST", "SPREAD", "FADE", "VS TARGET")  # in this order


@dataclass(frozen=True, slots=True)
class RepLine:
    label: str  # '2.3': set 2, rep 3
    timed: Timed
    target: str
    duration_s: float  # as shown
    target_s: float | None  # as shown


@dataclass(frozen=True, slots=True)
class Stat:
    label: str  # one of STAT_LABELS
    value: str  # '1:05.02'
    good: bool | None = None  # for the difference to target: on or under it


@dataclass(frozen=True, slots=True)
class GroupReadout:
    """Reps that belong together (core/summary), with their own figures."""

    title: str  # what they are: '400 m @ 1:58'
    stats: tuple[Stat, ...]  # REPS, and the figures it has, in the order of STAT_LABELS
    reps: tuple[RepLine, ...]


@dataclass(frozen=True, slots=True)
class SummaryReadout:
    title: str  # 'FINISHED', 'ENDED EARLY'
    plan_name: str
    stats: tuple[Stat, ...]  # the whole session: REPS, and VS TARGET when reps had one
    groups: tuple[GroupReadout, ...]
    reps: tuple[RepLine, ...]  # every rep, in the order run
    notice: str = ""  # a fault the timer worked around: 'NOT SAVING: disk full'


@lru_cache(maxsize=1)  # the summary and the cool-down ask for it at every loop pass
def summary_of(results: tuple[RepRecorded, ...], plan_reps: tuple[Step, ...],
             title: str, plan_name: str, notice: str) -> SummaryReadout:
    figures = summarise(results, plan_reps)
    by_index = {rep.index: rep_line(rep) for rep in results}
    groups = tuple(
        GroupReadout(_group_title(group), _group_stats(group),
                     tuple(by_index[index] for index in group.indexes))
        for group in figures.groups
    )
    return SummaryReadout(title, plan_name, _session_stats(figures), groups,
                          tuple(by_index.values()), notice)


def summary_line(content: SummaryReadout) -> str:
    """The session in one line: 'REPS 12  AVERAGE 1:05.36  VS TARGET +0.36'.

    The average only when every rep was of one kind: averages of different reps never mix.
    """
    stats = list(content.stats)
    if len(content.groups) == 1:
        stats[1:1] = [stat for stat in content.groups[0].stats if stat.label == "AVERAGE"]
    return "  ".join(f"{stat.label} {stat.value}" for stat in stats)


def rep_line(rep: RepRecorded) -> RepLine:
    """One rep's line: its label, its time and its target."""
    target = None if rep.target_s is None else shown_target_s(rep.target_s)
    return RepLine(f"{rep.set_no}.{rep.rep_no}", timed(rep),
                   "" if target is None else target_words(target), shown_time_s(rep), target)


def _group_title(group: Group) -> str:
    if group.step is not None:
        return legs_text(group.step)
    return "OTHER REPS" if group.target_s is None else f"REPS @ {target_words(group.target_s)}"


def _group_stats(group: Group) -> tuple[Stat, ...]:
    places = group.decimals
    stats = [Stat("REPS", str(len(group.indexes)))]
    for label, value in (("AVERAGE", group.mean_s), ("BEST", group.best_s),
                         ("SPREAD", group.spread_s)):
        if value is not None:
            stats.append(Stat(label, format_duration(value, places)))
    if group.fade_s is not None:
        stats.append(Stat("FADE", signed(group.fade_s, places)))
    if group.vs_target_s is not None:
        stats.append(Stat("VS TARGET", signed(group.vs_target_s, places),
                          group.vs_target_s <= 0))
    return tuple(stats)


def _session_stats(figures: Summary) -> tuple[Stat, ...]:
    stats = [Stat("REPS", str(figures.reps))]
    if (vs := figures.vs_target) is not None:
        stats.append(Stat("VS TARGET", signed(vs.seconds, vs.decimals), vs.seconds <= 0))
    return tuple(stats)


def summary_text(content: SummaryReadout) -> str:
    """The summary in a few lines, for a pipe, a log or headless."""
    lines = [f"{content.title} {content.plan_name}: {summary_line(content)}"]
    for group in content.groups:
        stats = "  ".join(f"{stat.label} {stat.value}" for stat in group.stats)
        lines.append(f"  {group.title}: {stats}")
        lines += ["    " + spaced(rep.label, rep.timed.time, rep.target, rep.timed.delta,
                                      rep.timed.note) for rep in group.reps]
    if content.notice:
        lines.append(f"  {content.notice}")
    return "\n".join(lines)
