"""One writer per session database: a lock a run holds for its whole life.

Rules for this module:
  1. The lock is `flock` on a file beside the database (`trackside.db.lock`). The kernel
     drops it when its holder dies, however it dies (kill -9, a crash, a power cut), so a
     stale lock never stands in the way of `--resume`.
  2. The holder writes who it is into the file (pid, command line, since when), so a
     refusal names it without reading /proc (the service's ProtectProc hides processes).
  3. A lock file that cannot be made (a read-only folder) does not stop the run: the store
     will say what it cannot do. Only another holder refuses the run.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sys
from datetime import datetime
from pathlib import Path

from trackside.core.errors import UserError

log = logging.getLogger(__name__)


class DatabaseInUse(UserError):
    """Another process records into this database."""


class DatabaseLock:
    """Held from `take` until `release` (or the process's end)."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    @classmethod
    def take(cls, database: Path) -> DatabaseLock:
        """Lock `database` for this process, or raise DatabaseInUse naming the holder."""
        path = database.with_name(database.name + ".lock")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            log.debug("no lock for %s (%s): the store will say what it cannot do", database,
                      exc.strerror)
            return cls(None)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = " ".join(os.pread(fd, 500, 0).decode("utf-8", "replace").split())
            os.close(fd)
            raise DatabaseInUse(f"{database} is in use by another trackside "
                                f"({holder or 'starting up'}): one run at a time") from None
        except OSError as exc:  # a file system without locks
            os.close(fd)
            log.debug("no lock for %s (%s)", database, exc.strerror)
            return cls(None)
        os.ftruncate(fd, 0)
        since = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
        command = " ".join(["trackside", *sys.argv[1:]])[:200]
        os.pwrite(fd, f"pid {os.getpid()}: {command}, since {since}\n".encode(), 0)
        return cls(fd)

    def release(self) -> None:
        """Safe twice. The file stays: removing it would race with the next holder."""
        if self._fd is not None:
            os.close(self._fd)  # closing the only descriptor drops the flock
            self._fd = None
