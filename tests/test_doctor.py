import argparse
import io
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest
from gpiozero import DigitalInputDevice
from gpiozero.pins.mock import MockFactory, MockPWMPin

from trackside.adapters import gpio
from trackside.checks import Finding, Probe, Status, hardware, system
from trackside.checks.hardware import (
    check_button,
    check_buzzer,
    check_pin_factory,
    check_pins,
    version_key,
)
from trackside.checks.system import check_audio, check_display, missing_groups
from trackside.cli import main
from trackside.commands import doctor
from trackside.config import BeamConfig, WebConfig
from trackside.runtime.clock import FakeClock


@pytest.fixture
def factory() -> Iterator[MockFactory]:
    factory = MockFactory(pin_class=MockPWMPin)
    yield factory
    factory.reset()


def real_pins(factory: MockFactory, **options: object) -> Probe:
    """A probe that takes the mock pins for real GPIO: claims, beeps and presses happen."""
    return Probe(factory=factory, mock=False, model="Raspberry Pi 5 Model B Rev 1.0", **options)


def args(**overrides: object) -> argparse.Namespace:
    defaults = dict(button_pin=17, buzzer_pin=18, buzzer="active", wait=5.0, speaker=True,
                    display=True, beam=BeamConfig(), web=WebConfig())
    return argparse.Namespace(**defaults | overrides)


# --- the command -----------------------------------------------------------------------


def test_each_check_is_one_line_and_a_failure_shows_its_fix_and_exits_1() -> None:
    out = io.StringIO()
    code = doctor.report(
        [
            Finding("pins", Status.OK, "BCM 17 (button) is free"),
            Finding("audio", Status.FAIL, "no sound device", "plug in a speaker"),
            Finding("button", Status.SKIP, "nobody at the keyboard"),
        ],
        out,
    )
    assert code == 1
    assert out.getvalue().splitlines() == [
        "OK    pins         BCM 17 (button) is free",
        "FAIL  audio        no sound device",
        "                   fix: plug in a speaker",
        "SKIP  button       nobody at the keyboard",
        "1 problem to fix",
    ]


def test_skipped_checks_are_not_failures() -> None:
    out = io.StringIO()
    assert doctor.report([Finding("buzzer", Status.SKIP, "none configured")], out) == 0
    assert out.getvalue().endswith("all good\n")


