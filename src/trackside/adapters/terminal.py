"""The terminal view: the same information as the window, in block digits and ANSI colour.

Rules for this module:
  1. Same methods as the window (`show`, `next_change`, `poll`, `close`), so the app can
     fall back to it when there is no display, and use it over SSH.
  2. On a terminal it draws on the alternate screen, only the cells that changed
     (`cell_grid`), and every cell every `REFRESH_S` seconds: text another program wrote
     there (a log line, a wall message) is painted over. To a pipe or a file it writes one
     plain line per change, no escape codes.
  3. Keys are read only from a terminal, in cbreak mode (no Enter needed), restored on
     close: space = the button (press and release: a terminal has no key-up), l = a beam
     crossing, q = quit. From a pipe no keys are read.
"""

from __future__ import annotations

import os
import select
import sys
import termios
import tty
from typing import TextIO

from trackside.adapters.block_digits import ROWS, big, width
from trackside.adapters.cell_grid import Grid, Segment, changes, grid
from trackside.clock import Clock
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Crossing,
    Input,
    Phase,
    QuitRequested,
    SensorState,
)
from trackside.core.readout import (
    SENSOR_WORDS,
    Readout,
    SummaryReadout,
    key_poll_s,
    plain_text,
    readout,
    seconds_to_change,
    summary,
)
from trackside.core.view import View

_DEFAULT_SIZE = (80, 24)
REFRESH_S = 5.0
_PHASE_COLOURS = {  # xterm 256-colour numbers, the window's hues
    Phase.READY: 15, Phase.WARMUP: 208, Phase.LEAD_IN: 226, Phase.REP: 46, Phase.REST: 196,
    Phase.SET_BREAK: 33, Phase.COOLDOWN: 44, Phase.PAUSED: 245, Phase.FINISHED: 135,
}
_GOOD, _BAD, _DIM, _NOTICE, _BLACK = 46, 196, 250, 214, 16
_SENSOR_COLOURS = {SensorState.NONE: _DIM, SensorState.ONLINE: _GOOD, SensorState.LOST: _BAD}


Line = list[Segment]


def _fg(colour: int, text: str) -> Segment:
    return (f"1;38;5;{colour}", text)


def _on(colour: int, text: str) -> Segment:
    return (f"1;38;5;{_BLACK};48;5;{colour}", text)


class TerminalScreen:
    def __init__(self, clock: Clock, stream: TextIO = sys.stdout, keys: TextIO | None = sys.stdin
                 ) -> None:
        self._clock = clock
        self._stream = stream
        self._tty = stream.isatty()
        self._grid: Grid | None = None  # what the terminal shows now (None: not known)
        self._refreshed_at = float("-inf")
        self._line = ""  # the last line written to a pipe
        self._closed = False
        self._keys_fd: int | None = None
        self._saved_mode: list | None = None
        if keys is not None and keys.isatty():
            self._keys_fd = keys.fileno()
            self._saved_mode = termios.tcgetattr(self._keys_fd)
            tty.setcbreak(self._keys_fd)
        if self._tty:
            self._write("\x1b[?1049h\x1b[?25l")  # alternate screen, hidden cursor

    def show(self, view: View, now: float) -> None:
        content = summary(view) if view.phase is Phase.FINISHED else readout(view)
        if not self._tty:
            if (line := plain_text(content) + "\n") != self._line:
                self._line = line
                self._write(line)
            return
        size = self._size()
        lines = _summary_lines(content, size[0]) if isinstance(content, SummaryReadout) else \
            _live_lines(content, size)
        after = grid(lines, size)
        before = self._grid
        if before is not None and (len(before), len(before[0])) != (len(after), len(after[0])):
            before = None  # a new size: the terminal has moved the old cells about
        if now - self._refreshed_at >= REFRESH_S:
            before = None
        if before is None:
            self._refreshed_at = now
        if after != before:
            self._write(changes(before, after))
            self._grid = after

    def forget(self) -> None:
        """Write every cell at the next `show`, as if the screen showed anything."""
        self._grid = None

    def next_change(self, view: View, now: float) -> float | None:
        wait = seconds_to_change(view, tenths=self._tty)  # a log line a second is plenty
        if self._keys_fd is not None:  # keys are read when polled: come back for them
            poll = key_poll_s(view)
            wait = poll if wait is None else min(wait, poll)
        return None if wait is None else now + wait

    def poll(self, now: float) -> list[Input]:
        if self._keys_fd is None:
            return []
        inputs: list[Input] = []
        while select.select([self._keys_fd], [], [], 0)[0]:
            data = os.read(self._keys_fd, 64)
            if not data:  # the terminal went away
                self._keys_fd = None
                break
            at = self._clock.now()
            for char in data.decode(errors="ignore").lower():
                if char == " ":
                    inputs += [ButtonPressed(at=at), ButtonReleased(at=at)]
                elif char == "l":
                    inputs.append(Crossing(at=at, raw="key l"))
                elif char == "q":
                    inputs.append(QuitRequested(at=at))
        return inputs

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._saved_mode is not None and self._keys_fd is not None:
            termios.tcsetattr(self._keys_fd, termios.TCSADRAIN, self._saved_mode)
        if self._tty:
            self._write("\x1b[?25h\x1b[?1049l")

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()

    def _size(self) -> tuple[int, int]:
        try:
            return tuple(os.get_terminal_size(self._stream.fileno()))  # type: ignore[return-value]
        except (AttributeError, OSError, ValueError):
            return _DEFAULT_SIZE


