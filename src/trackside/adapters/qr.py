"""QR codes (segno): a link as a grid of dark modules, and as text for a terminal.

Rules for this module:
  1. `modules` is the whole symbol with its quiet zone (four modules of light all round,
     as the standard asks), so whoever draws it only paints the dark ones.
  2. `text_rows` puts two rows of modules in one line of text (half blocks), to be drawn
     `DARK_ON_LIGHT` whatever the terminal's colours, so a phone's camera reads it.
"""

from __future__ import annotations

import segno

QUIET = 4  # modules of light around the symbol

_HALVES = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
DARK_ON_LIGHT = "30;107"  # SGR parameters: black on bright white


def modules(text: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code of `text` with its quiet zone, True is dark."""
    code = segno.make(text, error="l")  # L: the smallest symbol; a screen is clean and flat
    return tuple(tuple(bool(cell) for cell in row) for row in code.matrix_iter(border=QUIET))


def text_rows(grid: tuple[tuple[bool, ...], ...]) -> list[str]:
    """Two module rows per line, a dark module inked."""
    rows = list(grid) + ([tuple(False for _ in grid[0])] if len(grid) % 2 else [])
    return ["".join(_HALVES[pair] for pair in zip(top, bottom, strict=True))
            for top, bottom in zip(rows[::2], rows[1::2], strict=True)]
