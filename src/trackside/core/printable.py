"""Text as a terminal prints it: on one line, and how many columns it takes.

Rules:
  1. What a user wrote is shown, never obeyed: a character that is not printable (a
     newline in a TOML key, an escape sequence in a plan name) is shown escaped ('\\x1b').
  2. Widths are counted in terminal columns, not characters: an East Asian wide or
     full-width character takes two, a combining mark none.
"""

from __future__ import annotations

import unicodedata


def one_line(text: str) -> str:
    """`text` with every character that is not printable escaped: '\\n', '\\x1b'."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode()
                   for char in text)


def columns(text: str) -> int:
    """How many terminal columns printable `text` takes."""
    return sum(0 if unicodedata.combining(char)
               else 2 if unicodedata.east_asian_width(char) in "WF" else 1
               for char in text)


def padded(text: str, width: int, *, right: bool = False) -> str:
    """`text` filled with spaces to `width` columns, on the left when `right`."""
    fill = " " * max(0, width - columns(text))
    return fill + text if right else text + fill
