"""Headless mode: control lines on stdin become whole gestures; the status line on stdout."""

import io
import threading
from dataclasses import replace

import pytest
from view_factory import PHASE_VIEWS

from trackside.adapters.headless import StatusLine, control_input, read_controls
from trackside.core.events import Command, Commanded, Crossing, Input, QuitRequested, Source
from trackside.runtime.clock import FakeClock


@pytest.mark.parametrize(("line", "meant"), [
    ("press\n", Commanded(7.0, Command.PRESS, Source.KEYBOARD)),
    ("\n", Commanded(7.0, Command.PRESS, Source.KEYBOARD)),
    ("HOLD\n", Commanded(7.0, Command.HOLD, Source.KEYBOARD)),
    ("end\n", Commanded(7.0, Command.LONG_HOLD, Source.KEYBOARD)),
    (" lap \n", Crossing(7.0, raw="stdin")),
    ("q\n", QuitRequested(7.0)),
    ("jump\n", None),
])
def test_each_control_line_is_one_whole_gesture_stamped_when_read(
        line: str, meant: Input | None) -> None:
    assert control_input(line, 7.0) == meant


def test_the_reader_puts_every_known_line_and_warns_about_the_rest(
        caplog: pytest.LogCaptureFixture) -> None:
    got: list[Input] = []
    done = threading.Event()

    def put(item: Input) -> None:
        got.append(item)
        if isinstance(item, QuitRequested):
            done.set()

    read_controls(io.StringIO("press\nwhat\nend\nquit\n"), put, FakeClock(t=3.0))
    assert done.wait(timeout=2.0)
    assert got == [Commanded(3.0, Command.PRESS, Source.KEYBOARD),
                   Commanded(3.0, Command.LONG_HOLD, Source.KEYBOARD), QuitRequested(3.0)]
    assert "unknown control 'what'" in caplog.text


def test_in_a_pipe_the_status_line_is_printed_once_per_change_with_any_notice() -> None:
    out = io.StringIO()
    status = StatusLine(out)
    rest = PHASE_VIEWS["rest"]
    status.show(rest, 0.0)
    status.show(rest, 0.5)  # the same phase and rep: nothing new to say in a log
    status.show(replace(rest, notice="NOT LOGGING: disk full"), 1.0)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].startswith("REST 45")
    assert lines[1].endswith("NOT LOGGING: disk full")
