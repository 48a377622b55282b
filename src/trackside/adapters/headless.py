"""Headless mode: a one-line status on the terminal, control lines on standard input.

Control lines: `press`, `hold` (pause or resume), `end` (end the session, everything kept),
`lap` (a beam crossing) and `quit`. Each is a whole gesture, stamped when its line is read:
the reader thread only stamps and puts; the engine decides what it means. A gesture's
source is the keyboard, so a rep a typed press ends is stored, logged and exported as one.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import IO

from trackside.core.events import (
    Command,
    Commanded,
    Crossing,
    Input,
    Phase,
    QuitRequested,
    Source,
)
from trackside.core.readout import content, plain_text, seconds_to_change
from trackside.core.view import View
from trackside.runtime.clock import Clock

log = logging.getLogger(__name__)

_COMMANDS = {"press": Command.PRESS, "p": Command.PRESS, "": Command.PRESS,
             "hold": Command.HOLD, "end": Command.LONG_HOLD}


def control_input(word: str, at: float) -> Input | None:
    """The input one control line stands for, or None if it is not a control word."""
    word = word.strip().lower()
    if word in _COMMANDS:
        return Commanded(at, _COMMANDS[word], Source.KEYBOARD)
    if word in ("lap", "l"):
        return Crossing(at, raw="stdin")
    if word in ("quit", "q"):
        return QuitRequested(at)
    return None


def read_controls(stream: IO[str] | None, put: Callable[[Input], None], clock: Clock) -> None:
    """Put the input of each control line, on a daemon thread: a blocked read cannot be
    interrupted, so the thread ends with the process.

    Standard input closed (`run <&-`) or failing (a terminal that went away) is said once;
    the button and the beam time on without it.
    """
    if stream is None:  # said now, on the caller's thread: a quick quit cannot cut it off
        log.warning("no standard input: control lines are off, the button still works")
        return

    def read() -> None:
        try:
            for line in stream:
                item = control_input(line, clock.now())
                if item is None:
                    log.warning("unknown control %r: use press, hold, end, lap or quit",
                                line.strip())
                else:
                    put(item)
        except (OSError, ValueError) as exc:
            log.warning("standard input failed (%s): control lines are off, the button "
                        "still works", exc)

    threading.Thread(target=read, name="stdin-controls", daemon=True).start()


class StatusLine:
    """A Screen that prints one status line per change of phase or rep, and the summary.

    On a terminal the line is rewritten in place as the clock moves; in a pipe or a log it
    is printed once per phase or rep, so the output stays readable.
    """

    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self._live = out.isatty()
        self._last_key: tuple[object, ...] | None = None
        self._last_text = ""

    def show(self, view: View, now: float) -> None:
        # A new line for a new fault, not for each count of what waits ('12 lines waiting');
        # a group's: a line for each finish and each GO called.
        group = view.group
        key = (view.plan_name, view.phase, view.rep_index, view.prompt, view.paused_phase,
               view.sensor, re.sub(r"\d+", "#", view.notice), view.phone,
               group and (group.finishers, group.unexpected,
                          tuple(call.name for call in group.calls if call.in_s <= 0)))
        text = plain_text(content(view))
        if view.phase is Phase.FINISHED:
            if key != self._last_key:
                self._line(text)
            self._last_key = key
            return
        if self._live and text != self._last_text:
            self._out.write("\r\033[K" + text)
            self._out.flush()
        elif not self._live and key != self._last_key:
            self._line(text)
        self._last_key, self._last_text = key, text

    def _line(self, text: str) -> None:
        self._out.write(("\r\033[K" if self._live else "") + text + "\n")
        self._out.flush()

    def next_change(self, view: View, now: float) -> float | None:
        """When the clock's shown value next changes, if the line is rewritten live."""
        if not self._live:
            return None
        wait = seconds_to_change(view, tenths=False)
        return None if wait is None else now + wait

    def poll(self, now: float) -> list[Input]:
        return []

    def close(self) -> None:
        if self._live:
            self._out.write("\n")
            self._out.flush()
