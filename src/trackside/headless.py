"""Headless mode: a one-line status on the terminal, control lines on standard input.

Control lines: `press`, `hold` (a 2 s hold: pause or resume), `end` (a 5 s hold: end the
session), `lap` (a simulated beam crossing) and `quit`. The reader thread only stamps and
enqueues; a scripted hold is a press now and a release stamped in the future.
"""

from __future__ import annotations

import logging
import threading
from typing import IO

from trackside.clock import Clock
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Crossing,
    Input,
    Phase,
    QuitRequested,
)
from trackside.core.readout import plain_text, readout, seconds_to_change, summary
from trackside.core.view import View
from trackside.inbox import Inbox

log = logging.getLogger(__name__)

TAP_S = 0.1
HOLDS_S = {"hold": 2.05, "end": 5.05}  # a touch longer than the engine's thresholds


def control_inputs(word: str, at: float) -> list[Input] | None:
    """The inputs one control line stands for, or None if it is not a control word."""
    match word.strip().lower():
        case "press" | "p" | "":
            return [ButtonPressed(at), ButtonReleased(at + TAP_S)]
        case ("hold" | "end") as hold:
            return [ButtonPressed(at), ButtonReleased(at + HOLDS_S[hold])]
        case "lap" | "l":
            return [Crossing(at, raw="stdin")]
        case "quit" | "q":
            return [QuitRequested(at)]
    return None


class StdinControls:
    """Reads control lines on a daemon thread (a blocked read cannot be interrupted)."""

    def __init__(self, stream: IO[str], inbox: Inbox, clock: Clock) -> None:
        self._stream, self._inbox, self._clock = stream, inbox, clock
        self._free_at = float("-inf")  # a scripted hold keeps the button down until then
        self._thread = threading.Thread(target=self._read, name="stdin-controls", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        for line in self._stream:
            at = max(self._clock.now(), self._free_at)  # lines typed ahead queue up
            inputs = control_inputs(line, at)
            if inputs is None:
                log.warning("unknown control %r: use press, hold, end, lap or quit", line.strip())
                continue
            for item in inputs:
                self._inbox.put(item)
            self._free_at = max(item.at for item in inputs)

    def close(self) -> None:
        pass  # the daemon thread ends with the process


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
        key = (view.phase, view.rep_index, view.prompt, view.paused_phase, view.sensor,
               view.notice, view.phone)
        if view.phase is Phase.FINISHED:
            if key != self._last_key:
                self._line(plain_text(summary(view)))
            self._last_key = key
            return
        text = plain_text(readout(view))
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
