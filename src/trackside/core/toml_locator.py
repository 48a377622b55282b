"""Where each key of a TOML document is written: tomllib gives values, not positions.

Rules for this module:
  1. It only reads documents tomllib has already accepted: it finds lines, it does not check
     syntax (and for text tomllib refuses, its answers are best effort, never an exception).
  2. A path is the one a validator reports: keys and 0-based list indexes, e.g.
     ('blocks', 1, 'segments', 0, 'target'). `[[blocks]]` tables count as list items, and so
     do the items of an inline or multi-line array.
  3. A key is placed on the line where it is written; a table on its header's line; a list
     item where it starts. Unknown paths fall back to their longest known prefix.
"""

from __future__ import annotations

import bisect
import re

from trackside.core.problems import Path

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = ",]}\n#"


class TomlLocator:
    """`TomlLocator(text).find(path)` -> (the longest prefix of path found, its line)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._at = 0
        self._line_starts = [0] + [n + 1 for n, char in enumerate(text) if char == "\n"]
        self._lines: dict[Path, int] = {}
        self._tables: dict[Path, int] = {}  # arrays of tables: how many items so far
        try:
            self._document()
        except IndexError:  # text tomllib would refuse: keep what was found
            pass

    def find(self, path: Path) -> tuple[Path, int | None]:
        """The longest prefix of `path` written in the document and its 1-based line
        (None for the document itself)."""
        for length in range(len(path), 0, -1):
            if (line := self._lines.get(path[:length])) is not None:
                return path[:length], line
        return (), None

    def _line(self) -> int:
        return bisect.bisect_right(self._line_starts, self._at)

    def _document(self) -> None:
        table: Path = ()
        while (start := self._skip_blank()) < len(self._text):
            if self._text.startswith("[[", self._at):
                self._at += 2
                table = self._array_item(self._resolve(self._keys()))
                self._expect("]]")
            elif self._text[self._at] == "[":
                self._at += 1
                table = self._resolve(self._keys())
                self._lines.setdefault(table, self._line())
                self._expect("]")
            else:
                self._key_value(table)
            if self._at == start:  # not TOML after all: step over it
                self._at += 1

    def _resolve(self, keys: list[str]) -> Path:
        """Header keys -> a path, through the last item of each array of tables on the way."""
        path: Path = ()
        for key in keys:
            path += (key,)
            if path in self._tables:
                path += (self._tables[path] - 1,)
        if path and isinstance(path[-1], int):  # '[[blocks]]' then '[blocks]' is not ours
            path = path[:-1]
        return path

    def _array_item(self, path: Path) -> Path:
        count = self._tables.get(path, 0)
        self._tables[path] = count + 1
        self._lines.setdefault(path, self._line())
        self._lines[(*path, count)] = self._line()
        return (*path, count)

    def _key_value(self, table: Path) -> None:
        line = self._line()
        path = table
        for key in self._keys():
            path += (key,)
            self._lines.setdefault(path, line)
        self._skip_spaces()
        self._expect("=")
        self._skip_spaces()
        self._value(path)

    def _keys(self) -> list[str]:
        keys = []
        while True:
            self._skip_spaces()
            char = self._text[self._at]
            if char in "\"'":
                start = self._at + 1
                self._string()
                keys.append(self._text[start : self._at - 1])
            else:
                match = _BARE_KEY.match(self._text, self._at)
                if not match:
                    return keys
                keys.append(match.group())
                self._at = match.end()
            self._skip_spaces()
            if self._text[self._at] != ".":
                return keys
            self._at += 1

    def _value(self, path: Path) -> None:
        char = self._text[self._at]
        if char == "[":
            self._at += 1
            index = 0
            while (start := self._skip_blank()) < len(self._text) and self._text[start] != "]":
                self._lines.setdefault((*path, index), self._line())
                self._value((*path, index))
                self._at += self._at == start  # not TOML after all: step over it
                self._skip_blank()
                if self._text[self._at] == ",":
                    self._at += 1
                index += 1
            self._at += 1
        elif char == "{":
            self._at += 1
            while self._skip_spaces() < len(self._text) and self._text[self._at] != "}":
                self._key_value(path)
                self._skip_spaces()
                if self._text[self._at] == ",":
                    self._at += 1
            self._at += 1
        elif char in "\"'":
            self._string()
        else:
            while self._at < len(self._text) and self._text[self._at] not in _SCALAR_END:
                self._at += 1

    def _string(self) -> None:
        quote = self._text[self._at]
        delimiter = quote * 3 if self._text.startswith(quote * 3, self._at) else quote
        self._at += len(delimiter)
        while not self._text.startswith(delimiter, self._at):
            if quote == '"' and self._text[self._at] == "\\":
                self._at += 1  # an escaped character, perhaps a quote
            self._at += 1
        self._at += len(delimiter)
        while self._text.startswith(quote, self._at):  # '""""' closes with quotes inside
            self._at += 1

    def _expect(self, text: str) -> None:
        self._skip_spaces()
        if self._text.startswith(text, self._at):
            self._at += len(text)

    def _skip_spaces(self) -> int:
        while self._at < len(self._text) and self._text[self._at] in " \t":
            self._at += 1
        return self._at

    def _skip_blank(self) -> int:
        """Spaces, newlines and comments."""
        while self._at < len(self._text):
            char = self._text[self._at]
            if char in " \t\r\n":
                self._at += 1
            elif char == "#":
                end = self._text.find("\n", self._at)
                self._at = len(self._text) if end < 0 else end
            else:
                break
        return self._at
