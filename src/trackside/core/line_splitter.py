"""Cutting a serial byte stream into lines.

Rules for this module:
  1. A line ends at CR, LF or CRLF (a CRLF split across two reads is still one end).
  2. Memory is bounded: a line longer than `max_bytes` is cut there; the rest of it, up to its
     end, is thrown away and the line comes out marked `overlong`.
  3. Nothing here decodes: lines stay bytes (decoding is the protocol's business).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_END = re.compile(rb"\r\n?|\n")


@dataclass(frozen=True, slots=True)
class RawLine:
    data: bytes  # without its end; at most `max_bytes` of it when overlong
    overlong: bool = False


class LineSplitter:
    def __init__(self, max_bytes: int = 256) -> None:
        self._max_bytes = max_bytes
        self._buffer = bytearray()
        self._overlong = False  # the line in the buffer already ran past max_bytes
        self._after_cr = False  # the last byte fed was a CR: a leading LF is its pair

    def feed(self, data: bytes) -> list[RawLine]:
        """Every line that `data` completes, oldest first."""
        if self._after_cr and data.startswith(b"\n"):
            data = data[1:]
        self._after_cr = data.endswith(b"\r")
        lines: list[RawLine] = []
        start = 0
        for end in _END.finditer(data):
            self._append(data[start : end.start()])
            lines.append(RawLine(bytes(self._buffer), self._overlong))
            self._buffer.clear()
            self._overlong = False
            start = end.end()
        self._append(data[start:])
        return lines

    def pending(self) -> RawLine | None:
        """The unfinished line, if any, taken out (the port went away mid-line)."""
        if not self._buffer and not self._overlong:
            return None
        line = RawLine(bytes(self._buffer), self._overlong)
        self._buffer.clear()
        self._overlong = self._after_cr = False
        return line

    def _append(self, chunk: bytes) -> None:
        room = self._max_bytes - len(self._buffer)
        if len(chunk) > room:
            chunk = chunk[:room]
            self._overlong = True
        self._buffer += chunk