def test_doctor_runs_every_check_and_a_broken_check_is_a_failure_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def check_fine(probe: Probe) -> Finding:
        return Finding("fine", Status.OK, f"button on BCM {probe.button_pin}")

    def check_broken_thing(probe: Probe) -> Finding:
        raise RuntimeError("boom")

    monkeypatch.setattr(doctor, "CHECKS", (check_fine, check_broken_thing))
    monkeypatch.setattr(doctor, "raspberry_pi_model", lambda: None)
    assert main(["doctor", "--button-pin", "22"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "OK    fine         button on BCM 22"
    assert lines[1].startswith("FAIL  broken thing") and "boom" in lines[1]


def test_the_same_pin_for_button_and_buzzer_is_bad_input(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["doctor", "--button-pin", "18"]) == 2
    assert "both BCM 18" in capsys.readouterr().err


# --- the pin factory -------------------------------------------------------------------


def test_off_a_pi_the_gpio_checks_skip_with_mock_pins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GPIOZERO_PIN_FACTORY", raising=False)
    monkeypatch.setattr(doctor, "raspberry_pi_model", lambda: None)
    probe = doctor.probe_this_machine(args(), io.StringIO())
    try:
        assert probe.mock
        for check in (check_pin_factory, check_pins, check_buzzer, check_button):
            assert check(probe).status is Status.SKIP
    finally:
        probe.close()


def test_a_pi_without_lgpio_fails_with_the_apt_and_venv_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GPIOZERO_PIN_FACTORY", raising=False)
    monkeypatch.setattr(doctor, "raspberry_pi_model", lambda: "Raspberry Pi 5 Model B Rev 1.0")
    monkeypatch.setitem(gpio._REAL_FACTORIES, "lgpio", "no_such_lgpio_module:LGPIOFactory")
    probe = doctor.probe_this_machine(args(), io.StringIO())
    finding = check_pin_factory(probe)
    assert finding.status is Status.FAIL
    assert "python3-lgpio" in finding.fix and "--system-site-packages" in finding.fix
    assert check_pins(probe).status is Status.SKIP


def test_rpi_gpio_asked_for_on_a_pi_5_fails_and_points_to_lgpio(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "rpigpio")
    monkeypatch.setattr(doctor, "raspberry_pi_model", lambda: "Raspberry Pi 5 Model B Rev 1.0")
    finding = check_pin_factory(doctor.probe_this_machine(args(), io.StringIO()))
    assert finding.status is Status.FAIL and "lgpio" in finding.fix


@pytest.mark.parametrize(
    ("version", "new_enough"),
    [("2.0.1.post3", True), ("2.0.2", True), ("2.1", True), ("2.0.1.post2", False),
     ("2.0.1", False), ("1.6.2", False)],
)
def test_gpiozero_must_be_at_least_2_0_1_post3(version: str, new_enough: bool) -> None:
    assert (version_key(version) >= hardware.GPIOZERO_AT_LEAST) is new_enough


# --- pins, buzzer, button --------------------------------------------------------------


def test_free_pins_are_claimed_and_released(factory: MockFactory) -> None:
    finding = check_pins(real_pins(factory))
    assert finding == Finding("pins", Status.OK, "BCM 17 (button) and BCM 18 (buzzer) are free")
    DigitalInputDevice(17, pin_factory=factory).close()  # released again


def test_a_busy_pin_fails_and_suggests_another(factory: MockFactory) -> None:
    holder = DigitalInputDevice(18, pin_factory=factory)
    try:
        finding = check_pins(real_pins(factory))
    finally:
        holder.close()
    assert finding.status is Status.FAIL and finding.detail.startswith("buzzer pin")
    assert "--buzzer-pin" in finding.fix


def test_the_buzzer_check_beeps_go(factory: MockFactory) -> None:
    probe = real_pins(factory, buzzer=gpio.BuzzerKind.PASSIVE, clock=FakeClock())
    finding = check_buzzer(probe)
    assert finding.status is Status.OK and "--buzzer active" in finding.detail
    assert [state.state for state in factory.pin(18).states] == [0, 0.5, 0]


def test_a_press_within_the_wait_passes_the_button_check(factory: MockFactory) -> None:
    def press(prompt: str) -> None:  # the user reads the prompt and presses
        assert "BCM 17" in prompt
        factory.pin(17).drive_low()

    finding = check_button(real_pins(factory, interactive=True, wait_s=1.0, say=press))
    assert finding.status is Status.OK and finding.detail.startswith("pressed after")


def test_no_press_fails_the_button_check_with_wiring_advice(factory: MockFactory) -> None:
    finding = check_button(real_pins(factory, interactive=True, wait_s=0.05))
    assert finding.status is Status.FAIL and "GND" in finding.fix


def test_without_a_terminal_the_button_check_skips(factory: MockFactory) -> None:
    assert check_button(real_pins(factory, interactive=False)).status is Status.SKIP


# --- display, audio, groups ------------------------------------------------------------


def test_the_display_check_names_the_drivers_that_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(system, "try_video_driver", lambda d: None if d == "x11" else "no")
    finding = check_display(Probe())
    assert finding.status is Status.OK
    assert "pygame-ce" in finding.detail and "works: x11" in finding.detail


def test_no_video_driver_fails_and_explains_kmsdrm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(system, "try_video_driver", lambda driver: f"{driver} not available")
    finding = check_display(Probe())
    assert finding.status is Status.FAIL and "kmsdrm not available" in finding.detail
    assert "video, render and input groups" in finding.fix


def test_the_audio_check_opens_the_mixer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SDL_AUDIODRIVER", "disk")
    monkeypatch.setenv("SDL_DISKAUDIOFILE", str(tmp_path / "out.raw"))
    finding = check_audio(Probe(clock=FakeClock()))
    assert finding.status is Status.OK and "Hz" in finding.detail and "disk" in finding.detail
    assert pygame.mixer.get_init() is None  # closed again


def test_no_sound_device_fails_with_the_systemd_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_AUDIODRIVER", "no_such_device_driver")
    finding = check_audio(Probe())
    assert finding.status is Status.FAIL and "XDG_RUNTIME_DIR" in finding.fix
    assert check_audio(Probe(speaker=False)).status is Status.SKIP


def test_groups_to_join_and_groups_waiting_for_a_new_login() -> None:
    wanted = {"gpio", "video", "input"}
    assert missing_groups(wanted, member_of={"gpio", "video"}, session={"gpio"}) == (
        ["input"],
        ["video"],
    )
    assert missing_groups(wanted, member_of=wanted, session=wanted) == ([], [])


def test_the_beam_check_skips_without_a_beam_and_fails_on_a_missing_port() -> None:
    from trackside.checks import Status
    from trackside.checks.serial import check_beam

    assert check_beam(Probe()).status is Status.SKIP
    finding = check_beam(Probe(beam=BeamConfig(port="/dev/serial/by-id/no-such-sensor")))
    assert finding.status is Status.FAIL and "no-such-sensor" in finding.detail


def test_the_beam_check_shows_crossings_live_on_a_pseudo_terminal() -> None:
    import os
    import tty

    from trackside.checks import Status
    from trackside.checks.serial import check_beam
    from trackside.runtime.clock import FakeClock

    master, slave = os.openpty()
    tty.setraw(slave)
    said: list[str] = []
    try:
        os.write(master, b"BRK\n")
        probe = Probe(beam=BeamConfig(port=os.ttyname(slave)), watch_s=0.0, say=said.append,
                      clock=FakeClock())
        finding = check_beam(probe)
    finally:
        os.close(master)
        os.close(slave)
    assert finding.status is Status.OK and "opens at 9600 baud" in finding.detail
