"""The terminal view: the same information as the window, in block digits and ANSI colour.

Rules for this module:
  1. Same methods as the window (`show`, `next_change`, `poll`, `close`), so the app can
     fall back to it when there is no display, and use it over SSH.
  2. On a terminal it draws on the alternate screen, only the cells that changed
     (`cell_grid`), and every cell every `REFRESH_S` seconds: text another program wrote
     there (a log line, a wall message) is painted over. To a pipe or a file it writes one
     plain line per change, no escape codes.
  3. On closing, a terminal gets its own screen back with the session's summary left on
     it, so quitting never wipes the figures.
  4. A terminal that cannot show block characters (`PYTHONIOENCODING=ascii`, a serial
     console) gets '#' for them, and no QR code.
  5. Keys are read only from a terminal, in cbreak mode (no Enter needed), restored on
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
from trackside.adapters.cell_grid import Grid, Segment, changes, grid, styled
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Crossing,
    Input,
    Phase,
    QuitRequested,
    SensorState,
)
from trackside.core.group_readout import NO_TIME, GroupLines, GroupSummaryReadout, table_lines
from trackside.core.readout import (
    SENSOR_WORDS,
    Content,
    Readout,
    content,
    key_poll_s,
    phone_words,
    plain_text,
    seconds_to_change,
)
from trackside.core.summary_readout import Stat, SummaryReadout
from trackside.core.view import PhoneCard, View
from trackside.runtime.clock import Clock

_DEFAULT_SIZE = (80, 24)
REFRESH_S = 5.0
_PHASE_COLOURS = {  # xterm 256-colour numbers, the window's hues
    Phase.READY: 15, Phase.WARMUP: 208, Phase.LEAD_IN: 226, Phase.REP: 46, Phase.REST: 196,
    Phase.SET_BREAK: 33, Phase.COOLDOWN: 44, Phase.PAUSED: 245, Phase.FINISHED: 135,
}
_GOOD, _BAD, _DIM, _NOTICE, _BLACK = 46, 196, 250, 214, 16
_SENSOR_COLOURS = {SensorState.NONE: _DIM, SensorState.ONLINE: _GOOD, SensorState.LOST: _BAD,
                   SensorState.SIMULATED: _DIM}


Line = list[Segment]
_BLOCKS = "█░▀▄"  # the block digits, the bars and the QR code's half blocks...
_NO_BLOCKS = str.maketrans("█░", "#.")  # ...and what an ASCII terminal shows for them


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
        self._blocks = _shows(stream, _BLOCKS)
        self._grid: Grid | None = None  # what the terminal shows now (None: not known)
        self._refreshed_at = float("-inf")
        self._line = ""  # the last line written to a pipe
        self._content: Content | None = None
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
        shown = self._content = content(view)
        if not self._tty:
            if (line := plain_text(shown) + "\n") != self._line:
                self._line = line
                self._write(line)
            return
        size = self._size()
        after = grid(self._lines(shown, size), size)
        before = self._grid
        if before is not None and (len(before), len(before[0])) != (len(after), len(after[0])):
            before = None  # a new size: the terminal has moved the old cells about
        if now - self._refreshed_at >= REFRESH_S:
            before = None
        if before is None:
            self._refreshed_at = now
        if after != before:
            self._write(self._shown(changes(before, after)))
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
            if isinstance(self._content, SummaryReadout | GroupSummaryReadout):
                lines = _summary_lines(self._content, self._size()[0])
                self._write(self._shown("".join(styled(line) + "\n" for line in lines)))

    def _lines(self, shown: Content, size: tuple[int, int]) -> list[Line]:
        if isinstance(shown, SummaryReadout | GroupSummaryReadout):
            return _summary_lines(shown, size[0])
        return _live_lines(shown, size, qr=self._blocks)

    def _shown(self, text: str) -> str:
        """`text` as this terminal can show it (rule 4)."""
        return text if self._blocks else text.translate(_NO_BLOCKS)

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()

    def _size(self) -> tuple[int, int]:
        try:
            columns, rows = os.get_terminal_size(self._stream.fileno())
        except (AttributeError, OSError, ValueError):
            return _DEFAULT_SIZE
        return (columns, rows) if columns and rows else _DEFAULT_SIZE  # 0x0: nobody sized it


def _shows(stream: TextIO, chars: str) -> bool:
    """True if `stream` can encode `chars` (its encoding as set, or UTF-8)."""
    try:
        chars.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _live_lines(content: Readout, size: tuple[int, int], qr: bool = True) -> list[Line]:
    """The live screen; `qr`: the pairing card's QR code where it fits."""
    columns, rows = size
    colour = _PHASE_COLOURS[content.phase]
    band = f" {content.word}".ljust(columns - len(content.where) - 1) + content.where + " "
    lines: list[Line] = [[_on(colour, band[:columns])], []]
    if content.number is None:
        lines += [[], [_fg(15, content.headline.center(columns))], []]
    else:
        text = content.number.text()
        group_rows = 0 if content.group is None else len(content.group.finishers) + 1
        scale = _scale(text, columns, rows - group_rows)
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
        lines.append([_PLAIN, *_labelled(content.target)])
    if content.last:
        last = content.last
        delta = _fg(_GOOD if last.good else _BAD, last.delta) if last.delta else _NOTHING
        note = _fg(_NOTICE, "  " + last.note) if last.note else _NOTHING
        lines.append([_PLAIN, _fg(_DIM, "LAST "), _fg(15, last.time), ("", "  "), delta, note])
    if content.group is not None:
        lines += _group_lines(content.group, colour)
    if content.next:
        lines.append([_PLAIN, *_labelled(content.next)])
    if content.prompt:
        lines.append([_PLAIN, _on(colour, f" {content.prompt} ")])
    if content.phone:
        lines += _phone_lines(content.phone, columns, rows - len(lines) - 3 if qr else 0)
    status = [_PLAIN, _fg(_SENSOR_COLOURS[content.sensor], SENSOR_WORDS[content.sensor])]
    if content.resumed:
        status += [("", "   "), _fg(_NOTICE, "RESUMED SESSION")]
    if content.notice:
        status += [("", "   "), _fg(_BAD, content.notice)]
    lines += [[], status + [("", "   "), _fg(_DIM, content.plan_name)]]
    return lines


