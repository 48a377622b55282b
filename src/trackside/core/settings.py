"""How a run is timed: the settings the engine and the cue schedule read.

A plain value, made once per run from the configuration file and the command line (the app
does that); nothing here reads a file or an option.
"""

from __future__ import annotations

from dataclasses import dataclass

from trackside.core.events import SensorState


@dataclass(frozen=True, slots=True)
class EngineSettings:
    lead_in_s: float = 5.0
    min_lap_s: float | None = None  # None: half the target of each stretch (see min_gap_s)
    hold_s: float = 2.0
    long_hold_s: float = 5.0
    warning_s: float = 10.0  # the TEN_SECONDS cue, this long before a rest ends
    count_in: int = 3  # COUNT beeps in the last seconds of a countdown
    sensor: SensorState = SensorState.NONE
