"""The button, buzzer and LED on gpiozero's mock pins.

gpiozero's `assert_states` zips and so passes on a short list: whole lists are compared.
Background threads (the button's settling, the buzzer's pattern) are waited for by
polling with a small bound, never by sleeping a pattern's length.
"""

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gpiozero import DigitalInputDevice
from gpiozero.pins.mock import MockFactory, MockPWMPin
from view_factory import view

from trackside.adapters import gpio
from trackside.adapters.gpio import (
    MOCK_NOTICE,
    BuzzerCues,
    Glow,
    StartButton,
    StatusLed,
    glow_for,
    pin_factory,
    raspberry_pi_model,
)
from trackside.core.cues import PATTERNS
from trackside.core.errors import UserError
from trackside.core.events import ButtonPressed, ButtonReleased, Cue, Phase, SensorState
from trackside.runtime.clock import FakeClock
from trackside.runtime.inbox import Inbox


def wait_for(condition: Callable[[], bool], timeout: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.002)
    return True


def taken(inbox: Inbox, count: int) -> list:
    """The first `count` inputs to reach the inbox (they settle on a background thread)."""
    got: list = []
    wait_for(lambda: got.extend(inbox.take_due(float("inf"))) or len(got) >= count)
    return got


class ManualClock(FakeClock):
    """A fake clock that does not jump when waited on: only the test moves it."""

    def wait(self, condition: threading.Condition, until: float) -> None:
        condition.wait(0.002)


def recording_factory(clock: FakeClock) -> MockFactory:
    """Mock pins that log (clock time, on, frequency) at every change of output."""

    class RecordingPin(MockPWMPin):
        def __init__(self, factory: MockFactory, info: object) -> None:
            self.history: list[tuple[float, bool, float | None]] = []
            super().__init__(factory, info)

        def _heard(self) -> tuple[bool, float | None]:
            on = self._function == "output" and bool(self._state)
            return on, self._frequency if on else None

        def _log_change(self, before: tuple[bool, float | None]) -> None:
            last = self.history[-1][1:] if self.history else before
            if self._heard() != last:  # once, though frequency=None nests a state change
                self.history.append((round(clock.now(), 6), *self._heard()))

        def _change_state(self, value: float) -> bool:
            before = self._heard()
            changed = super()._change_state(value)
            self._log_change(before)
            return changed

        def _set_frequency(self, value: float | None) -> None:
            before = self._heard()
            super()._set_frequency(value)
            self._log_change(before)

    return MockFactory(pin_class=RecordingPin)


@pytest.fixture
def factory() -> Iterator[MockFactory]:
    factory = MockFactory(pin_class=MockPWMPin)
    yield factory
    factory.reset()


# --- the pin factory -------------------------------------------------------------------


def test_off_a_pi_the_factory_is_mock_pins_with_one_notice_and_no_warnings(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    recwarn: pytest.WarningsRecorder,
) -> None:
    monkeypatch.delenv("GPIOZERO_PIN_FACTORY", raising=False)
    monkeypatch.setattr(gpio, "raspberry_pi_model", lambda: None)
    assert isinstance(pin_factory(None), MockFactory)
    assert [record.getMessage() for record in caplog.records] == [MOCK_NOTICE]
    assert len(recwarn) == 0


def test_a_pi_whose_gpio_will_not_start_falls_back_to_mock_pins_and_says_how_to_fix_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.delenv("GPIOZERO_PIN_FACTORY", raising=False)
    monkeypatch.setattr(gpio, "raspberry_pi_model", lambda: "Raspberry Pi 5 Model B Rev 1.0")
    monkeypatch.setitem(gpio._REAL_FACTORIES, "lgpio", "no_such_module_lgpio:LGPIOFactory")
    assert isinstance(pin_factory(None), MockFactory)
    (record,) = caplog.records
    assert "--system-site-packages" in record.getMessage()


def test_an_unknown_factory_name_is_a_user_error() -> None:
    with pytest.raises(UserError, match="'gpiod'"):
        pin_factory("gpiod")