def _live_lines(content: Readout, size: tuple[int, int]) -> list[Line]:
    columns, rows = size
    colour = _PHASE_COLOURS[content.phase]
    band = f" {content.word}".ljust(columns - len(content.where) - 1) + content.where + " "
    lines: list[Line] = [[_on(colour, band[:columns])], []]
    if content.number is None:
        lines += [[], [_fg(15, content.headline.center(columns))], []]
    else:
        text = content.number.text()
        scale = _scale(text, columns, rows)
        digits = [line.center(columns) for line in big(text, scale)]
        if content.flash is None:
            lines += [[_fg(15, line)] for line in digits]
        else:
            lines += [[_on(_PHASE_COLOURS[content.flash], line)] for line in digits]
    lines.append([])
    if content.progress is not None:
        filled = round(content.progress * (columns - 2))
        empty = columns - 2 - filled
        lines.append([_PLAIN, _fg(colour, "█" * filled), _fg(238, "░" * empty)])
    if content.target:
        lines.append([_PLAIN, _fg(15, content.target)])
    if content.last:
        last = content.last
        delta = _fg(_GOOD if last.good else _BAD, last.delta) if last.delta else ("", "")
        lines.append([_PLAIN, _fg(_DIM, "LAST "), _fg(15, last.time), ("", "  "), delta])
    if content.next:
        lines.append([_PLAIN, _fg(_DIM, "NEXT "), _fg(15, content.next.removeprefix("NEXT "))])
    if content.prompt:
        lines.append([_PLAIN, _on(colour, f" {content.prompt} ")])
    status = [_PLAIN, _fg(_SENSOR_COLOURS[content.sensor], SENSOR_WORDS[content.sensor])]
    if content.resumed:
        status += [("", "   "), _fg(_NOTICE, "RESUMED SESSION")]
    if content.notice:
        status += [("", "   "), _fg(_BAD, content.notice)]
    lines += [[], status + [("", "   "), _fg(_DIM, content.plan_name)]]
    return lines


_PLAIN: Segment = ("", " ")  # the margin before a row of text


def _scale(text: str, columns: int, rows: int) -> int:
    """The largest block size that fits beside the ten or so lines of text."""
    for scale in (3, 2):
        if width(text, scale) <= columns - 2 and ROWS * scale <= rows - 11:
            return scale
    return 1


def _summary_lines(content: SummaryReadout, columns: int) -> list[Line]:
    colour = _PHASE_COLOURS[Phase.FINISHED]
    band = f" {content.title}".ljust(columns - len(content.plan_name) - 1) + content.plan_name
    lines: list[Line] = [[_on(colour, band[:columns].ljust(columns))], []]
    line: Line = []
    used = 0
    for stat in content.stats:  # as many figures a line as fit
        if used and used + len(stat.label) + len(stat.value) + 4 > columns:
            lines.append(line)
            line, used = [], 0
        colour = 15 if stat.good is None else _GOOD if stat.good else _BAD
        line += [("", "  "), _fg(_DIM, stat.label + " "), _fg(colour, stat.value)]
        used += len(stat.label) + len(stat.value) + 3
    lines.append(line)
    lines += [[], [_PLAIN, _fg(_DIM, f"{'REP':>4} {'TIME':>8} {'TARGET':>7} {'+/-':>7}")]]
    values = [rep.duration_s for rep in content.reps] + [
        rep.target_s for rep in content.reps if rep.target_s is not None]
    bar_width = max(0, columns - 32)
    for rep in content.reps:
        delta: Segment = ("", rep.timed.delta.rjust(7))
        if rep.timed.delta:
            delta = _fg(_GOOD if rep.timed.good else _BAD, delta[1])
        row = f"{rep.label:>4} {rep.timed.time:>8} {rep.target:>7} "
        lines.append([_PLAIN, _fg(15, row), delta, ("", "  "),
                      _bar(rep.duration_s, rep.target_s, values, bar_width, rep.timed.good)])
    if not content.reps:
        lines.append([("", " NO REPS RECORDED")])
    return lines


def _bar(seconds: float, target_s: float | None, values: list[float], columns: int,
         good: bool | None) -> Segment:
    """A rep's time as a bar, the target as a '|' in it; the floor is not zero (see fade)."""
    if columns < 4:
        return ("", "")
    low, high = min(values), max(values)
    spread = max(high - low, 0.05 * high)
    floor, ceiling = max(0.0, low - spread), high + 0.15 * spread

    def at(value: float) -> int:
        return min(columns - 1, round((value - floor) / (ceiling - floor) * columns))

    cells = ["█"] * at(seconds) + [" "] * (columns - at(seconds))
    if target_s is not None:
        cells[at(target_s)] = "|"
    colour = _DIM if good is None else (_GOOD if good else _BAD)
    return _fg(colour, "".join(cells).rstrip())
