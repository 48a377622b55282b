"""One button, three gestures: a press (at the moment it went down), a hold, a long hold."""

import pytest

from trackside.core.events import Command, Commanded
from trackside.core.gestures import ButtonGestures


def test_a_short_press_is_a_press_at_the_moment_the_button_went_down() -> None:
    gestures = ButtonGestures(hold_s=2.0, long_hold_s=5.0)
    gestures.pressed(10.0)
    assert gestures.deadline() == 12.0  # when it would become a hold
    assert gestures.released(10.3) == [Commanded(10.0, Command.PRESS)]
    assert gestures.deadline() is None


def test_held_down_it_becomes_a_hold_then_a_long_hold_each_at_its_own_time() -> None:
    gestures = ButtonGestures(hold_s=2.0, long_hold_s=5.0)
    gestures.pressed(10.0)
    assert gestures.due(11.9) == []
    assert gestures.due(12.0) == [Commanded(12.0, Command.HOLD)]
    assert gestures.deadline() == 15.0
    assert gestures.due(30.0) == [Commanded(15.0, Command.LONG_HOLD)]  # however late we look
    assert gestures.deadline() is None
    assert gestures.released(31.0) == []  # letting go after a hold is not a press


def test_a_release_gives_the_holds_it_passed_first() -> None:
    gestures = ButtonGestures(hold_s=2.0, long_hold_s=5.0)
    gestures.pressed(0.0)
    assert gestures.released(2.5) == [Commanded(2.0, Command.HOLD)]


def test_a_release_with_no_press_and_a_second_press_while_down_are_ignored() -> None:
    gestures = ButtonGestures()
    assert gestures.released(1.0) == []
    gestures.pressed(2.0)
    gestures.pressed(2.5)  # a bounce the debouncer let through
    assert gestures.released(2.6) == [Commanded(2.0, Command.PRESS)]


@pytest.mark.parametrize(("hold_s", "long_hold_s"), [(0.0, 5.0), (5.0, 5.0), (6.0, 5.0)])
def test_a_hold_must_be_shorter_than_a_long_hold(hold_s: float, long_hold_s: float) -> None:
    with pytest.raises(ValueError, match="hold_s"):
        ButtonGestures(hold_s, long_hold_s)
