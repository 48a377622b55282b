"""The checks `trackside doctor` runs: each a small function of a `Probe` returning a `Finding`.

Rules for this package:
  1. A check never raises: a failure is a Finding with a fix a user can follow.
  2. The probe looks at the machine once (the pin factory starts once) and is closed after
     the last check. Checks only read it.
  3. SKIP means not configured, not a Pi, or nobody at the keyboard: it is not a failure.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from gpiozero.pins import Factory

from trackside.adapters.gpio import BUTTON_PIN, BUZZER_PIN, BuzzerKind, GpioUnavailable
from trackside.config import BeamConfig, WebConfig
from trackside.runtime.clock import Clock, MonotonicClock


class Status(Enum):
    OK = "OK"
    FAIL = "FAIL"
    SKIP = "SKIP"


@dataclass(frozen=True, slots=True)
class Finding:
    name: str
    status: Status
    detail: str
    fix: str = ""  # what to do about a FAIL


@dataclass
class Probe:
    """What the checks share: the options, and the machine as looked at once."""

    button_pin: int = BUTTON_PIN
    buzzer_pin: int = BUZZER_PIN
    buzzer: BuzzerKind | None = BuzzerKind.ACTIVE  # None: no buzzer configured
    wait_s: float = 5.0  # for a press, when someone is at the keyboard
    speaker: bool = True
    display: bool = True
    interactive: bool = False  # stdin is a terminal: someone can press the button
    model: str | None = None  # the Raspberry Pi model; None off a Pi
    factory: Factory | None = None  # None: the GPIO did not start (see factory_error)
    factory_error: GpioUnavailable | None = None
    mock: bool = False  # mock pins: nothing real to claim, beep or press
    beam: BeamConfig = field(default_factory=BeamConfig)  # port None: no beam configured
    watch_s: float = 5.0  # how long to show crossings live
    web: WebConfig = field(default_factory=WebConfig)  # the phone page: is its port free?
    say: Callable[[str], None] = field(default=lambda text: None)  # a prompt for the user
    clock: Clock = field(default_factory=MonotonicClock)

    def pause(self, seconds: float) -> None:
        """Let a sound play out before the next check (instantly on a fake clock)."""
        condition, until = threading.Condition(), self.clock.now() + seconds
        with condition:
            while self.clock.now() < until:
                self.clock.wait(condition, until)

    def close(self) -> None:
        if self.factory is not None:
            self.factory.close()


Check = Callable[[Probe], Finding]
