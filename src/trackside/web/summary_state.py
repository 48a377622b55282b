"""A summary as a phone shows it: the figures of a session and of each group of reps, and a
group's summary (each athlete's, and the athletes x reps table), as JSON-ready dicts.

Rules for this module:
  1. Pure: the readout's values in (core.summary_readout, core.group_readout), plain data
     out. Every word and figure is the big screen's, at its precision.
  2. A table cell is a time (with its difference's colour and its note), NO TIME (a finish
     not seen, flagged), or null (a rep the athlete has not run).
"""

from __future__ import annotations

from typing import Any

from trackside.core.group_readout import NO_TIME, GroupSummaryReadout, RepTable
from trackside.core.rep_words import Timed
from trackside.core.summary_readout import Stat, SummaryReadout


def summary_data(figures: SummaryReadout) -> dict[str, Any]:
    """The session's figures, then each group of reps' (its reps are in the state's list)."""
    return {"title": figures.title, "stats": stats_data(figures.stats),
            "groups": [{"title": group.title, "stats": stats_data(group.stats)}
                       for group in figures.groups]}


def group_summary_data(figures: GroupSummaryReadout) -> dict[str, Any]:
    """Each athlete's summary, in start order, and the athletes x reps table."""
    return {"title": figures.title,
            "athletes": [{"name": athlete.plan_name, **summary_data(athlete)}  # named so
                         for athlete in figures.athletes],
            "table": table_data(figures.table)}


def table_data(table: RepTable) -> dict[str, Any]:
    """Athletes as rows, reps as columns (rule 2)."""
    return {"reps": list(table.reps),
            "rows": [{"name": name, "cells": [_cell(cell) for cell in cells]}
                     for name, cells in table.rows]}


def timed_data(timed: Timed | None) -> dict[str, Any]:
    """A time as shown: '1:05.32', its difference, on or under target, LATE START; or NO TIME
    (not seen: flagged)."""
    if timed is None:
        return {"time": NO_TIME, "delta": "", "good": False, "note": "", "seen": False}
    return {"time": timed.time, "delta": timed.delta, "good": timed.good, "note": timed.note,
            "seen": True}


def stats_data(stats: tuple[Stat, ...]) -> list[dict[str, Any]]:
    return [{"label": stat.label, "value": stat.value, "good": stat.good} for stat in stats]


def _cell(cell: Timed | None | str) -> dict[str, Any] | None:
    return None if isinstance(cell, str) else timed_data(cell)