def test_the_pi_model_is_read_from_the_device_tree(tmp_path: Path) -> None:
    model = tmp_path / "model"
    model.write_bytes(b"Raspberry Pi 4 Model B Rev 1.5\0")
    assert raspberry_pi_model(model) == "Raspberry Pi 4 Model B Rev 1.5"
    model.write_bytes(b"Some Other Board\0")
    assert raspberry_pi_model(model) is None
    assert raspberry_pi_model(tmp_path / "missing") is None


# --- the button ------------------------------------------------------------------------


def test_press_and_release_are_stamped_with_the_clock_at_their_edges(
    factory: MockFactory,
) -> None:
    inbox, clock = Inbox(), FakeClock(t=12.5)
    button = StartButton(17, inbox.put, clock, pin_factory=factory)
    try:
        factory.pin(17).drive_low()  # pulled up: low is pressed
        clock.t = 12.9
        factory.pin(17).drive_high()
        clock.t = 13.0
        assert taken(inbox, 2) == [ButtonPressed(at=12.5), ButtonReleased(at=12.9)]
    finally:
        button.close()


def test_a_press_held_still_reaches_the_inbox_once_the_window_has_passed(
    factory: MockFactory,
) -> None:
    inbox, clock = Inbox(), FakeClock(t=5.0)
    button = StartButton(17, inbox.put, clock, pin_factory=factory, debounce_s=0.01)
    try:
        factory.pin(17).drive_low()
        clock.t = 5.02  # still held, no further edge
        assert taken(inbox, 1) == [ButtonPressed(at=5.0)]
    finally:
        button.close()


def test_chatter_within_the_window_gives_one_press_and_one_release(factory: MockFactory) -> None:
    inbox, clock = Inbox(), FakeClock()
    button = StartButton(17, inbox.put, clock, pin_factory=factory, debounce_s=0.01)
    pin = factory.pin(17)
    try:
        for step, at in enumerate([1.0, 1.002, 1.004, 1.006, 1.008]):
            clock.t = at
            pin.drive_low() if step % 2 == 0 else pin.drive_high()
        for step, at in enumerate([2.0, 2.001, 2.003]):
            clock.t = at
            pin.drive_high() if step % 2 == 0 else pin.drive_low()
        clock.t = 3.0
        pin.drive_low()  # the next press: nothing extra came before it
        clock.t = 3.5
        expected = [ButtonPressed(at=1.0), ButtonReleased(at=2.0), ButtonPressed(at=3.0)]
        assert taken(inbox, 3) == expected
    finally:
        button.close()


def test_a_glitch_on_the_line_is_not_a_press(factory: MockFactory) -> None:
    inbox, clock = Inbox(), FakeClock(t=1.0)
    button = StartButton(17, inbox.put, clock, pin_factory=factory)
    pin = factory.pin(17)
    try:
        pin.drive_low()
        clock.t = 1.001
        pin.drive_high()  # a 1 ms spike
        clock.t = 4.0
        pin.drive_low()  # then a real press
        clock.t = 4.5
        assert taken(inbox, 1) == [ButtonPressed(at=4.0)]
    finally:
        button.close()


def test_a_closed_button_frees_its_pin_and_closing_twice_is_harmless(factory: MockFactory) -> None:
    button = StartButton(17, Inbox().put, FakeClock(), pin_factory=factory)
    button.close()
    button.close()
    DigitalInputDevice(17, pin_factory=factory).close()  # the pin is free again


# --- the buzzer ------------------------------------------------------------------------


def expected_history(cue: Cue, passive: bool) -> list[tuple[float, bool, float | None]]:
    return [
        (round(switch.offset_s, 6), switch.hz is not None, switch.hz if passive else None)
        for switch in PATTERNS[cue].switches()
    ]


@pytest.mark.parametrize("cue", list(Cue))
@pytest.mark.parametrize("kind", ["active", "passive"])
def test_each_cue_plays_its_whole_pattern_on_the_pin(cue: Cue, kind: str) -> None:
    clock = FakeClock()
    factory = recording_factory(clock)
    buzzer = BuzzerCues(18, kind, clock, pin_factory=factory)
    try:
        buzzer.play(cue)
        assert buzzer.wait(timeout=0.5)
        history = factory.pin(18).history
        if kind == "passive":  # gpiozero's Tone rounds nothing: compare to the Hz we asked
            history = [(t, on, round(hz, 2) if hz else None) for t, on, hz in history]
        assert history == expected_history(cue, passive=kind == "passive")
    finally:
        buzzer.close()


