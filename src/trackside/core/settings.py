"""How a run is timed: the settings the engine and the cue schedule read.

A plain value, made once per run from the configuration file and the command line (the app
does that); nothing here reads a file or an option.
"""

from __future__ import annotations

from dataclasses import dataclass

from trackside.core.events import SensorState

# A moment, in real seconds: a cue handed out later than this after its time is not heard as
# on time. That happens only when the whole timer stalled (SIGSTOP, a brown-out, an SD card
# that hangs, swap): such a cue is dropped and recorded as missed, never burst with the
# others, and a rep whose GO it was starts when GO sounds, marked as a late start.
# Otherwise the loop drives a cue within milliseconds of its time (`trackside bench`):
# nothing is due in a phase's first half second (`cue_schedule`), so even a pass that waits
# `runtime.sinks.SETTLE_S` for a rep's commit is done before the next cue.
LATE_S = 0.25


@dataclass(frozen=True, slots=True)
class EngineSettings:
    lead_in_s: float = 5.0
    min_lap_s: float | None = None  # None: half the target of each stretch (see min_gap_s)
    hold_s: float = 2.0
    long_hold_s: float = 5.0
    warning_s: float = 10.0  # the TEN_SECONDS cue, this long before a rest ends
    count_in: int = 3  # COUNT beeps in the last seconds of a countdown
    sensor: SensorState = SensorState.NONE
    late_s: float = LATE_S  # on the run's clock: a sped-up clock (the demo) stretches it

