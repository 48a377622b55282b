"""What a phone is sent: the whole live state as one JSON-ready dict, built from a View.

Rules for this module:
  1. Pure: a View, the moment it was taken (`at`, the Pi's monotonic clock) and whether
     nothing runs in, plain data out. The words are the big screen's (`core.readout`).
  2. The clock is sent as an anchor, not as a number: a countdown's end, a running clock's
     start, on the Pi's clock. The phone runs it on its own clock (offset to the Pi's), so
     it ticks smoothly and needs no push until something happens.
  3. Every recorded time is shown as `core.precision` says: rounded up to its source's
     precision (a phone's lap to 0.1 s), and its difference to target worked out from it.
"""

from __future__ import annotations

from typing import Any

from trackside.core.events import Phase, RepRecorded, Source
from trackside.core.precision import decimals, shown_s
from trackside.core.readout import SENSOR_WORDS, WORDS, readout, summary
from trackside.core.units import format_duration
from trackside.core.view import View


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
        "prompt": view.prompt,
        "reps": [rep_row(rep) for rep in view.results],
        "sensor": SENSOR_WORDS[view.sensor],
        "notice": view.notice,
        "resumed": view.resumed,
        "idle": idle,
        "summary": None,
    }
    if view.phase is Phase.FINISHED:
        figures = summary(view)
        state["summary"] = {
            "title": figures.title,
            "stats": [{"label": s.label, "value": s.value, "good": s.good} for s in figures.stats],
        }
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


def rep_row(rep: RepRecorded) -> dict[str, Any]:
    """'2.3': set 2, rep 3, its time and difference to target as shown, and what timed it."""
    places = decimals(rep.source)
    time = shown_s(rep.duration_s, rep.source)
    row = {"label": f"{rep.set_no}.{rep.rep_no}", "time": format_duration(time, places),
           "target": "", "delta": "", "good": None, "source": rep.source.value}
    if rep.target_s is not None and rep.source is not Source.TIME:
        delta = round(time - rep.target_s, places)
        target = round(rep.target_s, 1)
        row |= {"target": format_duration(target, 0 if target == round(target) else 1),
                "delta": ("-" if delta < 0 else "+") + format_duration(abs(delta), places),
                "good": delta <= 0}
    return row
