"""Adapters: one third-party library each, clock/factory/port injected, idempotent close()."""

import os

# pygame prints a greeting on import unless told not to: it would land in our output.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
