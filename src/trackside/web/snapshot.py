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
"""

from __future__ import annotations

from typing import Any

from trackside.core.events import Phase, RepRecorded
from trackside.core.readout import SENSOR_WORDS, WORDS, prompt_words, readout, summary
from trackside.core.summary_readout import GroupReadout, Stat, rep_line
from trackside.core.view import Prompt, View


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
        "reps": [_row(rep) for rep in view.results],
        "sensor": SENSOR_WORDS[view.sensor],
        "notice": view.notice,
        "resumed": view.resumed,
        "idle": idle,
        "summary": None,
    }
    if view.phase is Phase.FINISHED:
        figures = summary(view)
        state["summary"] = {"title": figures.title, "stats": _stats(figures.stats),
                            "groups": [_group(group) for group in figures.groups]}
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


def _row(rep: RepRecorded) -> dict[str, Any]:
    """'2.3': set 2, rep 3, its time and difference to target as shown, and what timed it."""
    line = rep_line(rep)
    return {"label": line.label, "time": line.timed.time, "target": line.target,
            "delta": line.timed.delta, "good": line.timed.good, "source": rep.source.value}


def _stats(stats: tuple[Stat, ...]) -> list[dict[str, Any]]:
    return [{"label": stat.label, "value": stat.value, "good": stat.good} for stat in stats]


def _group(group: GroupReadout) -> dict[str, Any]:
    """Reps that belong together and their figures (the reps themselves are in `reps`)."""
    return {"title": group.title, "stats": _stats(group.stats)}
