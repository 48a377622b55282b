"""Fixing a group's record afterwards: swap a pass, give a mark to a missed athlete, drop a
bogus one, undo; the record as recorded is never changed."""

from __future__ import annotations

import pytest

from engine_helpers import cross, walk
from group_helpers import group_engine, start
from trackside.core.events import MarkJudged, MarkRole, RepMissed, RepRecorded
from trackside.core.fixes import Action, Fix, Mark, Record, check, corrected

NAMES = ("ANA", "BEN", "CAM")


def _record(crossings: list[float]) -> tuple[Record, list[list[int]]]:
    """Three athletes, one 400 m at 60, 64 and 68 s, the beam seeing `crossings`."""
    engine = group_engine("400m @pace", [60, 64, 68])
    effects = start(engine)
    for at in crossings:
        effects += cross(engine, at)
    effects += walk(engine, 500.0)
    marks = tuple(Mark(number, mark) for number, mark in
                  enumerate((e for e in effects if isinstance(e, MarkJudged)), start=1))
    reps = tuple(e for e in effects if isinstance(e, RepRecorded))
    missed = tuple(e for e in effects if isinstance(e, RepMissed))
    return Record(reps, missed, marks), [[1], [1], [1]]


def _fixed(record: Record, crossings: list[list[int]], *fixes: Fix) -> Record:
    return corrected(record.reps, record.missed, record.marks, fixes, crossings)


def _times(record: Record) -> dict[int, float | None]:
    times: dict[int, float | None] = {rep.athlete or 0: round(rep.duration_s, 2)
                                      for rep in record.reps}
    times |= {rep.athlete: None for rep in record.missed}
    return times


def _fix(number: int, action: Action, **fields: object) -> Fix:
    return Fix(number, action, "2026-05-02T18:00:00+00:00", "coach", **fields)  # type: ignore[arg-type]


def test_no_fix_leaves_every_rep_exactly_as_recorded() -> None:
    record, crossings = _record([65.0, 69.0, 73.0])
    assert _fixed(record, crossings) == record


def test_a_swap_gives_two_athletes_each_others_marks_in_that_rep() -> None:
    record, crossings = _record([65.0, 69.0, 73.0])  # Ben passed Ana: the beam cannot tell
    fixed = _fixed(record, crossings, _fix(1, Action.SWAP, index=1, athletes=(0, 1)))
    assert _times(fixed) == {0: 64.0, 1: 60.0, 2: 68.0}


def test_a_mark_that_is_no_ones_can_be_an_athletes_finish() -> None:
    record, crossings = _record([65.0, 69.0, 95.0])  # Cam ran 90 s: after his window closed
    assert _times(record) == {0: 60.0, 1: 64.0, 2: None}
    late = record.marks[-1]
    assert late.judged.role is MarkRole.IGNORED  # the set was over: kept, no one's
    fix = _fix(1, Action.ASSIGN, mark=late.id, athletes=(2,))
    check(fix, record, NAMES)
    assert _times(_fixed(record, crossings, fix)) == {0: 60.0, 1: 64.0, 2: 90.0}


def test_a_dropped_mark_is_no_ones_and_an_undo_brings_it_back() -> None:
    record, crossings = _record([65.0, 69.0, 73.0])
    drop = _fix(1, Action.DROP, mark=2)
    assert _times(_fixed(record, crossings, drop)) == {0: 60.0, 1: None, 2: 68.0}
    undo = _fix(2, Action.UNDO, undoes=1)
    assert _fixed(record, crossings, drop, undo) == record


def test_every_mark_is_still_there_after_the_fixes() -> None:
    record, crossings = _record([65.0, 69.0, 73.0])
    fixed = _fixed(record, crossings, _fix(1, Action.DROP, mark=2))
    assert [mark.judged.at for mark in fixed.marks] == [65.0, 69.0, 73.0]
    assert fixed.marks[1].judged.role is MarkRole.DROPPED


@pytest.mark.parametrize(("fix", "message"), [
    (_fix(1, Action.ASSIGN, mark=1, athletes=(1,)), "mark 1 is ANA's in rep 1: swap it"),
    (_fix(1, Action.ASSIGN, mark=9, athletes=(1,)), "there is no mark 9"),
    (_fix(1, Action.SWAP, index=2, athletes=(0, 1)), "ANA did not run rep 2"),
    (_fix(1, Action.SWAP, index=1, athletes=(0, 0)), "two different athletes"),
])
def test_a_fix_that_cannot_be_made_says_why(fix: Fix, message: str) -> None:
    record, _ = _record([65.0, 69.0, 73.0])
    with pytest.raises(ValueError, match=message):
        check(fix, record, NAMES)


def test_a_mark_cannot_go_to_an_athlete_who_has_a_time() -> None:
    record, _ = _record([40.0, 65.0, 69.0, 73.0])  # 40: too soon for anyone
    (unexpected,) = [mark for mark in record.marks if mark.judged.role is MarkRole.UNEXPECTED]
    with pytest.raises(ValueError, match="BEN has a time in rep 1: drop its finish mark"):
        check(_fix(1, Action.ASSIGN, mark=unexpected.id, athletes=(1,)), record, NAMES)
