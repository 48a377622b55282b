"""Standard output that may fail: a full disk (`> /dev/full`), a terminal that closed, a
pipe whose reader left, a journal that went away.

Rules:
  1. A failure is said once, on stderr, and never ends a session: the screens write
     through `SturdyOutput`, which goes on without its stream.
  2. After a failure the descriptor is pointed at /dev/null (`drop_output`), so the text
     still buffered, and the flush at exit, go nowhere instead of failing again.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import IO

log = logging.getLogger(__name__)


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
    its stream failing: the first failure is said once, later writes are dropped."""

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
        except OSError as exc:
            self._failed = True
            drop_output(self._stream)
            log.warning("standard output failed (%s): nothing more is shown there; the "
                        "timer runs on and keeps every rep", exc.strerror or exc)
