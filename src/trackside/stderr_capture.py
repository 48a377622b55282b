"""Quieting C libraries that write straight to file descriptor 2 (ALSA, SDL's drivers).

Probing a sound or video device that is not there makes them print lines a user cannot
act on; we say what failed once, in our own words, and keep their lines for --verbose.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator


@contextlib.contextmanager
def stderr_to_log(log: logging.Logger, what: str) -> Iterator[None]:
    """While inside, fd 2 goes to a file; afterwards its text is logged at debug level."""
    with tempfile.TemporaryFile() as caught:
        saved = os.dup(2)
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            if text := caught.read().decode(errors="replace").strip():
                log.debug("%s: %s", what, text)
