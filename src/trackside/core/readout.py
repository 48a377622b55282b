"""What every display says about a View, as text: the words, the numbers, their colours.

Rules for this module:
  1. Pure: a Readout is a function of the View alone, so two displays (a window, a
     terminal) show the same thing and a display can compare readouts to skip a redraw.
  2. Honest precision: a beam time to 0.01 s, a button time to 0.1 s, a timed rep whole.
  3. A countdown shows the whole seconds left rounded up (it reads 1 during the last
     second, never 0 while time is left); a running clock shows the time gone, truncated.
  4. The primary number changes on whole seconds (tenths for a rep under a minute) and
     the last 3 s of a countdown flash on the first half of each second: `seconds_to_change`
     says when the next of those moments is, so a display can sleep until then.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from trackside.core.events import Outcome, Phase, RepRecorded, SensorState, Source
from trackside.core.schedule import Leg, Step
from trackside.core.summary import summarise
from trackside.core.units import format_distance, format_duration, format_pace
from trackside.core.view import View

FLASH_FROM_S = 3.0  # the last seconds of a countdown flash
# A key is timed when it is read, and every read is a wake-up (a CPU cost on a Pi):
KEY_POLL_REP_S = 0.1  # during a rep a key may end it: read with each tenth the clock shows
KEY_POLL_S = 0.25  # elsewhere a key starts or pauses things: a quarter second is soon enough
_EPSILON_S = 1e-6  # a clock this close to a boundary has crossed it (float noise)
_COUNTDOWNS = (Phase.WARMUP, Phase.LEAD_IN, Phase.REST, Phase.SET_BREAK, Phase.COOLDOWN,
               Phase.REP)
_LEADS_TO_GO = (Phase.LEAD_IN, Phase.REST)  # these flash in the colour of the rep they start

WORDS = {
    Phase.READY: "READY",
    Phase.WARMUP: "WARM-UP",
    Phase.LEAD_IN: "GET SET",
    Phase.REP: "GO",
    Phase.REST: "REST",
    Phase.SET_BREAK: "SET BREAK",
    Phase.COOLDOWN: "COOL-DOWN",
    Phase.PAUSED: "PAUSED",
    Phase.FINISHED: "FINISHED",
}
_OUTCOME_WORDS = {
    Outcome.FINISHED: "FINISHED",
    Outcome.ENDED_EARLY: "ENDED EARLY",
    Outcome.INTERRUPTED: "STOPPED",
}
SENSOR_WORDS = {
    SensorState.NONE: "BUTTON TIMING",
    SensorState.ONLINE: "BEAM ONLINE",
    SensorState.LOST: "BEAM LOST",
}
_DECIMALS = {Source.BEAM: 2, Source.BUTTON: 1, Source.TIME: 0}


@dataclass(frozen=True, slots=True)
class Number:
    """The primary number in parts, so a narrow screen can stack minutes over seconds."""

    sign: str  # '+' for time past a set break's minimum
    major: str  # minutes (and hours); '' under a minute
    minor: str  # seconds
    fraction: str  # '.3': a running rep under a minute; shown where it fits

    def text(self, fraction: bool = True) -> str:
        head = f"{self.major}:" if self.major else ""
        return f"{self.sign}{head}{self.minor}{self.fraction if fraction else ''}"


@dataclass(frozen=True, slots=True)
class Timed:
    """A recorded time and its difference to target, at the precision of its source."""

    time: str
    delta: str  # '+0.32', '-1.2' or '' without a target
    good: bool | None  # on or under target; None without a target


@dataclass(frozen=True, slots=True)
class Readout:
    phase: Phase  # decides the colour
    word: str  # 'REST'
    where: str  # 'SET 2/3  REP 4/6'
    number: Number | None  # None: show `headline` instead
    headline: str  # READY: the prompt, big
    flash: Phase | None  # the colour the screen flashes in the last seconds, or None
    progress: float | None  # 0..1, moves with the number
    target: str  # the rep running, or the one the countdown leads to
    last: Timed | None
    next: str  # 'NEXT 400 m @ 1:05'
    prompt: str  # shown below the number ('' when it is the headline)
    sensor: SensorState
    resumed: bool
    plan_name: str
    notice: str  # a fault the timer works around: 'NOT SAVING: disk full'


@dataclass(frozen=True, slots=True)
class RepLine:
    label: str  # '2.3': set 2, rep 3
    timed: Timed
    target: str
    duration_s: float
    target_s: float | None


@dataclass(frozen=True, slots=True)
class Stat:
    label: str  # 'AVERAGE'
    value: str  # '1:05.02'
    good: bool | None = None  # for the difference to target: on or under it


@dataclass(frozen=True, slots=True)
class SummaryReadout:
    title: str  # 'FINISHED', 'ENDED EARLY'
    plan_name: str
    stats: tuple[Stat, ...]
    reps: tuple[RepLine, ...]


def readout(view: View) -> Readout:
    number = _number(view)
    headline = (view.prompt or WORDS[view.phase]) if number is None else ""
    return Readout(
        phase=view.phase,
        word=WORDS[view.phase],
        where=_where(view),
        number=number,
        headline=headline,
        flash=_flash(view),
        progress=_progress(view),
        target=describe(view.current) if view.current else "",
        last=timed(view.last_rep) if view.last_rep else None,
        next=f"NEXT {describe(view.next_rep)}" if view.next_rep else "",
        prompt="" if headline else view.prompt,
        sensor=view.sensor,
        resumed=view.resumed,
        plan_name=view.plan_name,
        notice=view.notice,
    )


def seconds_to_change(view: View, tenths: bool = True) -> float | None:
    """Seconds from the view's instant until its readout next changes; None: not by itself.

    `tenths`: whether the display shows the tenths of a running rep under a minute.
    """
    if view.phase in (Phase.READY, Phase.PAUSED, Phase.FINISHED):
        return None
    if view.overtime_s is not None:
        return _to_next_step(view.overtime_s, 1.0)
    clock = view.clock_s
    if not view.counting_down:
        step = 0.1 if tenths and clock < 60 - _EPSILON_S else 1.0
        return _to_next_step(clock, step)
    left = clock - _EPSILON_S
    if left <= 0:
        return None
    shown = math.ceil(left)
    wait = left - (shown - 1)
    if view.phase in _COUNTDOWNS and shown <= FLASH_FROM_S and left > shown - 0.5:
        wait = min(wait, left - (shown - 0.5))
    return wait + _EPSILON_S


def key_poll_s(view: View) -> float:
    """How soon a display that reads keys by polling must poll again."""
    return KEY_POLL_REP_S if view.phase is Phase.REP else KEY_POLL_S


def describe(step: Step) -> str:
    """'400 m @ 1:05 (2:42/km)', '300 m @ 48 + 100 m max', '10 × squat @ 85%', '2:00'."""
    legs = step.legs
    if len(legs) == 1 and legs[0].distance_m is not None and step.target_s is not None:
        leg = legs[0]
        pace = leg.target_text if "/" in leg.target_text else format_pace(
            step.target_s / leg.distance_m)
        return f"{_leg_text(leg)} ({pace})"
    if not legs and step.duration_s is not None:
        return format_duration(step.duration_s)
    return legs_text(step)


def legs_text(step: Step) -> str:
    """The rep's parts and targets, without the pace: '300 m @ 48 + 100 m max'."""
    return " + ".join(_leg_text(leg) for leg in step.legs)


