"""Standard output that may fail: a full disk (`> /dev/full`), a terminal that closed, a
pipe whose reader left, a journal that went away.

Rules:
  1. A failure is said by one owner, never here: for a command, `cli.main` ('cannot write
     the output', exit 1); during a run, the screen's guard (`runtime.sinks`: 'SCREEN OFF:
     disk full' on every other screen, and the timer runs on). The screens write through
     `SturdyOutput`, which lets its first failure rise to that guard and then goes on
     without its stream, so closing the screen and the last lines printed never fail again.
  2. After a failure the descriptor is pointed at /dev/null (`drop_output`), so the text
     still buffered, and the flush at exit, go nowhere instead of failing again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO

def drop_output(stream: IO[str]) -> None:
    """Point `stream`'s descriptor at /dev/null (a stream with none, a StringIO, is left)."""
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):  # io.UnsupportedOperation is both
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)


class SturdyOutput:
    """A text stream for the screens (the status line, the terminal view) that survives
    its stream failing: the first failure rises (rule 1), later writes are dropped."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._failed = False

    def write(self, text: str) -> int:
        if not self._failed:
            self._guard(self._stream.write, text)
        return len(text)

    def flush(self) -> None:
        if not self._failed:
            self._guard(self._stream.flush)

    def isatty(self) -> bool:
        return not self._failed and self._stream.isatty()

    @property
    def encoding(self) -> str | None:
        """The stream's (the terminal view draws what it can encode)."""
        return getattr(self._stream, "encoding", None)

    def fileno(self) -> int:
        return self._stream.fileno()

    def _guard(self, call: Callable[..., object], *args: str) -> None:
        try:
            call(*args)
        except OSError:
            self._failed = True
            drop_output(self._stream)
            raise
