"""A plan read back in plain English: its header (name, description, the references its
targets come from), then one sentence for the warmup, each block and the cooldown. What
`show` and the phone's plan preview start with, so a coach can check that what Trackside
read is what was meant ('6 x 1:00, 1:00 rest between').

Rules for this module:
  1. Pure: a Plan in, lines out. A rep is described in the screen's words
     (`readout.leg_text`), its targets worked out as `expand` works them out.
  2. Everything that changes what runs is said: counts, targets, rests, set breaks, what
     comes between two blocks, and that nothing was written there when that is so.
"""

from __future__ import annotations

from trackside.core.plan import JOG_GUIDE_PACE, Block, Jog, Plan, SetBreak
from trackside.core.races import RACES
from trackside.core.rep_words import leg_text, start_words
from trackside.core.schedule import rep_step
from trackside.core.units import format_distance, format_duration, format_length, format_pace


def header_lines(plan: Plan) -> list[str]:
    """The plan's name, its description and the references its targets were worked out from."""
    lines = [plan.name] + [plan.description] * bool(plan.description)
    references = []
    if plan.pace is not None:
        per_lap = format_duration(round(plan.pace * 400, 1), 1)
        miles = format_pace(plan.pace, "mi")
        references.append(f"race pace {format_pace(plan.pace)}, {miles}, {per_lap} per 400 m")
    if plan.max_speed is not None:
        per_100 = format_duration(round(100 / plan.max_speed, 2), 2)
        references.append(f"top speed {plan.max_speed:.2f} m/s ({per_100} s per 100 m)")
    if plan.races:
        references.append("race times " + ", ".join(
            f"{RACES[race].label} {format_duration(seconds)}" for race, seconds in plan.races))
    if plan.lap != 400:
        references.append(f"lap {format_distance(plan.lap)}")
    if references:
        lines.append(", ".join(references))
    return lines


def plan_sentences(plan: Plan) -> list[str]:
    """One sentence per warmup, block and cooldown, in order."""
    sentences = []
    if plan.warmup:
        sentences.append(_end("warm-up", plan.warmup, plan.warmup_max))
    for number, block in enumerate(plan.blocks):
        last = number == len(plan.blocks) - 1
        sentences.append(block_sentence(plan, block, last))
    if plan.cooldown:
        sentences.append(_end("cool-down", plan.cooldown, plan.cooldown_max))
    return sentences


def block_sentence(plan: Plan, block: Block, last: bool = True) -> str:
    """'3 sets of 4 x 400 m @ 1:58.0, rests of 1:00, 45 s and 30 s, ...'."""
    rep = rep_step(plan, block)
    what = " then straight into ".join(leg_text(leg) for leg in rep.legs)
    if block.reps > 1:
        what = f"{block.reps} x ({what})" if rep.count is not None else f"{block.reps} x {what}"
    if block.sets > 1:
        what = f"{block.sets} sets of {what}"
    parts = [what]
    if rep.count is not None:
        parts.append("each ended by a press")
    if block.reps > 1:
        parts.append(_between(block))
    if block.sets > 1:
        parts.append(f"set breaks {_set_break(block.set_break)}")
    if rep.split_times_s and block.splits:
        parts.append(f"a beep at the target time of every {format_distance(block.splits)}")
    if block.crossings is not None:
        parts.append(f"the beam ends it at crossing {block.crossings}")
    if words := start_words(rep):
        parts.append(words.lower())
    if not last:
        parts.append(_after(block))
    return ", ".join(parts)


def _end(word: str, low: float, high: float | None) -> str:
    if high is None:
        return f"{format_length(low)} {word}"
    return (f"{format_length(low)}-{format_length(high)} {word}: it ends on a press, or by "
            f"itself at {format_length(high)}")


def _between(block: Block) -> str:
    rest = block.rest
    if isinstance(rest, tuple) and len(set(rest[: block.reps - 1])) > 1:
        values = [format_length(value) for value in rest[: block.reps - 1]]
        return "rests of " + ", ".join(values[:-1]) + f" and {values[-1]}"
    return _rest(block.rest_after(1), "between")


def _rest(rest: float | Jog | None, where: str) -> str:
    if isinstance(rest, Jog):
        where = f" {where}" if where else ""
        return (f"a {format_distance(rest.distance)} {rest.label}{where} (it ends when the "
                f"athlete is back, usually after about "
                f"{format_duration(rest.distance * JOG_GUIDE_PACE)})")
    return f"{format_length(rest or 0.0)} rest {where}"


def _after(block: Block) -> str:
    """What comes between this block and the next."""
    if block.ends_with_set_break:
        return f"then a set break {_set_break(block.set_break)}"
    then = "then " + _rest(block.rest_after(block.reps), "").rstrip()
    if not block.gap_written:
        then += " (the same as between its reps: nothing was written between the blocks)"
    return then


def _set_break(set_break: SetBreak | None) -> str:
    """'until a press', 'of 3:00, ended by a press', 'of 3:00-4:00 (ended by a press after
    3:00, by itself at 4:00)'."""
    if set_break is None or (not set_break.low and set_break.high is None):
        return "until a press"
    low = format_length(set_break.low)
    if set_break.high is None:
        return f"of {low}, ended by a press"
    high = format_length(set_break.high)
    return f"of {low}-{high} (ended by a press after {low}, by itself at {high})"
