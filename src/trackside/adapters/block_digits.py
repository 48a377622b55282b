"""Big digits made of block characters, for the terminal view.

Each glyph is a 5-row bitmap; a 'pixel' is drawn two characters wide (terminal cells are
about twice as tall as wide), and `scale` repeats it for larger terminals.
"""

from __future__ import annotations

ROWS = 5
_GLYPHS = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": ("## ", " # ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": (" ", "#", " ", "#", " "),
    ".": (" ", " ", " ", " ", "#"),
    "+": ("   ", " # ", "###", " # ", "   "),
    "-": ("   ", "   ", "###", "   ", "   "),
}


def width(text: str, scale: int = 1) -> int:
    """Columns `big(text, scale)` takes."""
    pixels = sum(len(_GLYPHS[char][0]) for char in text) + max(0, len(text) - 1)
    return pixels * 2 * scale


def big(text: str, scale: int = 1) -> list[str]:
    """`text` (digits, ':', '.', '+', '-') as `ROWS * scale` lines of block characters."""
    lines = []
    for row in range(ROWS):
        pixels = " ".join(_GLYPHS[char][row] for char in text)
        line = "".join(("█" if pixel == "#" else " ") * 2 * scale for pixel in pixels)
        lines += [line] * scale
    return lines
