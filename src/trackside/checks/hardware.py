"""Checks of the GPIO: gpiozero itself, the pin factory, the pins, the buzzer, the button."""

from __future__ import annotations

import re
from importlib import metadata

from trackside.adapters.gpio import BuzzerCues, BuzzerKind, StartButton
from trackside.checks import Finding, Probe, Status
from trackside.core.events import ButtonPressed, Cue
from trackside.runtime.inbox import Inbox

GPIOZERO_AT_LEAST = (2, 0, 1, 3)  # 2.0.1.post3: post1/post2 broke the Pi 5's auto-detection


def version_key(version: str) -> tuple[int, ...]:
    """'2.0.1.post3' -> (2, 0, 1, 3); a plain release sorts before its post releases."""
    release = [int(part) for part in re.findall(r"\d+", version.split(".post")[0])[:3]]
    post = re.search(r"\.post(\d+)", version)
    return (*release, *[0] * (3 - len(release)), int(post.group(1)) if post else -1)


def check_gpiozero(probe: Probe) -> Finding:
    version = metadata.version("gpiozero")
    if version_key(version) >= GPIOZERO_AT_LEAST:
        return Finding("gpiozero", Status.OK, version)
    return Finding(
        "gpiozero", Status.FAIL, f"{version} is too old (it may miss the Pi 5's GPIO chip)",
        "pip install --upgrade 'gpiozero>=2.0.1.post3'",
    )


def check_pin_factory(probe: Probe) -> Finding:
    if probe.mock:
        return Finding(
            "pin factory", Status.SKIP, "not a Raspberry Pi: mock pins, the keyboard is the button"
        )
    if probe.factory is None:
        error = probe.factory_error
        assert error is not None
        return Finding("pin factory", Status.FAIL, str(error), error.fix)
    name = type(probe.factory).__name__.removesuffix("Factory")
    chip = getattr(probe.factory, "chip", None)
    where = (probe.model or "this board") + ("" if chip is None else f", gpiochip{chip}")
    return Finding("pin factory", Status.OK, f"{name} on {where}")


def _pin_fix(pin: int, option: str) -> str:
    return (
        f"BCM {pin} is taken: stop whatever holds it (another trackside: systemctl stop"
        " trackside; an overlay in /boot/firmware/config.txt, e.g. 1-Wire on BCM 4 or audio PWM"
        f" on 18/19) or choose another pin with {option}"
    )


def _buzzer(probe: Probe) -> BuzzerCues:
    assert probe.buzzer is not None and probe.factory is not None
    return BuzzerCues(probe.buzzer_pin, probe.buzzer, probe.clock, pin_factory=probe.factory)


def _button(probe: Probe, inbox: Inbox) -> StartButton:
    assert probe.factory is not None
    return StartButton(probe.button_pin, inbox.put, probe.clock, pin_factory=probe.factory)


def check_pins(probe: Probe) -> Finding:
    if probe.factory is None or probe.mock:
        return Finding("pins", Status.SKIP, "no real GPIO to claim")
    try:
        _button(probe, Inbox()).close()
    except Exception as exc:  # noqa: BLE001 - a busy pin fails differently on each backend
        fix = _pin_fix(probe.button_pin, "--button-pin")
        return Finding("pins", Status.FAIL, f"button pin: {exc}", fix)
    claimed = [f"BCM {probe.button_pin} (button)"]
    if probe.buzzer is not None:
        try:
            _buzzer(probe).close()
        except Exception as exc:  # noqa: BLE001
            fix = _pin_fix(probe.buzzer_pin, "--buzzer-pin")
            return Finding("pins", Status.FAIL, f"buzzer pin: {exc}", fix)
        claimed.append(f"BCM {probe.buzzer_pin} (buzzer)")
    return Finding("pins", Status.OK, " and ".join(claimed) + " are free")


def check_buzzer(probe: Probe) -> Finding:
    if probe.buzzer is None:
        return Finding("buzzer", Status.SKIP, "none configured")
    if probe.factory is None or probe.mock:
        return Finding("buzzer", Status.SKIP, "no real GPIO to beep")
    try:
        buzzer = _buzzer(probe)
    except Exception as exc:  # noqa: BLE001
        return Finding("buzzer", Status.FAIL, str(exc), _pin_fix(probe.buzzer_pin, "--buzzer-pin"))
    try:
        buzzer.play(Cue.GO)
        buzzer.wait(timeout=2.0)
    finally:
        buzzer.close()
    other = "active" if probe.buzzer is BuzzerKind.PASSIVE else "passive"
    return Finding(
        "buzzer", Status.OK,
        f"beeped BCM {probe.buzzer_pin} ({probe.buzzer.value}) for 0.7 s. Heard nothing? Its +"
        f" leg goes to BCM {probe.buzzer_pin}, - to GND. Only a click? Try --buzzer {other}",
    )


def check_button(probe: Probe) -> Finding:
    if probe.factory is None or probe.mock:
        return Finding("button", Status.SKIP, "no real GPIO: the keyboard is the button")
    if not probe.interactive or probe.wait_s <= 0:
        return Finding(
            "button", Status.SKIP, "nobody at the keyboard: run doctor in a terminal to try a press"
        )
    inbox, clock = Inbox(), probe.clock
    try:
        button = _button(probe, inbox)
    except Exception as exc:  # noqa: BLE001
        return Finding("button", Status.FAIL, str(exc), _pin_fix(probe.button_pin, "--button-pin"))
    try:
        start = clock.now()
        probe.say(f"      press the button on BCM {probe.button_pin} within {probe.wait_s:g} s...")
        while (now := clock.now()) < start + probe.wait_s:
            presses = [item for item in inbox.take_due(now) if isinstance(item, ButtonPressed)]
            if presses:
                return Finding("button", Status.OK, f"pressed after {presses[0].at - start:.1f} s")
            inbox.wait_until(start + probe.wait_s, clock)
    finally:
        button.close()
    return Finding(
        "button", Status.FAIL, f"no press on BCM {probe.button_pin} in {probe.wait_s:g} s",
        f"wire the button from BCM {probe.button_pin} to a GND pin (the internal pull-up is"
        f" used); `pinctrl get {probe.button_pin}` reads lo while it is held",
    )
