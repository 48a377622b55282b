"""Fixes a coach makes to a group's record afterwards, and the reps they give.

Rules for this module:
  1. Nothing recorded is ever changed or deleted: a fix is a new entry (who, when, what),
     an undo too, and the corrected reps are worked out from the marks as recorded and the
     fixes in order, every time they are read.
  2. Three fixes: swap two athletes' marks in a rep (a pass the beam could not tell),
     give a mark that is no one's to an athlete as their finish (a crossing that fitted
     nobody, or that was dropped), drop a mark (bogus: it is no one's). An undo takes
     back one fix, the last by default.
  3. A fix that cannot be made says why in one line (`check`) and is never recorded:
     a mark that is already someone's is swapped or dropped first, not given twice.
  4. A rep's time is its finish mark minus its athlete's GO; its splits are its other
     marks up to the first one not seen; it is uncertain when one of its marks is (read
     after a stall), and keeps how late its GO was. A rep no fix touches stays exactly as
     recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from trackside.core.events import MarkJudged, MarkRole, RepMissed, RepRecorded


class Action(Enum):
    SWAP = "swap"
    ASSIGN = "assign"
    DROP = "drop"
    UNDO = "undo"


@dataclass(frozen=True, slots=True)
class Mark:
    """A mark as recorded, with the id `trackside fix` calls it by."""

    id: int
    judged: MarkJudged
    run: int = 1  # the run of the session whose clock `judged.at` is on


@dataclass(frozen=True, slots=True)
class Fix:
    id: int
    action: Action
    made_utc: str  # when, ISO 8601
    made_by: str  # who
    index: int | None = None  # SWAP: the rep
    athletes: tuple[int, ...] = ()  # SWAP: the two; ASSIGN: the one (places in start order)
    mark: int | None = None  # ASSIGN, DROP: the mark's id
    undoes: int | None = None  # UNDO: the fix taken back


@dataclass(frozen=True, slots=True)
class Record:
    """A group session's reps after its fixes: timed, not seen, and every mark."""

    reps: tuple[RepRecorded, ...]  # by rep, then start order
    missed: tuple[RepMissed, ...]
    marks: tuple[Mark, ...]  # roles as fixed: an assigned mark is a CROSSING, a dropped one DROPPED


def active(fixes: Sequence[Fix]) -> list[Fix]:
    """The fixes that stand: every one not undone, undos left out."""
    undone = {fix.undoes for fix in fixes if fix.action is Action.UNDO}
    return [fix for fix in fixes if fix.action is not Action.UNDO and fix.id not in undone]


def undoing(fixes: Sequence[Fix], wanted: int | None = None) -> int:
    """The fix an undo takes back: `wanted`, else the last one standing (rule 2);
    ValueError when it does not stand."""
    standing = active(fixes)
    if not standing:
        raise ValueError("no fix stands to undo")
    undoes = standing[-1].id if wanted is None else wanted
    if undoes not in {fix.id for fix in standing}:
        raise ValueError(f"there is no fix {undoes} standing")
    return undoes


def corrected(reps: Sequence[RepRecorded], missed: Sequence[RepMissed], marks: Sequence[Mark],
              fixes: Sequence[Fix], crossings: Sequence[Sequence[int]]) -> Record:
    """The record after `fixes` (rule 1). `crossings[athlete][index - 1]`: how many times
    that athlete's rep crosses the line (0: it ends on a press)."""
    fixed = _marks_after(marks, active(fixes), reps, missed, crossings)
    changed = [pair for pair in zip(marks, fixed, strict=True) if pair[0] != pair[1]]
    touched = {(mark.judged.athlete, mark.judged.index) for pair in changed for mark in pair}
    starts = {(rep.athlete, rep.index): rep for rep in [*reps, *missed]}
    timed: list[RepRecorded] = []
    unseen: list[RepMissed] = []
    for key, rep in sorted(starts.items(), key=lambda item: (item[0][1], item[0][0] or 0)):
        if key not in touched:
            (timed if isinstance(rep, RepRecorded) else unseen).append(rep)
            continue
        athlete, index = key
        ours = sorted((mark.judged for mark in fixed if mark.judged.role is MarkRole.CROSSING
                       and (mark.judged.athlete, mark.judged.index) == key),
                      key=lambda judged: judged.crossing or 0)
        last = max(1, crossings[athlete or 0][index - 1])
        finish = next((judged for judged in ours if judged.crossing == last), None)
        if finish is None:
            unseen.append(RepMissed(athlete or 0, rep.set_no, rep.rep_no, index, rep.started_at,
                                    rep.target_s, rep.late_start_s))
            continue
        splits = []
        for number, judged in enumerate(ours[:-1], start=1):
            if judged.crossing != number:
                break
            splits.append(judged.at - rep.started_at)
        timed.append(RepRecorded(
            rep.set_no, rep.rep_no, index, rep.started_at, finish.at, rep.target_s,
            tuple(splits), finish.source, late_start_s=rep.late_start_s,
            uncertain=any(judged.uncertain for judged in ours), athlete=athlete))
    return Record(tuple(timed), tuple(unseen), tuple(fixed))


