"""The group benchmark's own work, small: every crossing of a group is timed, on the fake clock
(the figures themselves depend on the machine: `trackside bench --only group`)."""

from trackside.bench.group import _assignment


def test_every_crossing_of_a_group_of_twelve_is_timed_through_the_engine_and_the_screen() -> None:
    engine, whole = _assignment("2x800m @pace r60", 12)
    # 2 reps x 12 athletes x 2 crossings, and the doubles and leavings among them
    assert engine.count == whole.count >= 48
    assert 0 < engine.median <= whole.median