def timed(rep: RepRecorded) -> Timed:
    decimals = _DECIMALS[rep.source]
    delta = rep.delta_s
    if delta is None:
        return Timed(format_duration(rep.duration_s, decimals), "", None)
    sign = "-" if delta < 0 else "+"
    return Timed(format_duration(rep.duration_s, decimals),
                 sign + format_duration(abs(delta), decimals), delta <= 0)


def summary(view: View) -> SummaryReadout:
    reps = tuple(
        RepLine(f"{rep.set_no}.{rep.rep_no}", timed(rep),
                _target_time(rep.target_s) if rep.target_s is not None else "",
                rep.duration_s, rep.target_s)
        for rep in view.results
    )
    title = _OUTCOME_WORDS[view.outcome] if view.outcome else WORDS[Phase.FINISHED]
    return SummaryReadout(title, view.plan_name, _stats(view.results), reps)


def _stats(results: tuple[RepRecorded, ...]) -> tuple[Stat, ...]:
    figures = summarise(results)
    if figures.mean_s is None:
        return (Stat("REPS", str(figures.reps)),)
    decimals = 2 if any(rep.source is Source.BEAM for rep in results) else 1
    stats = [
        Stat("REPS", str(figures.reps)),
        Stat("AVERAGE", format_duration(figures.mean_s, decimals)),
        Stat("BEST", format_duration(figures.best_s or 0.0, decimals)),
        Stat("SPREAD", format_duration(figures.stdev_s or 0.0, decimals)),
        Stat("FADE", _signed(figures.fade_s or 0.0, decimals)),
    ]
    if figures.mean_delta_s is not None:
        stats.append(Stat("VS TARGET", _signed(figures.mean_delta_s, decimals),
                          figures.mean_delta_s <= 0))
    return tuple(stats)


