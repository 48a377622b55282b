"""A file the user names (a config, a plan, a workout) is read whole and bounded, or refused.

Rules:
  1. Only a regular file is read. A named pipe (FIFO), a device, a socket or a folder is
     refused with one line naming it, and never opened for reading: a FIFO with no writer
     or a terminal would block forever, /dev/zero never ends.
  2. A file larger than its limit is refused by its size, before a byte is read; one that
     grows while it is read is cut at the limit and refused the same way.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from trackside.core.errors import UserError

_KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a device",
          stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes; `what` names what it
    should be in the refusal ('a plan file').

    Raises:
        UserError: `path` is not a regular file, or is larger than `limit` (rules 1, 2).
        OSError: it cannot be opened or read (the caller says what it was reading).
        ValueError: a NUL in `path`.
    """
    _check(path, os.stat(path), limit, what)
    # O_NONBLOCK: should a FIFO take the file's place after the check, opening it (no
    # writer) does not wait; the second check refuses it.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as file:
        _check(path, os.fstat(fd), limit, what)
        data = file.read(limit + 1)
    _check_size(path, len(data), limit, what)
    return data


def _check(path: Path, found: os.stat_result, limit: int, what: str) -> None:
    if not stat.S_ISREG(found.st_mode):
        kind = _KINDS.get(stat.S_IFMT(found.st_mode), "not a regular file")
        raise UserError(f"{path}: {kind}, not {what}: name a regular file")
    _check_size(path, found.st_size, limit, what)


def _check_size(path: Path, size: int, limit: int, what: str) -> None:
    if size > limit:
        raise UserError(f"{path}: too big for {what} ({size} bytes, at most {limit})")
