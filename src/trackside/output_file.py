"""A file the user asked for is written whole or not at all.

The bytes go to a temporary file beside the target, are flushed to disk, and the temporary
file is renamed over the target: a full disk, a crash or a kill leaves the old file (or
none), never half a file that a spreadsheet, a watch or Garmin Connect would reject. A
pipe or a device (`--out /dev/stdout`) cannot be renamed over: it is written as it is.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from trackside.core.errors import UserError


def write_whole(path: Path, data: bytes) -> None:
    """Write `data` to `path`.

    Raises:
        UserError: the file cannot be written (no such folder, no permission, disk full).
    """
    try:
        if path.exists() and not path.is_file() and not path.is_dir():
            path.write_bytes(data)
            return
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from the coach's group
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise UserError(f"cannot write {path}: {exc.strerror}") from None
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Put the rename itself on disk; a folder that cannot be opened or synced (some file
    systems refuse) still holds the whole file."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