_PLAIN: Segment = ("", " ")  # the margin before a row of text
_NOTHING: Segment = ("", "")


def _group_lines(group: GroupLines, colour: int) -> list[Line]:
    """The call (and CHECK ORDER), then the finishers, newest first."""
    lines: list[Line] = []
    if group.call or group.check:
        gap = ("", "   " if group.call else "")
        lines.append([_PLAIN, _fg(colour, group.call), gap, _fg(_BAD, group.check)])
    for line in group.finishers:
        name = f"{line.name} #{line.rep}" if line.rep else line.name
        row: Line = [_PLAIN, _fg(15, name.ljust(8)), ("", " ")]
        if line.timed is None:
            row.append(_fg(_BAD, NO_TIME))
        else:
            timed = line.timed
            row += [_fg(15, timed.time), ("", "  ")]
            if timed.delta:
                row.append(_fg(_GOOD if timed.good else _BAD, timed.delta))
            if timed.note:
                row += [("", "  "), _fg(_NOTICE, timed.note)]
        lines.append(row)
    return lines


def _labelled(text: str) -> Line:
    """A row of text, its label dim: 'NEXT 400 m @ 1:05'."""
    label, _, rest = text.partition(" ")
    return [_fg(_DIM, "NEXT "), _fg(15, rest)] if label == "NEXT" else [_fg(15, text)]


def _phone_lines(card: PhoneCard, columns: int, room: int) -> list[Line]:
    """How a phone pairs: the address and the code, and the QR code where it fits in `room`
    rows (two rows of modules a line, dark on light whatever the terminal's colours)."""
    from trackside.adapters.qr import DARK_ON_LIGHT, modules, text_rows  # segno: the page's

    modules_ = modules(card.url)
    fits = len(modules_) + 1 <= columns and (len(modules_) + 1) // 2 + 2 <= room
    qr = [[_PLAIN, (DARK_ON_LIGHT, line)] for line in text_rows(modules_)]
    return [[], [_PLAIN, _fg(15, phone_words(card, spaced=True))], *(qr if fits else [])]


