"""Settings from one TOML file, validated; the only place that reads settings files.

Where the file is: `--config FILE`, else `$TRACKSIDE_CONFIG`, else
`~/.config/trackside/config.toml` ($XDG_CONFIG_HOME), else `/etc/trackside/config.toml`
($CONFIGURATION_DIRECTORY under systemd), else the defaults. Command-line options win over
the file. A bad key or value is a `UserError` naming the key and its line.

Rules for this module:
  1. A config that `trackside config --check` accepts runs. Every rule, the ones between
     keys too (two devices on one pin, a hold shorter than the long hold, a beam setting
     its protocol does not take), lives in the models, so nothing can build a Config
     that breaks later.
  2. Strict: a value of the wrong type is a mistake (`enabled = "yes"`, `volume = true`),
     never converted. Every number is finite and within the range its field states.
  3. Options that set the same thing as a key are checked by that key's field (see
     `commands.options.like_setting`): one rule, one place.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from trackside.core.errors import UserError
from trackside.core.group import DOUBLE_BREAK_S
from trackside.core.plan import Metres, Seconds
from trackside.core.plan_limits import LAP_M
from trackside.core.problems import Schema, first_problem
from trackside.core.sensor_lines import SensorProtocol, build_protocol
from trackside.core.units import parse_pace, parse_speed
from trackside.input_file import read_bounded
from trackside.toml_errors import located, syntax_error

MAX_FILE_BYTES = 1 << 20  # a config is a few hundred bytes: more is the wrong file
LARGEST_SCREEN = (7680, 4320)  # 8K UHD, either way round: the largest screen sold
_NOT_A_WINDOW = (f"{{size}} is not a window size: from 10x10 up to {LARGEST_SCREEN[0]}x"
                 f"{LARGEST_SCREEN[1]} (or {LARGEST_SCREEN[1]}x{LARGEST_SCREEN[0]}), the "
                 "largest screen")

# BCM numbers of the GPIOs on the 40-pin header (0 and 1 are the HAT EEPROM's I2C).
BcmPin = Annotated[int, Field(ge=2, le=27, description="a BCM GPIO number on the header")]


def _list_as_tuple(value: object) -> object:
    """TOML has arrays; the models hold tuples (frozen), and strict mode converts nothing."""
    return tuple(value) if isinstance(value, list) else value


def _size_from_text(value: object) -> object:
    """'1920x1080' (or 1920×1080) -> (1920, 1080); a list [1920, 1080] -> a tuple."""
    if isinstance(value, str):
        width, _, height = value.strip().lower().replace("×", "x").partition("x")
        if not (width.isascii() and width.isdigit() and height.isascii() and height.isdigit()):
            raise ValueError(f"{value!r} is not a size (write 1920x1080)")
        if max(len(width), len(height)) > 5:  # beyond any screen, and int() has its limits
            raise ValueError(_NOT_A_WINDOW.format(size=value.strip()))
        return int(width), int(height)
    return _list_as_tuple(value)


def _size_on_a_screen(size: tuple[int, int]) -> tuple[int, int]:
    width, height = size
    most, least = LARGEST_SCREEN
    if min(width, height) < 10 or max(width, height) > most or min(width, height) > least:
        raise ValueError(_NOT_A_WINDOW.format(size=f"{width}x{height}"))
    return size


ScreenSize = Annotated[tuple[int, int], BeforeValidator(_size_from_text),
                       AfterValidator(_size_on_a_screen)]


def _a_name(value: str) -> str:
    """A file, a port or a plan: '' never means the default, and no system takes a NUL."""
    if not value.strip():
        raise ValueError("empty: write a value, or leave the key out for the default")
    if "\0" in value:
        raise ValueError(f"{value!r} holds a NUL character: nothing is named so")
    return value


Named = Annotated[str, AfterValidator(_a_name)]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)


class ButtonConfig(_Section):
    pin: BcmPin = 17  # to ground; the internal pull-up is used
    second_pin: BcmPin | None = None  # an optional second button (e.g. at the finish line)
    debounce_ms: float = Field(default=10.0, ge=0, le=200)
    # A hold must outlast a firm press; the long hold must leave a second to let go after
    # the hold, or pausing would end the session.
    hold_s: Annotated[Seconds, Field(ge=0.5, le=30)] = 2.0  # pause / resume
    long_hold_s: Annotated[Seconds, Field(le=60)] = 5.0  # end the session

    @model_validator(mode="after")
    def _long_hold_after_hold(self) -> ButtonConfig:
        if self.long_hold_s >= self.hold_s + 1:
            return self
        why = "or a hold to pause would end the session"
        if "long_hold_s" in self.model_fields_set:  # told at the key that was written
            raise ValueError(f"long_hold_s: must be at least 1 s longer than hold_s "
                             f"({self.hold_s:g} s), {why}")
        raise ValueError(f"hold_s: must be at least 1 s shorter than long_hold_s "
                         f"({self.long_hold_s:g} s), {why}")


class BuzzerConfig(_Section):
    kind: Literal["active", "passive", "none"] = "active"
    pin: BcmPin = 18


class LedConfig(_Section):
    pin: BcmPin | None = None


class BeamConfig(_Section):
    """The beam sensor, checked once: `sensor_protocol` is built here, from the protocol's
    name, pattern and channels, and handed to the adapter as it is."""

    port: Named | None = None  # '/dev/serial/by-id/...', 'auto', or none: no beam
    baud: int = Field(default=9600, gt=0, le=4_000_000)  # 4 Mbaud: the fastest USB-serial
    protocol: Literal["line", "stamped", "alge"] = "line"
    pattern: str | None = None  # `line`: only lines matching this regex are crossings
    channels: Annotated[tuple[str, ...] | None, BeforeValidator(_list_as_tuple)] = None
    # `alge`: the Timy channels that are crossings (None: c1, the finish);
    # `stamped`: the beam ids that count (None: every beam)
    max_drift_ppm: float | None = Field(default=None, gt=0, le=100_000)  # how far the
    # sensor's clock may drift from the Pi's (None: the protocol's bound, 5000 or 50)
    _sensor_protocol: SensorProtocol = PrivateAttr()

    @field_validator("port", mode="before")
    @classmethod
    def _port_named(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():  # not 'no beam', nor 'auto'
            raise ValueError("an empty port: name one (/dev/ttyUSB0) or write 'auto'")
        return value

    @model_validator(mode="after")
    def _build_protocol(self) -> BeamConfig:
        try:
            self._sensor_protocol = build_protocol(self.protocol, pattern=self.pattern,
                                                   channels=self.channels,
                                                   max_drift_ppm=self.max_drift_ppm)
        except UserError as exc:  # 'beam channels: ...' -> the key, for its line
            raise ValueError(str(exc).removeprefix("beam ")) from None
        return self

    @property
    def sensor_protocol(self) -> SensorProtocol:
        return self._sensor_protocol


class TimingConfig(_Section):
    lead_in_s: Annotated[Seconds, Field(le=600)] = 5.0
    min_lap_s: Annotated[Seconds, Field(le=3600)] | None = None  # None: half the target
    # the range a plan's own lap has, so a lap the plans refuse is said as this key
    lap_m: Annotated[Metres, Field(ge=int(LAP_M[0]), le=int(LAP_M[1]))] = 400.0
    warning_s: Annotated[Seconds, Field(le=600)] = 10.0  # the 'ten seconds' cue
    count_in: int = Field(default=3, ge=0, le=10)
    double_break_s: Annotated[Seconds, Field(le=2)] = DOUBLE_BREAK_S  # a group's: one body


class DisplayConfig(_Section):
    mode: Literal["auto", "fullscreen", "window", "terminal", "headless"] = "auto"
    size: ScreenSize | None = None
    theme: Literal["day", "night"] = "day"


class AudioConfig(_Section):
    enabled: bool = True
    volume: float = Field(default=0.8, ge=0.0, le=1.0)
    voice: bool = False  # spoken cues ('ten seconds', 'go', 'set two')


class DatabaseConfig(_Section):
    path: Named | None = None  # None: the data folder (see `trackside history --help`)


_HOST = re.compile(r"[A-Za-z0-9:][A-Za-z0-9.:%-]*")  # a name, an IPv4 or an IPv6 address


class WebConfig(_Section):
    enabled: bool = False  # the phone page; `run --web [HOST:]PORT` turns it on too
    host: str = Field(default="0.0.0.0", min_length=1)  # "::" for IPv6 as well
    port: int = Field(default=8080, ge=0, le=65535)  # 0: any free port (the screen says it)
    url: str | None = None  # what phones open, if not this machine's Wi-Fi address

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        if not _HOST.fullmatch(value):
            raise ValueError(f"{value!r} is not a host name or address of this machine "
                             "(write 0.0.0.0 for every address, :: for IPv6 too, or 10.42.0.1)")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not a web address (write \"http://10.42.0.1:8080\")")
        return value


class PlanConfig(_Section):
    default: Named = "descending-400s"  # what `trackside run` runs with no PLAN
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
    web: WebConfig = WebConfig()
    plan: PlanConfig = PlanConfig()

    def pins_in_use(self) -> dict[str, int]:
        pins = {"button.pin": self.button.pin, "button.second_pin": self.button.second_pin,
                "led.pin": self.led.pin}
        if self.buzzer.kind != "none":
            pins["buzzer.pin"] = self.buzzer.pin
        return {key: pin for key, pin in pins.items() if pin is not None}

    @model_validator(mode="after")
    def _one_device_per_pin(self) -> Config:
        """Two devices on one GPIO, told at a pin that was written: a default one has no
        line, and the written one is the one just edited."""
        def written(key: str) -> bool:
            section, _, name = key.partition(".")
            return name in getattr(self, section).model_fields_set

        seen: dict[int, str] = {}
        for key, pin in sorted(self.pins_in_use().items(), key=lambda item: written(item[0])):
            if pin in seen:
                raise ValueError(f"{key}: GPIO {pin} is already {seen[pin]}: each device "
                                 "needs its own pin")
            seen[pin] = key
        return self


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
        if _present(candidate):
            return candidate
    return None


def _present(path: Path) -> bool:
    """Something is there: a folder counts (reading it then says so; it is never skipped).
    False for a place we may not look: under systemd's ProtectHome= the home folder is
    unreadable, and Path.exists raises PermissionError there instead of saying no."""
    try:
        return path.exists()
    except OSError:
        return False


def load_config(explicit: str | None = None) -> Config:
    path = config_path(explicit)
    if path is None:
        return Config()
    try:
        data = read_bounded(path, MAX_FILE_BYTES, "a config file")
    except OSError as exc:
        raise UserError(f"{path}: cannot read the config ({exc.strerror})") from None
    except ValueError:  # a NUL in the name
        raise UserError(f"{path}: cannot read the config (a NUL in its name)") from None
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark from a Windows editor is fine
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise UserError(f"{path}, line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 "
                        "text: a config file is UTF-8 TOML") from None
    return config_from_toml(text, str(path))


def config_from_toml(text: str, source: str) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(syntax_error(source, str(exc))) from None
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise UserError(f"{source}: values nested too deeply") from None
    except ValueError as exc:  # what tomllib passes on from int(): over 4300 digits
        raise UserError(f"{source}: a value TOML cannot hold ({str(exc).split(':')[0]})"
                        ) from None
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise UserError(located(first_problem(exc, CONFIG_SCHEMA), text, source)) from None
