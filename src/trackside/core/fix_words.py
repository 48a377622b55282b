"""How a group's record and its fixes are said: a rep as the table heads it, a mark, a fix.
What `trackside fix` prints and the phone page shows, in the same words.

Rules for this module:
  1. Pure: the record (core.fixes), the athletes' names (as shown: capitals) and the plan's
     reps in, text out.
  2. A rep is called as the table heads it: its number over the plan ('3'), or its set and
     rep ('2.3') in a plan of sets; either is read back (`rep_index`).
  3. A mark says when it came (the rep and the time after the GO of whoever started last
     before it) and whose it is, or what it was judged.
"""

from __future__ import annotations

from collections.abc import Sequence

from trackside.core.events import MarkRole
from trackside.core.fixes import Action, Fix, Mark, Record, rep_holding
from trackside.core.schedule import Step
from trackside.core.units import format_duration

NO_ONES = (MarkRole.UNEXPECTED, MarkRole.IGNORED, MarkRole.DROPPED)  # marks no one's


def rep_labels(reps: Sequence[Step]) -> dict[int, str]:
    """Each rep's index -> its name as the table heads it (rule 2)."""
    sets = len({step.set_no for step in reps}) > 1
    return {step.rep_index or 0: f"{step.set_no}.{step.rep_no}" if sets else str(step.rep_index)
            for step in reps}


def rep_index(reps: Sequence[Step], text: str) -> int:
    """A rep as the table heads it back into its index (rule 2): a number is the index
    itself (whether anyone ran it is the fix's check); ValueError for a set and rep that is
    not in the plan."""
    text = text.strip()
    if text.isdigit() and len(text) <= 9:
        return int(text)
    for index, label in rep_labels(reps).items():
        if label == text:
            return index
    raise ValueError(f"there is no rep {text[:12]} in this session's plan")


def mark_line(mark: Mark, record: Record, names: Sequence[str], labels: dict[int, str]) -> str:
    """'   57  rep 3 +1:12.40 (BEN's GO)  unexpected, beam' (rule 3)."""
    judged = mark.judged
    starts = [rep for athlete in range(len(names))
              if (rep := rep_holding(record, athlete, judged.at)) is not None]
    latest = max(starts, key=lambda rep: rep.started_at, default=None)
    when = "" if latest is None else (
        f"rep {labels[latest.index]} +{format_duration(judged.at - latest.started_at, 2)} "
        f"({names[latest.athlete or 0]}'s GO)")
    whose = (f"{names[judged.athlete or 0]}'s crossing {judged.crossing} of rep "
             f"{labels.get(judged.index or 0, judged.index)}"
             if judged.role is MarkRole.CROSSING else judged.role.value)
    return f"{mark.id:>5}  {when}  {whose}, {judged.source.value}"


def fix_words(fix: Fix, names: Sequence[str], labels: dict[int, str]) -> str:
    """'swap rep 3 ANA BEN', 'assign mark 57 to BEN', 'drop mark 12', 'undo fix 2'."""
    match fix.action:
        case Action.SWAP:
            first, second = fix.athletes
            return f"swap rep {labels.get(fix.index or 0, fix.index)} {names[first]} {names[second]}"
        case Action.ASSIGN:
            return f"assign mark {fix.mark} to {names[fix.athletes[0]]}"
        case Action.DROP:
            return f"drop mark {fix.mark}"
    return f"undo fix {fix.undoes}"