def test_the_first_edge_sounds_before_play_returns() -> None:
    clock = ManualClock()
    factory = recording_factory(clock)
    buzzer = BuzzerCues(18, "active", clock, pin_factory=factory)
    try:
        buzzer.play(Cue.GO)
        assert factory.pin(18).history == [(0.0, True, None)]
        assert not buzzer.wait(timeout=0.01)  # the rest waits for the clock
    finally:
        buzzer.close()


def test_a_new_cue_cuts_the_one_playing_short() -> None:
    clock = ManualClock()
    factory = recording_factory(clock)
    buzzer = BuzzerCues(18, "passive", clock, pin_factory=factory)
    pin = factory.pin(18)
    try:
        buzzer.play(Cue.SET_DONE)  # 0.3 s at 1760 Hz, then more
        clock.t = 0.1
        buzzer.play(Cue.COUNT)  # 0.15 s at 880 Hz
        clock.t = 0.25
        assert wait_for(lambda: len(pin.history) == 3)
        clock.t = 5.0  # long past where SET_DONE would have gone on
        assert buzzer.wait(timeout=0.5)
        assert pin.history == [(0.0, True, 1760.0), (0.1, True, 880.0), (0.25, False, None)]
    finally:
        buzzer.close()


def test_closing_the_buzzer_silences_it_and_twice_is_harmless() -> None:
    clock = ManualClock()
    factory = recording_factory(clock)
    buzzer = BuzzerCues(18, "active", clock, pin_factory=factory)
    buzzer.play(Cue.GO)
    buzzer.close()
    buzzer.close()
    assert factory.pin(18).history[-1][1] is False
    buzzer.play(Cue.GO)  # after close: nothing, no error


# --- the status LED --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "glow"),
    [
        (Phase.READY, Glow.HEARTBEAT),
        (Phase.WARMUP, Glow.SLOW),
        (Phase.LEAD_IN, Glow.SLOW),
        (Phase.REP, Glow.ON),
        (Phase.REST, Glow.SLOW),
        (Phase.SET_BREAK, Glow.SLOW),
        (Phase.COOLDOWN, Glow.SLOW),
        (Phase.PAUSED, Glow.HEARTBEAT),
        (Phase.FINISHED, Glow.OFF),
    ],
)
def test_every_phase_has_its_glow(phase: Phase, glow: Glow) -> None:
    assert glow_for(phase, SensorState.ONLINE) is glow
    lost = Glow.OFF if phase is Phase.FINISHED else Glow.FAST  # a lost beam shows anywhere
    assert glow_for(phase, SensorState.LOST) is lost


def test_the_led_is_lit_in_a_rep_blinks_fast_for_a_lost_sensor_and_goes_out_at_the_end(
    factory: MockFactory,
) -> None:
    led = StatusLed(23, pin_factory=factory)
    pin = factory.pin(23)
    try:
        led.show(view(phase=Phase.REP, sensor=SensorState.ONLINE), 0.0)
        assert pin.state
        pin.clear_states()
        led.show(view(phase=Phase.REP, sensor=SensorState.LOST), 0.1)
        assert wait_for(lambda: len(pin.states) >= 4)  # blinking: off, on, off...
        led.show(view(phase=Phase.REP, sensor=SensorState.LOST), 0.2)  # no restart
        led.show(view(phase=Phase.FINISHED, sensor=SensorState.LOST), 0.3)
        assert wait_for(lambda: not pin.state)
    finally:
        led.close()
        led.close()


def test_waiting_for_the_button_is_a_short_flash_now_and_then(factory: MockFactory) -> None:
    led = StatusLed(23, pin_factory=factory)
    pin = factory.pin(23)
    try:
        led.show(view(phase=Phase.READY), 0.0)
        assert wait_for(lambda: pin.state)  # the flash
        assert wait_for(lambda: not pin.state)  # over within a tenth, then dark for long
    finally:
        led.close()
