"""Whiteboard phrasings, each with the plain English a coach should read back from `show`.

This table grows with every phrasing a coach tries: add the phrasing as written and the
reading that coach meant. A phrasing Trackside cannot read without guessing goes in
REFUSED, with the column it points at and the words it must say.
"""

from __future__ import annotations

import pytest

from trackside.core.errors import UserError
from trackside.core.notation import read_notation
from trackside.core.reading import plan_sentences

PACE = 0.295  # 4:55/km, for '@pace'
TOP_SPEED = 8.0  # m/s, for percentages

READINGS = [
    ("4x400m @75s r60", ["4 x 400 m @ 1:15.0, 1:00 rest between"]),
    ("3x(4x400m @4:55/km r60,45,30) sb3:00-4:00",
     ["3 sets of 4 x 400 m @ 1:58.0, rests of 1:00, 45 s and 30 s, set breaks of 3:00-4:00 "
      "(ended by a press after 3:00, by itself at 4:00)"]),
    ("3x4x400m @4:55/km r60 sb3:30",
     ["3 sets of 4 x 400 m @ 1:58.0, 1:00 rest between, set breaks of 3:30, ended by a press"]),
    # The seed of hard-kick-500: 2:00 between every two intervals, all in one set.
    ("4x400m @4:55/km r2:00; 2x(400m @4:55/km +100m @max) r2:00",
     ["4 x 400 m @ 1:58.0, 2:00 rest between, then 2:00 rest (the same as between its reps: "
      "nothing was written between the blocks)",
      "2 x 400 m @ 1:58.0 then straight into 100 m max, 2:00 rest between, start 100 m "
      "before the line"]),
    ("4x400m @4:55/km r2:00; r2:00; 2x(400m @4:55/km +100m @max) r2:00",
     ["4 x 400 m @ 1:58.0, 2:00 rest between, then 2:00 rest",
      "2 x 400 m @ 1:58.0 then straight into 100 m max, 2:00 rest between, start 100 m "
      "before the line"]),
    ("6x(1:00 r1:00)", ["6 x 1:00, 1:00 rest between"]),
    ("8x30s r30", ["8 x 30 s, 30 s rest between"]),
    ("wu15:00; 6x200m @32s r90; cd10:00",
     ["15:00 warm-up", "6 x 200 m @ 32.0 s, 1:30 rest between, start 200 m before the line",
      "10:00 cool-down"]),
    ("wu15:00-20:00; 6x200m @32s r90; cd10-15",
     ["15:00-20:00 warm-up: it ends on a press, or by itself at 20:00",
      "6 x 200 m @ 32.0 s, 1:30 rest between, start 200 m before the line",
      "10:00-15:00 cool-down: it ends on a press, or by itself at 15:00"]),
    ("4x10 squat r2:00; 3x10m bounds @max r1:30",
     ["4 x (10 × squat), each ended by a press, 2:00 rest between, then 2:00 rest (the same "
      "as between its reps: nothing was written between the blocks)",
      "3 x 10 m bounds max, 1:30 rest between, start 10 m before the line"]),
    ("3x3 squat @90% r3:00", ["3 x (3 × squat @ 90%), each ended by a press, 3:00 rest between"]),
    ("4x10 box jumps r90", ["4 x (10 × box jumps), each ended by a press, 1:30 rest between"]),
    ("3X4X400M @3:45/KM R60/45/30 SB 3:00",
     ["3 sets of 4 x 400 m @ 1:30.0, rests of 1:00, 45 s and 30 s, set breaks of 3:00, "
      "ended by a press"]),
    ("4 x 400 m @ 75s r 60, 45, 30", ["4 x 400 m @ 1:15.0, rests of 1:00, 45 s and 30 s"]),
    ("10 x 200m @ 30s r 1:00",
     ["10 x 200 m @ 30.0 s, 1:00 rest between, start 200 m before the line"]),
    ('4x400m @75s r60"', ["4 x 400 m @ 1:15.0, 1:00 rest between"]),
    ("4x400m @75s r1'30", ["4 x 400 m @ 1:15.0, 1:30 rest between"]),
    ("6x400m @75s r200m jog",
     ["6 x 400 m @ 1:15.0, a 200 m jog between (it ends when the athlete is back, usually "
      "after about 1:24)"]),
    ("6x400m @75s r 200 m walk",
     ["6 x 400 m @ 1:15.0, a 200 m walk between (it ends when the athlete is back, usually "
      "after about 1:24)"]),
    ("4x400m @75s r60; sb5:00; 4x200m @35s r30",
     ["4 x 400 m @ 1:15.0, 1:00 rest between, then a set break of 5:00, ended by a press",
      "4 x 200 m @ 35.0 s, 30 s rest between, start 200 m before the line"]),
    ("2x(3x200m @32s r30) sb2:00",
     ["2 sets of 3 x 200 m @ 32.0 s, 30 s rest between, set breaks of 2:00, ended by a press, "
      "start 200 m before the line"]),
    ("3x(400m @60s) sb2:00",
     ["3 sets of 400 m @ 1:00.0, set breaks of 2:00, ended by a press"]),
    ("400m @50s sp100m", ["400 m @ 50.0 s, a beep at the target time of every 100 m"]),
    ("400m @72-75s", ["400 m @ 72-75s"]),
    ("6x300m @80-95% r3:00", ["6 x 300 m @ 80-95%, 3:00 rest between, start 300 m before the line"]),
    ("4x400m @pace r60", ["4 x 400 m @ 1:58.0, 1:00 rest between"]),
    ("4x400m @8m/s r60", ["4 x 400 m @ 50.0 s, 1:00 rest between"]),
    ("5x1mi @7:50/mi r2:00", ["5 x 1 mi @ 7:50.0, 2:00 rest between, start 9.3 m before the line"]),
    ("1.2km @4:00/km", ["1.2 km @ 4:48.0"]),
]


