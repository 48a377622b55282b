"""What every display says about a View, as text: the words, the numbers, their colours.

Rules for this module:
  1. Pure: a Readout is a function of the View alone, so two displays (a window, a
     terminal) show the same thing and a display can compare readouts to skip a redraw.
     Every word a screen shows (phase names, prompts, outcomes) is defined here, once.
  2. Honest precision (core/precision): a result is shown rounded up, a beam time to 0.01 s,
     a button time to 0.1 s; every figure beside it comes from core/summary, computed from
     the times as shown, so the arithmetic on the screen adds up. A time read after a stall
     (`RepRecorded.uncertain`) is shown with a '?' and no difference to target; a rep whose
     GO a stall made late says LATE START.
  3. A countdown shows the whole seconds left rounded up (it reads 1 during the last
     second, never 0 while time is left); a running clock shows the time gone, truncated.
  4. The primary number changes on whole seconds (tenths for a rep under a minute) and
     the last 3 s of a countdown flash on the first half of each second: `seconds_to_change`
     says when the next of those moments is, so a display can sleep until then.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from trackside.core.events import Outcome, Phase, SensorState
from trackside.core.group_readout import (
    GroupLines,
    GroupSummaryReadout,
    group_lines,
    group_describe,
    group_summary,
    group_summary_text,
)
from trackside.core.group_readout import seconds_to_change as calls_change_s
# readout has always offered the words of a rep: callers find target_words here too
from trackside.core.rep_words import Timed, describe, spaced, target_words, timed
from trackside.core.schedule import Step
from trackside.core.summary_readout import SummaryReadout, summary_line, summary_of, summary_text
from trackside.core.units import format_distance, format_duration
from trackside.core.view import PhoneCard, Prompt, View

FLASH_FROM_S = 3.0  # the last seconds of a countdown flash
# A key is timed when it is read, and every read is a wake-up (a CPU cost on a Pi):
KEY_POLL_REP_S = 0.1  # during a rep a key may end it: read with each tenth the clock shows
KEY_POLL_S = 0.25  # elsewhere a key starts or pauses things: a quarter second is soon enough
_EPSILON_S = 1e-6  # a clock this close to a boundary has crossed it (float noise)
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
_PROMPT_WORDS = {  # {set}, {rep}: of the view's current rep
    Prompt.START_WARMUP: "PRESS TO START WARMUP",
    Prompt.START: "PRESS TO START",
    Prompt.START_SET: "PRESS TO START SET {set}",
    Prompt.START_REP: "PRESS TO START REP {rep}",
    Prompt.RUN_AGAIN: "REP {rep} STOPPED: PRESS TO RUN IT AGAIN",
    Prompt.END_WARMUP: "PRESS WHEN READY",
    Prompt.END_COUNT: "PRESS WHEN DONE",
    Prompt.FINISH: "PRESS TO FINISH",
    Prompt.RESUME: "HOLD TO RESUME",
}
SENSOR_WORDS = {
    SensorState.NONE: "BUTTON TIMING",
    SensorState.ONLINE: "BEAM ONLINE",
    SensorState.LOST: "BEAM LOST",
    SensorState.SIMULATED: "SIMULATED BEAM",
}



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
class Readout:
    phase: Phase  # decides the colour
    word: str  # 'REST'
    where: str  # 'SET 2/3  REP 4/6'
    number: Number | None  # None: show `headline` instead
    headline: str  # READY: the prompt, big
    flash: Phase | None  # the colour the screen flashes in the last seconds, or None
    progress: float | None  # 0..1, moves with the number
    target: str  # the rep running; 'NEXT 400 m @ 1:05' before one; the cool-down: the summary
    last: Timed | None
    next: str  # during a rep, the one after it: 'NEXT 400 m @ 1:05'
    prompt: str  # shown below the number ('' when it is the headline)
    sensor: SensorState
    resumed: bool
    plan_name: str
    notice: str  # a fault the timer works around: 'NOT SAVING: disk full'
    phone: PhoneCard | None = None  # how a phone pairs (at READY, with the phone page on)
    group: GroupLines | None = None  # a group's finishers, calls and CHECK ORDER


Content = Readout | SummaryReadout | GroupSummaryReadout


def content(view: View) -> Content:
    """What a screen shows: the summary once the session is over, else the live readout."""
    if view.phase is not Phase.FINISHED:
        return readout(view)
    if view.group is not None:
        return group_summary(view, _headline_word(view))
    return summary(view)


def readout(view: View) -> Readout:
    number = _number(view)
    prompt = prompt_words(view)
    headline = (prompt or _headline_word(view)) if number is None else ""
    target, next_ = _rep_lines(view)
    return Readout(
        phase=view.phase,
        word=WORDS[view.phase],
        where=_where(view),
        number=number,
        headline=headline,
        flash=_flash(view),
        progress=_progress(view),
        target=target,
        last=timed(view.last_rep) if view.last_rep and view.group is None else None,
        next=next_,
        prompt="" if headline else prompt,
        sensor=view.sensor,
        resumed=view.resumed,
        plan_name=view.plan_name,
        notice=view.notice,
        phone=view.phone,
        group=group_lines(view),
    )


def prompt_words(view: View) -> str:
    """'PRESS TO START SET 2', 'HOLD TO RESUME', or '' when the screen asks nothing."""
    if view.prompt is None:
        return ""
    if view.prompt is Prompt.END_JOG and view.jog is not None:
        return _jog_words(view.jog)
    current = view.current
    set_no, rep_no = (current.set_no, current.rep_no) if current else (None, None)
    words = _PROMPT_WORDS[view.prompt].format(set=set_no, rep=rep_no)
    if view.prompt is Prompt.START_SET and view.top_s is not None:  # a set break's range
        words += f" · STARTS BY ITSELF AT +{format_duration(view.top_s)}"  # as its clock counts
    return words


def _jog_words(jog: Step) -> str:
    """'JOG 200 m, USUALLY 1:24: PRESS AT THE START'; one that comes back to the line ends
    there too."""
    where = "AT THE LINE OR PRESS" if jog.crossings else "PRESS AT THE START"
    return (f"{(jog.label or 'jog').upper()} {format_distance(jog.distance_m or 0)}, "
            f"USUALLY {format_duration(jog.target_s or 0)}: {where}")


def seconds_to_change(view: View, tenths: bool = True) -> float | None:
    """Seconds from the view's instant until its readout next changes; None: not by itself.

    `tenths`: whether the display shows the tenths of a running rep under a minute.
    """
    if view.phase in (Phase.READY, Phase.PAUSED, Phase.FINISHED):
        return None
    number = _number_change_s(view, tenths)
    calls = None if view.group is None else calls_change_s(view.group)  # 'BEN IN 2'
    return min((wait for wait in (number, calls) if wait is not None), default=None)


def _number_change_s(view: View, tenths: bool) -> float | None:
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
    if shown <= FLASH_FROM_S and left > shown - 0.5:
        wait = min(wait, left - (shown - 0.5))
    return wait + _EPSILON_S


def key_poll_s(view: View) -> float:
    """How soon a display that reads keys by polling must poll again."""
    return KEY_POLL_REP_S if view.phase is Phase.REP else KEY_POLL_S


def summary(view: View) -> SummaryReadout:
    return summary_of(view.results, view.plan_reps, _headline_word(view), view.plan_name,
                      view.notice)


def _rep_lines(view: View) -> tuple[str, str]:
    """The target row and the NEXT row: the rep running and the one after it; before a rep,
    only the one coming, as NEXT; in the cool-down, the session's summary."""
    if view.phase is Phase.COOLDOWN:
        return summary_line(summary(view)), ""
    if view.current is None:
        return "", ""
    said = describe if view.group is None else lambda rep: group_describe(view, rep)
    if Phase.REP in (view.phase, view.paused_phase):
        after = f"NEXT {said(view.next_rep)}" if view.next_rep else ""
        return said(view.current), after
    return f"NEXT {said(view.current)}", ""


