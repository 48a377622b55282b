"""A terminal's screen as a grid of styled cells, and the fewest escapes from one to the next.

Rules for this module:
  1. A frame is lines of (style, text) segments; a style is an SGR parameter string
     (`'1;38;5;46'`) or `''` for the terminal's own colours. The grid is exactly the screen:
     longer lines and extra lines are cut, shorter ones padded with blanks.
  2. `changes(before, after)` writes only the runs of cells that differ, each after a
     cursor move, and sets a style only where it changes: a running rep's tenths rewrite
     one block digit, not the screen. With no `before` (the first frame, a new size, stray
     text to paint over) it writes every cell.
  3. One character, one cell: the frames use no wide characters.
"""

from __future__ import annotations

from functools import lru_cache

Segment = tuple[str, str]  # (style, text)
Cell = tuple[str, str]  # (character, style)
Row = tuple[Cell, ...]
Grid = tuple[Row, ...]

_BLANK: Cell = (" ", "")
_RESET = "\x1b[0m"
_GAP = 6  # unchanged cells rewritten rather than jumped over: a cursor move costs as much


def grid(lines: list[list[Segment]], size: tuple[int, int]) -> Grid:
    """The screen `size` (columns, rows) showing `lines`."""
    columns, rows = size
    drawn = tuple(_row(tuple(line), columns) for line in lines[:rows])
    return drawn + (_row((), columns),) * (rows - len(drawn))


@lru_cache(maxsize=256)
def _row(line: tuple[Segment, ...], columns: int) -> Row:
    """One line as `columns` cells; the same line is the same row object (cheap to compare)."""
    cells = tuple((char, style) for style, text in line for char in text)[:columns]
    return cells + (_BLANK,) * (columns - len(cells))


def changes(before: Grid | None, after: Grid) -> str:
    """The escapes that turn the screen from `before` into `after`; from None (whatever the
    screen shows) every cell is written, blanks too."""
    out: list[str] = []
    style = None  # unknown after a cursor move from elsewhere: set it before any cell
    for number, row in enumerate(after):
        old = None if before is None else before[number]
        if old == row:
            continue
        for start, end in _runs(old, row):
            out.append(f"\x1b[{number + 1};{start + 1}H")
            for char, wanted in row[start:end]:
                if wanted != style:
                    out.append(f"\x1b[0;{wanted}m" if wanted else _RESET)
                    style = wanted
                out.append(char)
    if style:
        out.append(_RESET)
    return "".join(out)


def styled(line: list[Segment]) -> str:
    """One line as text with its styles, for a terminal's own screen (no cursor moves)."""
    return "".join(f"\x1b[0;{style}m{text}{_RESET}" if style else text
                   for style, text in line if text)


def _runs(old: Row | None, new: Row) -> list[tuple[int, int]]:
    """[start, end) of each run of cells to write: those that differ, and any gap between two
    of them shorter than a cursor move."""
    if old is None:
        return [(0, len(new))]
    runs: list[tuple[int, int]] = []
    for column in [i for i, (a, b) in enumerate(zip(old, new)) if a != b]:
        if runs and column - runs[-1][1] < _GAP:
            runs[-1] = (runs[-1][0], column + 1)
        else:
            runs.append((column, column + 1))
    return runs
