"""How precisely a measured time is known, and how it is shown: one rule for every screen and file.

Rules:
  1. A measured time is shown rounded *up* to its precision, as World Athletics rounds: fully
     automatic times to the next longer 1/100 s, hand times to the next longer 1/10 s. A beam
     rep is known to 0.01 s; a button, phone or keyboard rep to 0.1 s.
  2. Every delta, average, spread or fade that is shown is computed from the times *as shown*,
     so the arithmetic a coach reads adds up (18.00 against 20 is -2.00, never -1.99).
  3. Exports keep the exact value beside its precision.
  4. A running clock is not a result: it may truncate (and a countdown shows its ceiling).
  5. A target is worked out (from a pace, a range, a percentage), not measured: it is shown
     and compared to the nearest 0.1 s.
"""

from __future__ import annotations

import math

from trackside.core.events import Source

# Steps per second of each source's precision: 100 -> 0.01 s.
_STEPS_PER_S = {Source.BEAM: 100, Source.BUTTON: 10, Source.REMOTE: 10, Source.KEYBOARD: 10,
                Source.TIME: 100}

_TARGET_STEPS_PER_S = 10

# Float noise (20.000000000000004 s from a subtraction) must not round 20.00 up to 20.01.
_NOISE_STEPS = 1e-6


def precision_s(source: Source) -> float:
    """0.01 for the beam (and a rep timed by its own clock), 0.1 for a hand on a button."""
    return 1 / _STEPS_PER_S[source]


def decimals(source: Source) -> int:
    """How many decimals a time from `source` is shown with."""
    return round(math.log10(_STEPS_PER_S[source]))


def shown_s(seconds: float, source: Source) -> float:
    """`seconds` as it is shown: rounded up to `source`'s precision."""
    steps = _STEPS_PER_S[source]
    return math.ceil(seconds * steps - _NOISE_STEPS) / steps


def shown_target_s(seconds: float) -> float:
    """A target as it is shown and compared: to the nearest 0.1 s (a half rounds up)."""
    return math.floor(seconds * _TARGET_STEPS_PER_S + 0.5 + _NOISE_STEPS) / _TARGET_STEPS_PER_S