def _headline_word(view: View) -> str:
    """The phase's name; once finished, how it ended."""
    if view.phase is Phase.FINISHED and view.outcome is not None:
        return _OUTCOME_WORDS[view.outcome]
    return WORDS[view.phase]


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
    """'SET 2/3  REP 4/6'; a group whose athletes go at their own times: whose clock runs."""
    parts = []
    if view.set_no is not None and view.sets_total > 1:
        parts.append(f"SET {view.set_no}/{view.sets_total}")
    if view.rep_no is not None and view.reps_in_set:
        parts.append(f"REP {view.rep_no}/{view.reps_in_set}")
    if view.group is not None and view.group.clock_name and view.phase is Phase.REP:
        parts.append(f"CLOCK: {view.group.clock_name.upper()}")
    return "  ".join(parts)


def _flash(view: View) -> Phase | None:
    if (view.phase is Phase.PAUSED or not view.counting_down
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


def _to_next_step(clock: float, step: float) -> float:
    ticks = math.floor((clock + _EPSILON_S) / step)
    return (ticks + 1) * step - clock + _EPSILON_S


def plain_text(content: Content) -> str:
    """One line (a summary: a few) without escape codes, for a pipe, a log or headless."""
    if isinstance(content, SummaryReadout):
        return summary_text(content)
    if isinstance(content, GroupSummaryReadout):
        return group_summary_text(content)
    number = content.number.text(fraction=False) if content.number else content.headline
    parts = [f"{content.word} {number}", content.where, content.target]
    if content.last:
        parts.append(spaced("LAST", content.last.time, content.last.delta, content.last.note))
    if (group := content.group) is not None:
        parts += [group.call, group.check, ", ".join(line.text() for line in group.finishers)]
    parts += [content.next, content.prompt, SENSOR_WORDS[content.sensor]]
    if content.resumed:
        parts.append("RESUMED SESSION")
    parts.append(content.notice)
    if content.phone:
        parts.append(phone_words(content.phone))
    return " | ".join(part for part in parts if part)


def phone_words(card: PhoneCard, spaced: bool = False) -> str:
    """What a coach types to pair: 'PHONE 10.42.0.1:8080 CODE 483921'; `spaced` for the eye
    on a screen: 'PHONE 10.42.0.1:8080   CODE 483 921'."""
    if spaced:
        return f"PHONE {card.address}   CODE {card.code[:3]} {card.code[3:]}"
    return f"PHONE {card.address} CODE {card.code}"
