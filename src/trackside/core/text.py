"""Words and numbers as the athlete reads them: shared by every view and report.

Honest precision: a beam time to 0.01 s, a button time to 0.1 s (a hand is 0.2-0.3 s off
anyway), a countdown in whole seconds rounded up (it reads 0:01 until it is over).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from trackside.core.events import RepRecorded, Source
from trackside.core.schedule import Step
from trackside.core.summary import summarise
from trackside.core.units import format_distance, format_duration
from trackside.core.view import View


def decimals_for(source: Source) -> int:
    return 2 if source is Source.BEAM else 1


def rep_time(rep: RepRecorded) -> str:
    return format_duration(rep.duration_s, decimals_for(rep.source))


def signed(seconds: float, decimals: int = 1) -> str:
    """+0.8 / -1.2: the sign always shown, so slower and faster never look alike."""
    rounded = round(seconds, decimals) or 0.0  # never '-0.00'
    return f"{rounded:+.{decimals}f}"


def countdown(seconds: float) -> str:
    return format_duration(math.ceil(seconds - 1e-9))


def status_clock(view: View) -> str:
    """The primary number as text: a countdown, or the time into a rep in tenths."""
    if view.counting_down:
        return countdown(view.clock_s)
    if view.overtime_s is not None:
        return "+" + format_duration(view.overtime_s)
    if view.current is not None and view.clock_s > 0:
        return format_duration(view.clock_s, 1)
    return ""


def describe_rep(rep: Step) -> str:
    """'400 m @ 1:58.0', '400 m @ 1:58.0 + 100 m max', '10 squat', '30 s'."""
    parts = []
    for leg in rep.legs:
        if leg.count is not None:
            text = f"{leg.count} {leg.label or 'reps'}"
        elif leg.duration_s is not None:
            text = format_duration(leg.duration_s) + (" s" if leg.duration_s < 60 else "")
        else:
            text = format_distance(leg.distance_m or 0.0) + (f" {leg.label}" if leg.label else "")
        if leg.target_s is not None:
            text += f" @ {format_duration(leg.target_s, 1)}"
        elif leg.target_text:
            text += f" @ {leg.target_text}"
        parts.append(text)
    return " + ".join(parts)


def summary_lines(results: Sequence[RepRecorded]) -> list[str]:
    """A plain-text summary: one line per rep, then average, best, spread and fade."""
    if not results:
        return ["No reps recorded."]
    lines = [f"{'set':>3} {'rep':>3} {'time':>9} {'target':>9} {'diff':>7}  by"]
    for rep in results:
        target = format_duration(rep.target_s, 1) if rep.target_s is not None else "-"
        delta = signed(rep.delta_s, decimals_for(rep.source)) if rep.delta_s is not None else ""
        lines.append(f"{rep.set_no:>3} {rep.rep_no:>3} {rep_time(rep):>9} {target:>9} "
                     f"{delta:>7}  {rep.source.value}")
    summary = summarise(results)
    if summary.mean_s is not None:
        lines.append(
            f"average {format_duration(summary.mean_s, 2)}  best {format_duration(summary.best_s or 0, 2)}"
            f"  worst {format_duration(summary.worst_s or 0, 2)}  spread {summary.stdev_s or 0:.2f} s"
            f"  fade {signed(summary.fade_s or 0.0, 2)} s"
        )
    if summary.mean_delta_s is not None:
        lines.append(f"average difference to target {signed(summary.mean_delta_s, 2)} s")
    return lines
