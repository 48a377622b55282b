"""A file the user asked for is written whole or not at all.

The bytes go to a temporary file beside the target, are flushed to disk, and the temporary
file is renamed over the target: a full disk, a crash or a kill leaves the old file (or
none), never half a file that a watch or Garmin Connect would reject.
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
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise UserError(f"cannot write {path}: {exc.strerror}") from None