def check(fix: Fix, record: Record, names: Sequence[str]) -> None:
    """Raise ValueError saying why `fix` cannot be made on `record` (rule 3)."""
    marks = {mark.id: mark.judged for mark in record.marks}
    if fix.action in (Action.ASSIGN, Action.DROP) and fix.mark not in marks:
        raise ValueError(f"there is no mark {fix.mark} in this session (trackside fix SESSION "
                         "lists them)")
    if fix.action is Action.SWAP:
        index = fix.index or 0
        ran = {rep.athlete for rep in [*record.reps, *record.missed] if rep.index == index}
        for athlete in fix.athletes:
            if athlete not in ran:
                raise ValueError(f"{names[athlete]} did not run rep {index}")
        if len(set(fix.athletes)) != 2:
            raise ValueError("a swap is of two different athletes")
    elif fix.action is Action.ASSIGN:
        judged, athlete = marks[fix.mark or 0], fix.athletes[0]
        if judged.role is MarkRole.CROSSING:
            raise ValueError(f"mark {fix.mark} is {names[judged.athlete or 0]}'s in rep "
                             f"{judged.index}: swap it, or drop it first")
        rep = rep_holding(record, athlete, judged.at)
        if rep is None:
            raise ValueError(f"mark {fix.mark} comes before {names[athlete]}'s first GO")
        if isinstance(rep, RepRecorded):
            raise ValueError(f"{names[athlete]} has a time in rep {rep.index}: drop its finish "
                             "mark first")
    elif fix.action is Action.DROP and marks[fix.mark or 0].role is MarkRole.DROPPED:
        raise ValueError(f"mark {fix.mark} is dropped already")


def rep_holding(record: Record, athlete: int, at: float) -> RepRecorded | RepMissed | None:
    """The athlete's rep that mark time `at` falls in: the last one they started before it."""
    theirs = [rep for rep in [*record.reps, *record.missed]
              if rep.athlete == athlete and rep.started_at <= at]
    return max(theirs, key=lambda rep: rep.started_at, default=None)


def _marks_after(marks: Sequence[Mark], fixes: Sequence[Fix], reps: Sequence[RepRecorded],
                 missed: Sequence[RepMissed], crossings: Sequence[Sequence[int]]
                 ) -> list[Mark]:
    fixed = list(marks)
    where = {mark.id: number for number, mark in enumerate(fixed)}
    for fix in fixes:
        if fix.action is Action.SWAP:
            first, second = fix.athletes
            swapped = {first: second, second: first}
            fixed = [replace(mark, judged=replace(mark.judged, athlete=swapped[
                mark.judged.athlete])) if mark.judged.index == fix.index
                and mark.judged.role is MarkRole.CROSSING
                and mark.judged.athlete in swapped else mark for mark in fixed]
        elif fix.action is Action.DROP and fix.mark in where:
            number = where[fix.mark]
            fixed[number] = replace(fixed[number], judged=replace(
                fixed[number].judged, role=MarkRole.DROPPED, athlete=None, index=None,
                crossing=None))
        elif fix.action is Action.ASSIGN and fix.mark in where:
            number, athlete = where[fix.mark], fix.athletes[0]
            record = Record(tuple(reps), tuple(missed), tuple(fixed))
            rep = rep_holding(record, athlete, fixed[number].judged.at)
            if rep is not None:
                fixed[number] = replace(fixed[number], judged=replace(
                    fixed[number].judged, role=MarkRole.CROSSING, athlete=athlete,
                    index=rep.index, crossing=max(1, crossings[athlete][rep.index - 1])))
    return fixed