def _signed(seconds: float, decimals: int) -> str:
    return ("-" if seconds < 0 else "+") + format_duration(abs(seconds), decimals)


def _number(view: View) -> Number | None:
    if view.phase in (Phase.READY, Phase.FINISHED):
        return None
    if view.overtime_s is not None:
        return _split("+", format_duration(view.overtime_s + _EPSILON_S))
    if view.counting_down:
        return _split("", format_duration(max(0, math.ceil(view.clock_s - _EPSILON_S))))
    clock = view.clock_s + _EPSILON_S
    if clock < 60:
        whole, tenth = format_duration(clock, 1).split(".")
        return Number("", "", whole, f".{tenth}")
    return _split("", format_duration(clock))


def _split(sign: str, text: str) -> Number:
    major, _, minor = text.rpartition(":")
    return Number(sign, major, minor, "")


def _where(view: View) -> str:
    parts = []
    if view.set_no is not None and view.sets_total > 1:
        parts.append(f"SET {view.set_no}/{view.sets_total}")
    if view.rep_no is not None and view.reps_in_set:
        parts.append(f"REP {view.rep_no}/{view.reps_in_set}")
    return "  ".join(parts)


def _flash(view: View) -> Phase | None:
    if (view.phase not in _COUNTDOWNS or not view.counting_down
            or view.overtime_s is not None):
        return None
    left = view.clock_s - _EPSILON_S
    if not 0 < left <= FLASH_FROM_S or math.ceil(left) - left >= 0.5:
        return None
    return Phase.REP if view.phase in _LEADS_TO_GO else view.phase


def _progress(view: View) -> float | None:
    """The progress the number shows: a countdown's bar steps with its seconds."""
    progress = view.progress
    if progress is None or not view.counting_down or progress >= 1 or view.clock_s <= 0:
        return progress
    total = view.clock_s / (1 - progress)
    shown = math.ceil(view.clock_s - _EPSILON_S)
    return round(min(1.0, max(0.0, 1 - shown / total)), 4)


def _leg_text(leg: Leg) -> str:
    if leg.count is not None:
        amount = f"{leg.count} × {leg.label}" if leg.label else f"{leg.count}×"
    elif leg.distance_m is not None:
        amount = format_distance(leg.distance_m)
    else:
        amount = format_duration(leg.duration_s or 0.0)
        amount = f"{amount} {leg.label}" if leg.label else amount
    if leg.max_effort:
        return f"{amount} max"
    if leg.target_s is not None and leg.target_range_s is None:
        return f"{amount} @ {_target_time(leg.target_s)}"
    return f"{amount} @ {leg.target_text}" if leg.target_text else amount


def _target_time(seconds: float) -> str:
    return format_duration(seconds, 0 if abs(seconds - round(seconds)) < 0.05 else 1)


def _to_next_step(clock: float, step: float) -> float:
    ticks = math.floor((clock + _EPSILON_S) / step)
    return (ticks + 1) * step - clock + _EPSILON_S


def plain_text(content: Readout | SummaryReadout) -> str:
    """One line (a summary: a few) without escape codes, for a pipe, a log or headless."""
    if isinstance(content, SummaryReadout):
        stats = "  ".join(f"{stat.label} {stat.value}" for stat in content.stats)
        reps = [f"  {rep.label} {rep.timed.time} {rep.target} {rep.timed.delta}".rstrip()
                for rep in content.reps]
        return "\n".join([f"{content.title} {content.plan_name}: {stats}", *reps])
    number = content.number.text(fraction=False) if content.number else content.headline
    parts = [f"{content.word} {number}", content.where, content.target]
    if content.last:
        parts.append(f"LAST {content.last.time} {content.last.delta}".rstrip())
    parts += [content.next, content.prompt, SENSOR_WORDS[content.sensor]]
    if content.resumed:
        parts.append("RESUMED SESSION")
    parts.append(content.notice)
    return " | ".join(part for part in parts if part)
