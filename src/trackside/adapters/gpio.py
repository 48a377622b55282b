"""The button, the buzzer and the status LED, through gpiozero.

Rules for this module:
  1. gpiozero only. The pin factory is chosen once (`pin_factory`) and passed to every
     device; gpiozero's global default factory is never touched.
  2. gpiozero's callbacks run on its own thread (lgpio's): they stamp `clock.now()` first,
     then debounce (core.debounce) and `put` the inputs (the inbox's). Nothing else.
  3. A cue's first edge is driven on the caller's thread, at once: the main loop calls
     `play` exactly at the cue's deadline. The rest of the pattern runs on a background
     thread, timed on the injected clock from that first edge; a new cue pre-empts it.
  4. Every device has an idempotent `close()`.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections import deque
from collections.abc import Callable
from enum import Enum
from pathlib import Path

from gpiozero import LED, Buzzer, DigitalInputDevice, TonalBuzzer
from gpiozero.pins import Factory
from gpiozero.pins.mock import MockFactory, MockPWMPin
from gpiozero.tones import Tone

from trackside.core.cues import MID_HZ, OCTAVES, PATTERNS
from trackside.core.debounce import Debouncer
from trackside.core.errors import UserError
from trackside.core.events import Cue, Input, Phase, SensorState
from trackside.core.view import View
from trackside.runtime.clock import Clock

log = logging.getLogger(__name__)

BUTTON_PIN = 17  # BCM; the button goes to ground, the internal pull-up holds it high
BUZZER_PIN = 18  # BCM

MOCK_NOTICE = "no GPIO here: mock pins, the keyboard is the button"
_MODEL_FILE = Path("/proc/device-tree/model")
_REAL_FACTORIES = {
    "lgpio": "gpiozero.pins.lgpio:LGPIOFactory",
    "rpigpio": "gpiozero.pins.rpigpio:RPiGPIOFactory",
    "pigpio": "gpiozero.pins.pigpio:PiGPIOFactory",
    "native": "gpiozero.pins.native:NativeFactory",
}
FACTORY_KINDS = ("auto", "mock", *_REAL_FACTORIES)


class GpioUnavailable(RuntimeError):
    """A real pin factory could not start. `fix` says what to do about it."""

    def __init__(self, kind: str, reason: str, fix: str) -> None:
        super().__init__(f"pin factory {kind}: {reason}")
        self.kind, self.reason, self.fix = kind, reason, fix


def raspberry_pi_model(model_file: Path = _MODEL_FILE) -> str | None:
    """'Raspberry Pi 5 Model B Rev 1.0', or None when this is not a Raspberry Pi."""
    try:
        model = model_file.read_bytes().rstrip(b"\0").decode(errors="replace").strip()
    except OSError:
        return None
    return model if model.startswith("Raspberry Pi") else None


def mock_factory() -> MockFactory:
    """Mock pins that also do PWM, so the passive buzzer works on them too."""
    return MockFactory(pin_class=MockPWMPin)


def load_factory(kind: str, model: str | None = None) -> Factory:
    """Start the real pin factory `kind` ('lgpio', ...), or raise GpioUnavailable with a fix."""
    if kind not in _REAL_FACTORIES:
        fix = f"choose one of {', '.join(FACTORY_KINDS)}"
        raise GpioUnavailable(kind, "no such pin factory", fix)
    if kind == "rpigpio" and model is not None and "Pi 5" in model:
        raise GpioUnavailable(kind, "RPi.GPIO does not work on a Pi 5", _fix_for(kind, None))
    module_name, class_name = _REAL_FACTORIES[kind].split(":")
    try:
        return getattr(importlib.import_module(module_name), class_name)()
    except Exception as exc:  # noqa: BLE001 - each backend fails in its own way
        raise GpioUnavailable(kind, str(exc) or type(exc).__name__, _fix_for(kind, exc)) from exc


def _fix_for(kind: str, exc: Exception | None) -> str:
    if isinstance(exc, ImportError) and kind == "lgpio":
        return (
            "sudo apt install python3-lgpio, and make the venv with "
            "`python3 -m venv --system-site-packages` so it can see it"
        )
    if isinstance(exc, PermissionError) or "can not open gpiochip" in str(exc):
        return "add the user to the gpio group: sudo usermod -aG gpio $USER, then log in again"
    if kind == "rpigpio":
        return "use lgpio (unset GPIOZERO_PIN_FACTORY): RPi.GPIO fails on a Pi 5"
    if kind == "pigpio":
        return "start the pigpio daemon (sudo systemctl start pigpiod), or use lgpio"
    return "use lgpio: sudo apt install python3-lgpio"


def pin_factory(kind: str | None = None) -> Factory:
    """The pin factory to build every device on.

    `kind` None or 'auto' (honouring GPIOZERO_PIN_FACTORY if set): on a Raspberry Pi, lgpio
    (then RPi.GPIO, except on a Pi 5); anywhere else, mock pins with one notice, probing
    nothing (so none of gpiozero's fallback warnings). A Pi whose GPIO cannot start gets
    mock pins too, and a notice with the fix. A kind named (here or in the variable) that
    does not start is a UserError with the fix: the user asked for real pins.
    """
    kind = (kind or os.environ.get("GPIOZERO_PIN_FACTORY") or "auto").lower()
    if kind not in FACTORY_KINDS:
        raise UserError(f"unknown pin factory {kind!r}: choose one of {', '.join(FACTORY_KINDS)}")
    if kind == "mock":
        log.info("mock pins, as asked: the keyboard is the button")
        return mock_factory()
    model = raspberry_pi_model()
    if kind != "auto":  # asked for by name: mock pins instead would hide a dead button
        try:
            return load_factory(kind, model)
        except GpioUnavailable as exc:
            fix = exc.fix if model is not None else (
                "this is not a Raspberry Pi: unset GPIOZERO_PIN_FACTORY for mock pins")
            raise UserError(f"GPIOZERO_PIN_FACTORY={kind}: {exc.reason}; fix: {fix}") from None
    if model is None:
        log.warning(MOCK_NOTICE)
        return mock_factory()
    try:
        return real_factory(model)
    except GpioUnavailable as exc:
        log.warning("GPIO does not start on this %s (%s): mock pins, the keyboard is the"
                    " button. Fix: %s", model, exc, exc.fix)
        return mock_factory()


def real_factory(model: str) -> Factory:
    """The GPIO of this Pi: lgpio, else RPi.GPIO (which fails on a Pi 5).

    Raises lgpio's GpioUnavailable when neither starts: lgpio is the one to fix.
    """
    try:
        return load_factory("lgpio", model)
    except GpioUnavailable as lgpio_failure:
        try:
            return load_factory("rpigpio", model)
        except GpioUnavailable:
            raise lgpio_failure from None


class StartButton:
    """A momentary button from `pin` to ground: debounced presses and releases, put.

    Each input is stamped at its first raw edge and reaches the inbox once the contacts
    have been quiet for `debounce_s`, so it arrives about that much after its stamp.
    """

    def __init__(
        self, pin: int, put: Callable[[Input], None], clock: Clock, *, pin_factory: Factory,
        debounce_s: float = 0.01,
    ) -> None:
        self._put, self._clock = put, clock
        self._debouncer = Debouncer(window_s=debounce_s)
        self._condition = threading.Condition()
        self._closed = False
        # Not gpiozero's Button: its hold thread polls, and stalls close() while pressed.
        self._contacts = DigitalInputDevice(
            pin, pull_up=True, bounce_time=None, pin_factory=pin_factory
        )
        self._settler = threading.Thread(
            target=self._settle_when_quiet, name=f"button-{pin}", daemon=True
        )
        self._settler.start()
        self._contacts.when_activated = self._went_down
        self._contacts.when_deactivated = self._went_up

    def _went_down(self) -> None:
        self._edge(pressed=True, at=self._clock.now())

    def _went_up(self) -> None:
        self._edge(pressed=False, at=self._clock.now())

    def _edge(self, pressed: bool, at: float) -> None:
        with self._condition:
            for event in self._debouncer.edge(pressed, at):
                self._put(event)
            self._condition.notify()

    def _settle_when_quiet(self) -> None:
        """Emit a burst's press or release once no further edge came within the window."""
        with self._condition:
            while not self._closed:
                due = self._debouncer.deadline()
                if due is None:
                    self._condition.wait()
                    continue
                now = self._clock.now()
                if now < due:
                    # Real seconds: contact bounce happens in real time whatever the clock.
                    self._condition.wait(due - now)
                    continue
                for event in self._debouncer.settle(now):
                    self._put(event)

    def close(self) -> None:
        with self._condition:
            if self._closed:
                return
            self._closed = True
            self._condition.notify()
        self._settler.join()
        self._contacts.close()


class BuzzerKind(Enum):
    ACTIVE = "active"  # on/off only (gpiozero Buzzer): the rhythm carries the cue
    PASSIVE = "passive"  # driven with a tone (gpiozero TonalBuzzer)


class BuzzerCues:
    """Plays each cue's pattern (core.cues) on a buzzer, the first edge at once."""

    def __init__(
        self, pin: int, kind: BuzzerKind | str, clock: Clock, *, pin_factory: Factory
    ) -> None:
        self._kind = BuzzerKind(kind)
        self._clock = clock
        self._device: Buzzer | TonalBuzzer
        if self._kind is BuzzerKind.PASSIVE:
            self._device = TonalBuzzer(
                pin, mid_tone=Tone.from_frequency(MID_HZ), octaves=OCTAVES,
                pin_factory=pin_factory,
            )
        else:
            self._device = Buzzer(pin, pin_factory=pin_factory)
        self._condition = threading.Condition()
        self._pending: deque[tuple[float, float | None]] = deque()  # (when, hz or None: off)
        self._closed = False
        self._player = threading.Thread(target=self._play_rest, name=f"buzzer-{pin}", daemon=True)
        self._player.start()

    def play(self, cue: Cue, *, count: int | None = None, name: str = "") -> None:
        """Sound `cue` now; returns at once. A cue still playing is cut short.

        `count` (3, 2, 1) and `name` are for spoken cues: a buzzer beeps every count alike.
        """
        first, *rest = PATTERNS[cue].switches()
        with self._condition:
            if self._closed:
                return
            self._sound(first.hz)
            start = self._clock.now()
            self._pending = deque((start + switch.offset_s, switch.hz) for switch in rest)
            self._condition.notify_all()

    def wait(self, timeout: float) -> bool:
        """Block until the pattern playing now has finished (real seconds); False on timeout."""
        with self._condition:
            return self._condition.wait_for(lambda: not self._pending, timeout)

    def _sound(self, hz: float | None) -> None:
        """Turn the buzzer to `hz`, or off (None); an active buzzer only knows on and off."""
        if isinstance(self._device, TonalBuzzer):
            self._device.tone = None if hz is None else Tone.from_frequency(hz)
        else:
            self._device.value = hz is not None

    def _play_rest(self) -> None:
        with self._condition:
            while not self._closed:
                if not self._pending:
                    self._condition.wait()
                    continue
                when, hz = self._pending[0]
                if self._clock.now() < when:
                    self._clock.wait(self._condition, when)  # play() or close() wake us early
                    continue
                self._pending.popleft()
                self._sound(hz)
                self._condition.notify_all()  # for wait()

    def close(self) -> None:
        with self._condition:
            if self._closed:
                return
            self._closed = True
            self._pending.clear()
            self._condition.notify_all()
        self._player.join()
        self._device.close()


class Glow(Enum):
    """What the status LED does, and so what it tells someone across the track."""

    OFF = "off"
    ON = "on"  # a rep is running
    SLOW = "slow"  # counting down: a rest, a set break, the lead-in, warmup or cooldown
    HEARTBEAT = "heartbeat"  # alive and waiting for the button (ready, paused)
    FAST = "fast"  # the beam sensor is lost


_BLINK_S = {Glow.SLOW: (0.5, 0.5), Glow.HEARTBEAT: (0.1, 1.9), Glow.FAST: (0.1, 0.1)}
_GLOW_BY_PHASE = {
    Phase.REP: Glow.ON,
    Phase.REST: Glow.SLOW,
    Phase.SET_BREAK: Glow.SLOW,
    Phase.LEAD_IN: Glow.SLOW,
    Phase.WARMUP: Glow.SLOW,
    Phase.COOLDOWN: Glow.SLOW,
    Phase.READY: Glow.HEARTBEAT,
    Phase.PAUSED: Glow.HEARTBEAT,
    Phase.FINISHED: Glow.OFF,
}


def glow_for(phase: Phase, sensor: SensorState) -> Glow:
    if phase is Phase.FINISHED:
        return Glow.OFF
    return Glow.FAST if sensor is SensorState.LOST else _GLOW_BY_PHASE[phase]


class StatusLed:
    """An LED that shows the phase (and a lost sensor) at a glance: a display of one pixel."""

    def __init__(self, pin: int, *, pin_factory: Factory) -> None:
        self._led = LED(pin, pin_factory=pin_factory)
        self._glow = Glow.OFF
        self._closed = False

    def show(self, view: View, now: float) -> None:
        """Call as often as you like: the LED changes (and a blink restarts) only on a change."""
        glow = glow_for(view.phase, view.sensor)
        if glow is self._glow or self._closed:
            return
        self._glow = glow
        if glow is Glow.OFF:
            self._led.off()
        elif glow is Glow.ON:
            self._led.on()
        else:
            on_s, off_s = _BLINK_S[glow]
            self._led.blink(on_time=on_s, off_time=off_s)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._led.close()
