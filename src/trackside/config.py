"""Settings from one TOML file, validated; the only place that reads settings files.

Where the file is: `--config FILE`, else `$TRACKSIDE_CONFIG`, else
`~/.config/trackside/config.toml` ($XDG_CONFIG_HOME), else `/etc/trackside/config.toml`
($CONFIGURATION_DIRECTORY under systemd), else the defaults. Command-line options win over
the file. A bad key or value is a `UserError` naming the key and its line.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from trackside.core.errors import UserError
from trackside.core.plan import Metres, Seconds
from trackside.core.problems import Problem, Schema, first_problem, parse_path
from trackside.core.sensor_lines import build_protocol
from trackside.core.toml_locator import TomlLocator
from trackside.core.units import parse_pace, parse_speed
from trackside.toml_errors import located, syntax_error

# BCM numbers of the GPIOs on the 40-pin header (0 and 1 are the HAT EEPROM's I2C).
# Strict: TOML has real integers, and `pin = true` is a mistake, not GPIO 1.
BcmPin = Annotated[int, Field(ge=2, le=27, strict=True,
                              description="a BCM GPIO number on the header")]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ButtonConfig(_Section):
    pin: BcmPin = 17  # to ground; the internal pull-up is used
    second_pin: BcmPin | None = None  # an optional second button (e.g. at the finish line)
    debounce_ms: float = Field(default=10.0, ge=0, le=200)
    hold_s: Seconds = 2.0  # pause / resume
    long_hold_s: Seconds = 5.0  # end the session


class BuzzerConfig(_Section):
    kind: Literal["active", "passive", "none"] = "active"
    pin: BcmPin = 18


class LedConfig(_Section):
    pin: BcmPin | None = None


class BeamConfig(_Section):
    port: str | None = None  # '/dev/serial/by-id/...', 'auto', or none: no beam
    baud: int = Field(default=9600, gt=0, le=4_000_000)
    protocol: Literal["line", "stamped", "alge"] = "line"
    pattern: str | None = None  # `line`: only lines matching this regex are crossings
    channels: tuple[str, ...] | None = None  # `alge`: the Timy channels that are crossings
    # (None: c1, the finish); `stamped`: the beam ids that count (None: every beam)
    max_drift_ppm: float | None = Field(default=None, gt=0, le=100_000)  # how far the
    # sensor's clock may drift from the Pi's (None: the protocol's bound, 5000 or 50)


class TimingConfig(_Section):
    lead_in_s: Seconds = 5.0
    min_lap_s: Seconds | None = None  # None: half the target of each stretch
    lap_m: Metres = 400.0
    warning_s: Seconds = 10.0  # the 'ten seconds' cue
    count_in: int = Field(default=3, ge=0, le=10)


class DisplayConfig(_Section):
    mode: Literal["auto", "fullscreen", "window", "terminal", "headless"] = "auto"
    size: tuple[int, int] | None = None
    theme: Literal["day", "night"] = "day"

    @field_validator("size", mode="before")
    @classmethod
    def _size_from_text(cls, value: object) -> object:
        if isinstance(value, str):
            width, _, height = value.lower().partition("x")
            if not (width.isdigit() and height.isdigit()):
                raise ValueError(f"{value!r} is not a size (write \"1920x1080\")")
            return int(width), int(height)
        return value


class AudioConfig(_Section):
    enabled: bool = True
    volume: float = Field(default=0.8, ge=0.0, le=1.0)
    voice: bool = False  # spoken cues ('ten seconds', 'go', 'set two')


class DatabaseConfig(_Section):
    path: str | None = None  # None: the data folder (see `trackside history --help`)


class PlanConfig(_Section):
    default: str = "descending-400s"  # what `trackside run` runs with no PLAN
    pace: str | None = None  # the athlete's race pace, e.g. '4:30/km'
    max_speed: str | None = None  # the reference for % targets, e.g. '8.5m/s'

    @field_validator("pace")
    @classmethod
    def _pace(cls, value: str | None) -> str | None:
        if value is not None:
            parse_pace(value)
        return value

    @field_validator("max_speed")
    @classmethod
    def _speed(cls, value: str | None) -> str | None:
        if value is not None:
            parse_speed(value)
        return value


class Config(_Section):
    button: ButtonConfig = ButtonConfig()
    buzzer: BuzzerConfig = BuzzerConfig()
    led: LedConfig = LedConfig()
    beam: BeamConfig = BeamConfig()
    timing: TimingConfig = TimingConfig()
    display: DisplayConfig = DisplayConfig()
    audio: AudioConfig = AudioConfig()
    database: DatabaseConfig = DatabaseConfig()
    plan: PlanConfig = PlanConfig()

    def pins_in_use(self) -> dict[str, int]:
        pins = {"button.pin": self.button.pin, "button.second_pin": self.button.second_pin,
                "led.pin": self.led.pin}
        if self.buzzer.kind != "none":
            pins["buzzer.pin"] = self.buzzer.pin
        return {key: pin for key, pin in pins.items() if pin is not None}


CONFIG_SCHEMA = Schema(Config, {
    name: field.annotation for name, field in Config.model_fields.items()  # type: ignore[misc]
})


def config_path(explicit: str | None = None) -> Path | None:
    """The file to read, or None for the defaults. An explicit file must exist."""
    if explicit:
        return Path(explicit)
    if env := os.environ.get("TRACKSIDE_CONFIG"):
        return Path(env)
    home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    system = Path(os.environ.get("CONFIGURATION_DIRECTORY") or "/etc/trackside")
    for candidate in (home / "trackside" / "config.toml", system / "config.toml"):
        if _is_file(candidate):
            return candidate
    return None


def _is_file(path: Path) -> bool:
    """False for a file we may not look at: under systemd's ProtectHome= the home folder
    is unreadable, and Path.is_file raises PermissionError there instead of saying no."""
    try:
        return path.is_file()
    except OSError:
        return False


def load_config(explicit: str | None = None) -> Config:
    path = config_path(explicit)
    if path is None:
        return Config()
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise UserError(f"{path}: cannot read the config ({exc.strerror})") from None
    return config_from_toml(text, str(path))


def config_from_toml(text: str, source: str) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(syntax_error(source, str(exc))) from None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise UserError(located(first_problem(exc, CONFIG_SCHEMA), text, source)) from None
    try:  # the beam's protocol, pattern and channels must make sense together
        build_protocol(config.beam.protocol, pattern=config.beam.pattern,
                       channels=config.beam.channels, max_drift_ppm=config.beam.max_drift_ppm)
    except UserError as exc:
        raise UserError(f"{source}: {exc}") from None
    if clash := _shared_pin(config, text):
        raise UserError(located(clash, text, source))
    return config


def _shared_pin(config: Config, text: str) -> Problem | None:
    """Two devices on one GPIO, told at the one written last: a default pin has no line,
    and the later line is the one just edited."""
    locator = TomlLocator(text)

    def written_at(item: tuple[str, int]) -> int:
        path = parse_path(item[0])
        found, line = locator.find(path)
        return line if found == path and line is not None else 0

    seen: dict[int, str] = {}
    for key, pin in sorted(config.pins_in_use().items(), key=written_at):
        if pin in seen:
            return Problem(parse_path(key), f"GPIO {pin} is already {seen[pin]}: each device "
                                            "needs its own pin")
        seen[pin] = key
    return None
