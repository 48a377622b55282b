"""What a phone is sent: the whole live state as one JSON-ready dict, built from a View.

Rules for this module:
  1. Pure: a View, the moment it was taken (`at`, the Pi's monotonic clock) and whether
     nothing runs in, plain data out. Every word and figure is the big screen's
     (`core.readout`): the phase, the prompt, the targets, the grouped summary.
  2. The clock is sent as an anchor, not as a number: a countdown's end, a running clock's
     start, on the Pi's clock. The phone runs it on its own clock (offset to the Pi's), so
     it ticks smoothly and needs no push until something happens.
  3. Every recorded time is shown as `core.precision` says, through the readout: rounded up
     to its source's precision (a phone's lap to 0.1 s), its difference to target worked
     out from the time as shown.
  4. `press` says whether a press means something now (the screen asks for one, or a rep
     runs that a lap ends), so the phone offers one only then, as the button would act.
  5. A group's state adds its part of the screen (`web.group_state`): the finishers, the
     calls, CHECK ORDER; each rep says whose it is; its summary is each athlete's and the
     athletes x reps table.
"""

from __future__ import annotations

from typing import Any

from trackside.core.events import Phase, RepRecorded
from trackside.core.group_readout import GroupSummaryReadout
from trackside.core.readout import SENSOR_WORDS, WORDS, content, prompt_words, readout
from trackside.core.summary_readout import SummaryReadout, rep_line
from trackside.core.view import Prompt, View
from trackside.web.group_state import group_live
from trackside.web.summary_state import group_summary_data, summary_data


def snapshot(view: View, at: float, idle: bool) -> dict[str, Any]:
    """The state a phone shows, as `view` was at `at`."""
    shown = readout(view)
    state: dict[str, Any] = {
        "plan": view.plan_name,
        "phase": view.phase.value,
        "word": shown.word,
        "paused": WORDS[view.paused_phase] if view.paused_phase else "",
        "where": shown.where,
        "clock": clock(view, at),
        "target": shown.target,
        "next": shown.next.removeprefix("NEXT "),
        "prompt": prompt_words(view),
        "press": _press_means_something(view),
        "reps": [_row(rep, view) for rep in view.results],
        "sensor": SENSOR_WORDS[view.sensor],
        "notice": view.notice,
        "resumed": view.resumed,
        "idle": idle,
        "summary": None,
        "group": None if shown.group is None else group_live(shown.group),
    }
    figures = content(view) if view.phase is Phase.FINISHED else None
    if isinstance(figures, GroupSummaryReadout):
        state["summary"] = group_summary_data(figures)
    elif isinstance(figures, SummaryReadout):
        state["summary"] = summary_data(figures)
    return state


def clock(view: View, at: float) -> dict[str, Any]:
    """The primary number as an anchor on the Pi's clock.

    kind: 'down' (whole seconds left until `ends_at`, rounded up), 'up' (time since
    `since`; tenths under a minute while a rep runs), 'over' (a set break past its
    minimum: '+' and time since `since`), 'frozen' (paused: `value` as it stood) or
    'none' (READY, FINISHED: the prompt instead).
    """
    if view.phase in (Phase.READY, Phase.FINISHED):
        return {"kind": "none"}
    if view.overtime_s is not None:
        anchor = {"kind": "over", "since": at - view.overtime_s}
    elif view.counting_down:
        anchor = {"kind": "down", "ends_at": at + view.clock_s}
    else:
        anchor = {"kind": "up", "since": at - view.clock_s}
    if view.phase is Phase.PAUSED:
        return {"kind": "frozen", "as": anchor["kind"], "value": view.clock_s}
    return anchor


def _press_means_something(view: View) -> bool:
    if view.prompt is not None:
        return view.prompt is not Prompt.RESUME  # paused: a hold resumes, a press does not
    return view.phase is Phase.REP and not view.counting_down  # a lap ends a distance rep


def _row(rep: RepRecorded, view: View) -> dict[str, Any]:
    """'2.3': set 2, rep 3, whose (a group's), its time and difference to target as shown,
    LATE START, and what timed it."""
    line = rep_line(rep)
    whose = "" if view.group is None else view.group.names[rep.athlete or 0].upper()
    return {"label": line.label, "athlete": whose, "time": line.timed.time,
            "target": line.target, "delta": line.timed.delta, "good": line.timed.good,
            "note": line.timed.note, "source": rep.source.value}