def _scale(text: str, columns: int, rows: int) -> int:
    """The largest block size that fits beside the ten or so lines of text."""
    for scale in (3, 2):
        if width(text, scale) <= columns - 2 and ROWS * scale <= rows - 11:
            return scale
    return 1


def _summary_lines(content: SummaryReadout | GroupSummaryReadout, columns: int) -> list[Line]:
    if isinstance(content, GroupSummaryReadout):
        return _group_summary_lines(content, columns)
    colour = _PHASE_COLOURS[Phase.FINISHED]
    band = f" {content.title}".ljust(columns - len(content.plan_name) - 1) + content.plan_name
    lines: list[Line] = [[_on(colour, band[:columns].ljust(columns))], []]
    lines += _stat_lines("", content.stats, columns)
    lines += [[], [_PLAIN, _fg(_DIM, f"{'REP':>4} {'TIME':>8} {'TARGET':>7} {'+/-':>7}")]]
    note_width = max((len(rep.timed.note) + 1 for rep in content.reps), default=0)
    bar_width = max(0, columns - 32 - note_width)
    for group in content.groups:  # each with its own figures and its own bar scale
        lines += _stat_lines(group.title, group.stats, columns)
        values = [rep.duration_s for rep in group.reps] + [
            rep.target_s for rep in group.reps if rep.target_s is not None]
        for rep in group.reps:
            delta: Segment = ("", rep.timed.delta.rjust(7))
            if rep.timed.delta:
                delta = _fg(_GOOD if rep.timed.good else _BAD, delta[1])
            row = f"{rep.label:>4} {rep.timed.time:>8} {rep.target:>7} "
            note = _fg(_NOTICE, f" {rep.timed.note:<{note_width - 1}}") if note_width else _NOTHING
            lines.append([_PLAIN, _fg(15, row), delta, note, ("", "  "), _bar(
                rep.duration_s, rep.target_s, values, bar_width, rep.timed.good)])
    if not content.reps:
        lines.append([("", " NO REPS RECORDED")])
    if content.notice:
        lines += [[], [_PLAIN, _fg(_BAD, content.notice)]]
    return lines


def _group_summary_lines(content: GroupSummaryReadout, columns: int) -> list[Line]:
    """Each athlete's figures, then the athletes x reps table."""
    colour = _PHASE_COLOURS[Phase.FINISHED]
    band = f" {content.title}".ljust(columns - len(content.plan_name) - 1) + content.plan_name
    lines: list[Line] = [[_on(colour, band[:columns].ljust(columns))], []]
    for athlete in content.athletes:
        lines += _stat_lines(athlete.plan_name, athlete.stats, columns)
    lines.append([])
    for text in table_lines(content.table):
        row: Line = [_PLAIN]
        for number, part in enumerate(text.split(NO_TIME)):
            row += [_fg(_BAD, NO_TIME), ("", part)] if number else [("", part)]
        lines.append(row)
    if content.notice:
        lines += [[], [_PLAIN, _fg(_BAD, content.notice)]]
    return lines


def _stat_lines(title: str, stats: tuple[Stat, ...], columns: int) -> list[Line]:
    """A title, then as many figures a line as fit."""
    lines: list[Line] = []
    line: Line = [_fg(15, f" {title}")] if title else []
    used = len(title) + 1
    for stat in stats:
        if used > 1 and used + len(stat.label) + len(stat.value) + 4 > columns:
            lines.append(line)
            line, used = [], 0
        colour = 15 if stat.good is None else _GOOD if stat.good else _BAD
        line += [("", "  "), _fg(_DIM, stat.label + " "), _fg(colour, stat.value)]
        used += len(stat.label) + len(stat.value) + 3
    return [*lines, line]


def _bar(seconds: float, target_s: float | None, values: list[float], columns: int,
         good: bool | None) -> Segment:
    """A rep's time as a bar, the target as a '|' in it; the floor is not zero (see fade)."""
    if columns < 4:
        return _NOTHING
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