@pytest.mark.parametrize(("phrasing", "reading"), READINGS)
def test_a_whiteboard_phrasing_reads_back_as_the_coach_meant_it(
    phrasing: str, reading: list[str]
) -> None:
    loaded = read_notation(phrasing, pace=PACE, max_speed=TOP_SPEED)
    assert plan_sentences(loaded.plan) == reading
    assert loaded.warnings == ()


WARNED = [
    ("4x400 r60", "column 3: 400 has no unit, so each rep is a count of 400, ended by a press: "
                  "did you mean 400m?"),
    ("4x400m r60 sb3; 4x200m r30", "column 12: set break: sb3 is 3 seconds: did you mean "
                                   "sb3:00?"),
    ("400m @50s r60", "column 11: rest: never used: the rep before it is followed by the end"),
    ("4x400m r60 sb3:00", "column 12: set break: never used: no set follows it"),
    ("400m @60s sp400m", "column 11: splits: never used: a 400 m rep has no split every 400 m "
                         "before its finish"),
]


@pytest.mark.parametrize(("phrasing", "warning"), WARNED)
def test_a_phrasing_read_one_way_but_worth_a_second_look_is_warned_about(
    phrasing: str, warning: str
) -> None:
    assert f"notation, {warning}" in read_notation(phrasing).warnings


REFUSED = [
    ("3x4x400 @3:45/km r60 sb3:00", 5, "400 has no unit, so it is a count (ended by a press) "
     "and a count takes no time target: did you mean 400m?"),
    ("3x(400m r60) sb2:00", 9, "3x(400m r60) sb2:00 reads two ways: 3 sets of one rep with "
     "sb2:00 between them (r60 never used), or 3 reps with r60 between them and sb2:00 after "
     "them (write 3x400m r60 sb2:00)"),
    ("3x(4x400m r60) r2:00", 16, "r2:00 after a bracket of several reps reads two ways: the "
     "break between its sets (write sb instead) or the rest before the next block"),
    ("2x(400m r60) r90", 14, "rest is written twice, r60 inside the brackets and r90 after "
     "them: write it once"),
    ("4x400m @75s r60; r3:00", 18, "a rest or set break between blocks needs a block after it"),
    ("r3:00; 4x400m r60", 1, "r3:00 between blocks comes after a block"),
    ("4x400m r60,45,30,20; r3:00; 200m", 22, "the rest after the block's last rep is already "
     "given"),
    ("3x4x400m r60; r2:00; 200m", 15, "the block before ends with a set break"),
    ("4x400m r200m,400m", 8, "a jog is one distance for every gap"),
    ("4x400m @75s r60 fast", 17, "'fast' is not understood here"),
    ("400m @10s", 7, "400 m in 10.0 is faster than anyone has run (12.5 m/s"),
    ("4x400m @0:30/km r60", 9, "0:30/km is faster than anyone has run"),
    ("400m sp100m @60s", 13, "'@' is not understood here"),
    ("400m @60s sp5m", 11, "split beeps are at least 10 m apart (got 5 m)"),
    ("400m sp100m", 6, "split beeps sound at target times, and this rep has no target time"),
    ("200km", 1, "distance: must be at most 100 km (got 200 km)"),
    ("60km +50km", 1, "a rep is at most 100 km (this one is 110 km)"),
    ("3x(40km +40km) r60", 1, "a plan covers at most 200 km (this one covers 240 km)"),
    ("501x100m r10", 1, "reps: must be 200 or less (got 501)"),
    ("3x200x400m r10", 1, "a plan has at most 500 reps (this one has 600)"),
    ("wu5:00:00; 400m", 3, "warmup: must be at most 4:00:00 (got 5:00:00)"),
    ("wu20-15; 400m", 3, "warmup: a range goes from the shorter to the longer time"),
    ("4x400m @75s r99999999999", 13, "must be at most 4:00:00"),
    ("2001x", 1, "'2001x' is not a distance"),
    ("400m " + "+100m " * 20, 120, "a rep has at most 20 segments"),
]


@pytest.mark.parametrize(("phrasing", "column", "words"), REFUSED)
def test_a_phrasing_that_cannot_be_read_without_a_guess_is_refused_at_its_column(
    phrasing: str, column: int, words: str
) -> None:
    with pytest.raises(UserError) as caught:
        read_notation(phrasing, pace=PACE, max_speed=TOP_SPEED)
    message = str(caught.value)
    assert message.startswith(f"notation, column {column}: ")
    assert words in message
    assert "\n" not in message
