"""`trackside doctor`: is this machine ready for the track? One line per check.

The checks live in `trackside.checks` (one small function each); CHECKS below is the
order they run in. The exit code is 0 only if nothing configured failed. What to check
(pins, buzzer kind, speaker, display) comes from the configuration file; options win.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from trackside.adapters.gpio import (
    BuzzerKind,
    GpioUnavailable,
    load_factory,
    mock_factory,
    raspberry_pi_model,
    real_factory,
)
from trackside.checks import Check, Finding, Probe, Status
from trackside.checks.hardware import (
    check_button,
    check_buzzer,
    check_gpiozero,
    check_pin_factory,
    check_pins,
)
from trackside.checks.serial import check_beam, check_serial_ports
from trackside.checks.system import check_audio, check_display, check_groups
from trackside.checks.web import check_web
from trackside.commands.options import (
    add_beam_options,
    beam_settings,
    like_setting,
    seconds_up_to,
    whole_number,
)
from trackside.config import ButtonConfig, BuzzerConfig, Config, load_config
from trackside.core.errors import UserError

MAX_WAIT_S = 120.0  # for a press or a crossing: someone is at the button or the beam

CHECKS: tuple[Check, ...] = (
    check_gpiozero,
    check_pin_factory,
    check_pins,
    check_buzzer,
    check_button,
    check_serial_ports,
    check_beam,
    check_display,
    check_audio,
    check_groups,
    check_web,
)


def probe_this_machine(args: argparse.Namespace, out: TextIO) -> Probe:
    """Look at the machine once: the options, the Pi model, and its pin factory started."""
    probe = Probe(
        button_pin=args.button_pin,
        buzzer_pin=args.buzzer_pin,
        buzzer=None if args.buzzer == "none" else BuzzerKind(args.buzzer),
        wait_s=args.wait,
        speaker=args.speaker,
        display=args.display,
        interactive=sys.stdin.isatty(),
        model=raspberry_pi_model(),
        beam=args.beam,
        watch_s=args.wait,
        web=args.web,
        say=lambda text: print(text, file=out, flush=True),
    )
    kind = (os.environ.get("GPIOZERO_PIN_FACTORY") or "auto").lower()
    if kind == "mock" or (kind == "auto" and probe.model is None):
        probe.factory, probe.mock = mock_factory(), True
        return probe
    try:
        if kind == "auto":
            probe.factory = real_factory(probe.model)
        else:
            probe.factory = load_factory(kind, probe.model)
    except GpioUnavailable as exc:
        probe.factory_error = exc
    return probe


def run_checks(checks: Iterable[Check], probe: Probe) -> Iterator[Finding]:
    for check in checks:
        try:
            yield check(probe)
        except Exception as exc:  # noqa: BLE001 - a broken check is a finding, not a crash
            name = check.__name__.removeprefix("check_").replace("_", " ")
            yield Finding(name, Status.FAIL, f"the check itself failed: {exc!r}", "report this bug")


def report(findings: Iterable[Finding], out: TextIO) -> int:
    """Print one line per finding (a failure's fix under it); 0 if none failed, else 1."""
    failed = 0
    for finding in findings:
        line = f"{finding.status.value:<4}  {finding.name:<11}  {finding.detail}"
        print(line, file=out, flush=True)
        if finding.status is Status.FAIL:
            failed += 1
            print(f"{'':<4}  {'':<11}  fix: {finding.fix}", file=out, flush=True)
    print("all good" if not failed else f"{failed} problem{'s' * (failed > 1)} to fix", file=out)
    return 0 if not failed else 1


def with_config(args: argparse.Namespace, config: Config) -> argparse.Namespace:
    """The options, with each one not given taken from the configuration file."""
    def given_or(value: object, configured: object) -> object:
        return configured if value is None else value

    return argparse.Namespace(**vars(args) | {
        "button_pin": given_or(args.button_pin, config.button.pin),
        "buzzer_pin": given_or(args.buzzer_pin, config.buzzer.pin),
        "buzzer": given_or(args.buzzer, config.buzzer.kind),
        "speaker": given_or(args.speaker, config.audio.enabled),
        "display": given_or(args.display, config.display.mode != "headless"),
        "beam": beam_settings(args, config.beam),
        "web": config.web,
    })


def _run(args: argparse.Namespace) -> int:
    args = with_config(args, load_config(args.config))
    if args.button_pin == args.buzzer_pin and args.buzzer != "none":
        raise UserError(f"the button and the buzzer are both BCM {args.button_pin}")
    probe = probe_this_machine(args, sys.stdout)
    try:
        return report(run_checks(CHECKS, probe), sys.stdout)
    finally:
        probe.close()


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Check what Trackside needs on this machine, one line each, with a fix"
        " for each failure. Exits 0 only if everything configured works.")
    parser.add_argument("--config", metavar="FILE",
                        help="the configuration file to take the pins and devices from")
    parser.add_argument("--button-pin", type=like_setting(ButtonConfig, "pin", whole_number),
                        metavar="N", help="BCM pin (default: the config's, 17)")
    parser.add_argument("--buzzer-pin", type=like_setting(BuzzerConfig, "pin", whole_number),
                        metavar="N", help="BCM pin (default: the config's, 18)")
    parser.add_argument("--buzzer", choices=("active", "passive", "none"),
                        help="the buzzer's kind (default: the config's, active)")
    parser.add_argument("--wait", type=seconds_up_to(MAX_WAIT_S), default=5.0, metavar="S",
                        help="seconds to wait for a press, and to watch the beam "
                             f"(5, at most {MAX_WAIT_S:g})")
    parser.add_argument("--speaker", action=argparse.BooleanOptionalAction,
                        help="check the sound device (default: the config's audio.enabled)")
    parser.add_argument("--display", action=argparse.BooleanOptionalAction,
                        help="check the display (default: unless the config says headless)")
    add_beam_options(parser)
    parser.set_defaults(run=_run)
