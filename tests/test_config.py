"""The configuration file: the example, the messages for bad files, where the file is found,
and how `trackside run` and `trackside doctor` take their settings from it."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from trackside.cli import build_parser, main
from trackside.commands import doctor
from trackside.commands.config import example_text
from trackside.commands.run import run_config
from trackside.config import Config, WebConfig, config_from_toml, config_path, load_config
from trackside.core.errors import UserError
from trackside.core.schedule import expand
from trackside.core.sensor_lines import AlgeProtocol

_SETTING = re.compile(r"^#?\s*([a-z_]+)\s*=")
_COMMENTED_SETTING = re.compile(r"^# ([a-z_]+ = .*)$", re.MULTILINE)


def settings_written(text: str) -> set[str]:
    """'section.key' for every setting in the text, commented out or not."""
    found, section = set(), ""
    for line in text.splitlines():
        if header := re.fullmatch(r"\[([a-z_]+)\]", line.strip()):
            section = header.group(1)
        elif match := _SETTING.match(line):
            found.add(f"{section}.{match.group(1)}")
    return found


def settings_in_the_model() -> set[str]:
    keys = set()
    for section, field in Config.model_fields.items():
        model = field.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel), section
        keys |= {f"{section}.{key}" for key in model.model_fields}
    return keys


# --- the example -------------------------------------------------------------------------


def test_the_printed_example_checks_ok_and_holds_the_defaults_but_the_phone_page_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "--example"]) == 0
    example = tmp_path / "config.toml"
    example.write_text(capsys.readouterr().out)
    assert main(["config", "--check", str(example)]) == 0
    assert capsys.readouterr().out.startswith(f"{example}: OK\n")
    # "what is left out takes the default shown"; the appliance (install.sh writes this
    # example) serves the phone page, a laptop run does not unless asked.
    assert load_config(str(example)) == Config(web=WebConfig(enabled=True))
    assert not Config().web.enabled


def test_every_setting_of_the_model_is_in_the_example_and_nothing_else() -> None:
    assert settings_written(example_text()) == settings_in_the_model()


def test_the_example_with_every_commented_setting_switched_on_still_validates() -> None:
    switched_on = _COMMENTED_SETTING.sub(r"\1", example_text())
    assert switched_on != example_text()
    # `channels` and `max_drift_ppm` belong to the alge and stamped protocols, the example's
    # is `line`:
    with pytest.raises(UserError, match="the line protocol has no channels"):
        config_from_toml(switched_on, "example")
    switched_on = switched_on.replace('\nchannels = ["c1"]', '\n# channels = ["c1"]')
    with pytest.raises(UserError, match="the line protocol carries no sensor clock"):
        config_from_toml(switched_on, "example")
    switched_on = switched_on.replace("\nmax_drift_ppm = 10", "\n# max_drift_ppm = 10")
    config = config_from_toml(switched_on, "example")
    assert config.button.second_pin == 27 and config.led.pin == 23
    assert config.beam.port is not None and config.display.size == (1920, 1080)
    assert config.plan.pace == "4:30/km"


# --- bad files: exit 2, one line naming the file, the line and the key -------------------


@pytest.mark.parametrize(("text", "message"), [
    ("[button]\npin = 99\n", "line 2, button.pin: must be 27 or less (got 99)"),
    ("[button]\npin = 1\n", "line 2, button.pin: must be 2 or more (got 1)"),
    ("\n[timing]\nlead_in_s = -3\n", "line 3, timing.lead_in_s: must be 0 or more (got -3)"),
    ("[buton]\npin = 17\n", "line 1, buton: unknown key; did you mean 'button'?"),
    ("[button]\npinn = 17\n", "line 2, button.pinn: unknown key; did you mean 'pin'?"),
    ('[audio]\nvolume = "loud"\n', "line 2, audio.volume: must be a number (got 'loud')"),
    ("[button]\npin = true\n", "line 2, button.pin: must be a whole number (got True)"),
    ('[audio]\nvoice = "maybe"\n', "line 2, audio.voice: must be true or false (got 'maybe')"),
    ('[buzzer]\nkind = "loud"\n',
     "line 2, buzzer.kind: input should be 'active', 'passive' or 'none' (got 'loud')"),
    ("[button]\npin = 17\n\n[buzzer]\npin = 17\n",
     "line 5, buzzer.pin: GPIO 17 is already button.pin: each device needs its own pin"),
    ("[led]\npin = 18\n",  # the buzzer's default pin: the message is at the line written
     "line 2, led.pin: GPIO 18 is already buzzer.pin: each device needs its own pin"),
    ("[button]\npin = = 17\n", "line 2, column 7: invalid value"),
    # every number finite and in its range: inf and nan are TOML numbers, 1e400 is inf
    ("[timing]\nlead_in_s = inf\n", "line 2, timing.lead_in_s: must be a finite "
                                    "number (got inf)"),
    ("[timing]\nwarning_s = nan\n", "line 2, timing.warning_s: must be a finite "
                                    "number (got nan)"),
    ("[audio]\nvolume = 1e400\n", "line 2, audio.volume: must be a finite number "
                                  "(got inf)"),
    ('[timing]\nlead_in_s = "20min"\n',
     "line 2, timing.lead_in_s: must be 600 or less (got '20min')"),
    ("[timing]\nlap_m = 5\n", "line 2, timing.lap_m: must be 100 or more (got 5)"),
    # a plan refuses a lap under 100 m, so the config does too: said as the key, not the plan
    ("[timing]\nlap_m = 60\n", "line 2, timing.lap_m: must be 100 or more (got 60)"),
    ("[beam]\nbaud = 99999999999\n", "line 2, beam.baud: must be 4000000 or less "
                                     "(got 99999999999)"),
    ('[display]\nsize = "99999x99999"\n', "line 2, display.size: 99999x99999 is not a window "
     "size: from 10x10 up to 7680x4320 (or 4320x7680), the largest screen"),
    # strict: a value of the wrong type is a mistake, never converted
    ('[audio]\nenabled = "yes"\n', "line 2, audio.enabled: must be true or false (got 'yes')"),
    ("[audio]\nvolume = true\n", "line 2, audio.volume: must be a number (got True)"),
    ('[timing]\ncount_in = "3"\n', "line 2, timing.count_in: must be a whole number (got '3')"),
    ("[beam]\nbaud = 9600.0\n", "line 2, beam.baud: must be a whole number (got 9600.0)"),
    ('[beam]\nport = ""\n', "line 2, beam.port: an empty port: name one (/dev/ttyUSB0) or "
                            "write 'auto'"),
    ('[database]\npath = " "\n', "line 2, database.path: empty: write a value, or leave the "
                                 "key out for the default"),
    ("[web]\nport = 70000\n", "line 2, web.port: must be 65535 or less (got 70000)"),
    ('[web]\nhost = "my pi"\n', "line 2, web.host: 'my pi' is not a host name or address "
     "of this machine (write 0.0.0.0 for every address, :: for IPv6 too, or 10.42.0.1)"),
    ('[web]\nurl = "10.42.0.1:8080"\n', "line 2, web.url: '10.42.0.1:8080' is not a web "
     'address (write "http://10.42.0.1:8080")'),
    # the plan `trackside run` runs with no PLAN must load
    ('[plan]\ndefault = "4x400m @pace r60"\n', "plan.default: notation, column 9: target: "
     "'pace' needs the athlete's race pace (pace in the plan, or --pace)"),
    # the rules between keys, told at the key that was written
    ("[button]\nhold_s = 0\n", "line 2, button.hold_s: must be 0.5 or more (got 0)"),
    ("[button]\nhold_s = inf\n", "line 2, button.hold_s: must be a finite number "
                                 "(got inf)"),
    ("[button]\nhold_s = 6\n", "line 2, button.hold_s: must be at least 1 s shorter than "
     "long_hold_s (5 s), or a hold to pause would end the session"),
    ("[button]\nhold_s = 3\nlong_hold_s = 3.5\n", "line 3, button.long_hold_s: must be at "
     "least 1 s longer than hold_s (3 s), or a hold to pause would end the session"),
    ('[beam]\nprotocol = "line"\nchannels = ["c1"]\n', "line 3, beam.channels: the line "
     "protocol has no channels (it takes a pattern)"),
])
def test_a_bad_configuration_exits_2_with_one_line_naming_the_key_and_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path, said = checked(text.encode(), tmp_path, capsys)
    assert said == f"trackside: error: {path}, {message}\n"


def checked(data: bytes, folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    """`trackside config --check` of a file holding `data`, refused (exit 2): the file and
    what was said on stderr."""
    path = folder / "config.toml"
    path.write_bytes(data)
    assert main(["config", "--check", str(path)]) == 2
    return path, capsys.readouterr().err


@pytest.mark.parametrize(("data", "message"), [
    (b"[button]\npin = 17\n# caf\xe9\n",
     ", line 3: byte 0xe9 is not UTF-8 text: a config file is UTF-8 TOML"),
    (b"\x89PNG\r\n\x1a\n\x00\x00",
     ", line 1: byte 0x89 is not UTF-8 text: a config file is UTF-8 TOML"),
    (b"a = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", ": values nested too deeply"),
    (b"#" * (2 << 20), ": too big for a config file (2097152 bytes, at most 1048576)"),
])
def test_a_file_that_is_not_a_config_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str
) -> None:
    path, said = checked(data, tmp_path, capsys)
    assert said == f"trackside: error: {path}{message}\n"


def test_a_byte_order_mark_from_a_windows_editor_is_no_problem(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes("\ufeff[button]\npin = 22\n".encode())
    assert load_config(str(path)).button.pin == 22


def test_every_rule_is_in_the_model_so_no_config_that_breaks_a_run_can_be_built() -> None:
    for bad in ({"button": {"hold_s": 6}}, {"button": {"pin": 18}},
                {"beam": {"protocol": "alge", "pattern": "x"}}, {"timing": {"lead_in_s": 1e400}}):
        with pytest.raises(ValueError):  # pydantic's ValidationError is one
            Config.model_validate(bad)


def test_sizes_and_lists_read_as_written() -> None:
    config = config_from_toml('[display]\nsize = [1080, 1920]\n\n[beam]\nprotocol = "alge"\n'
                              'channels = ["c1", "c1M"]\n', "config.toml")
    assert config.display.size == (1080, 1920)  # portrait
    assert config.beam.channels == ("c1", "c1M")


def test_a_silenced_buzzer_frees_its_pin_for_another_device() -> None:
    config = config_from_toml('[buzzer]\nkind = "none"\n\n[led]\npin = 18\n', "config.toml")
    assert config.led.pin == 18


def test_a_bad_configuration_stops_run_before_anything_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[timing]\nlead_in_s = -3\n")
    assert main(["run", "4x400m @75s", "--headless", "--config", str(path)]) == 2
    assert "timing.lead_in_s: must be 0 or more" in capsys.readouterr().err


# --- where the file is found -------------------------------------------------------------


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A config file in each place trackside looks, each naming its place in plan.default."""
    paths = {
        "env": tmp_path / "elsewhere" / "mine.toml",
        "xdg": tmp_path / "xdg" / "trackside" / "config.toml",
        "etc": tmp_path / "etc" / "trackside" / "config.toml",
        "explicit": tmp_path / "explicit.toml",
    }
    for name, path in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'[plan]\ndefault = "{name}"\n')
    monkeypatch.setenv("TRACKSIDE_CONFIG", str(paths["env"]))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("CONFIGURATION_DIRECTORY", str(paths["etc"].parent))
    return paths


def read_from() -> str:
    return load_config().plan.default


def test_the_config_option_beats_every_other_place(places: dict[str, Path]) -> None:
    assert load_config(str(places["explicit"])).plan.default == "explicit"


def test_the_search_order_is_env_then_the_users_folder_then_the_system_folder(
    places: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert read_from() == "env"
    monkeypatch.delenv("TRACKSIDE_CONFIG")
    assert read_from() == "xdg"
    places["xdg"].unlink()
    assert read_from() == "etc"  # /etc/trackside, or systemd's $CONFIGURATION_DIRECTORY
    places["etc"].unlink()
    assert config_path() is None and load_config() == Config()


def test_an_unreadable_home_as_under_protecthome_is_skipped_not_a_crash(
    places: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACKSIDE_CONFIG")
    exists, home = Path.exists, places["xdg"].parents[1]

    def exists_denied_at_home(path: Path) -> bool:  # Path.exists in a 000 folder
        if path.is_relative_to(home):
            raise PermissionError(13, "Permission denied", str(path))
        return exists(path)

    monkeypatch.setattr(Path, "exists", exists_denied_at_home)
    assert read_from() == "etc"


def test_a_folder_where_the_config_belongs_is_said_not_skipped(
    places: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACKSIDE_CONFIG")
    places["xdg"].unlink()
    places["xdg"].mkdir()  # e.g. `mkdir -p ~/.config/trackside/config.toml` by mistake
    with pytest.raises(UserError, match=r"config.toml: a folder, not a config file"):
        load_config()


def test_a_config_file_named_but_missing_is_an_error_not_the_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.toml"
    assert main(["config", "--check", str(missing)]) == 2
    assert capsys.readouterr().err == (
        f"trackside: error: {missing}: cannot read the config (No such file or directory)\n")


# --- trackside run: the command line over the file over the defaults ---------------------

CONFIGURED = Config.model_validate({
    "plan": {"default": "4x400m @pace r60", "pace": "4:00/km"},
    "display": {"mode": "terminal", "size": "800x480", "theme": "night"},
    "timing": {"lead_in_s": 8, "min_lap_s": 30},
    "database": {"path": "/var/lib/trackside/trackside.db"},
})


def run_args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["run", *argv])


def test_run_takes_the_plan_pace_display_and_timing_from_the_config() -> None:
    settings = run_config(run_args(), CONFIGURED)
    assert settings.plan_spec == "4x400m @pace r60"
    assert expand(settings.plan).reps[0].target_s == pytest.approx(96.0)  # 400 m at 4:00/km
    assert (settings.display, settings.size, settings.theme) == ("terminal", (800, 480), "night")
    assert (settings.lead_in_s, settings.min_lap_s) == (8, 30)
    assert settings.config is CONFIGURED and settings.db_path is None  # the store reads it


def test_options_on_the_command_line_win_over_the_config() -> None:
    settings = run_config(run_args(
        "2x200m @pace r60", "--pace", "5:00/km", "--headless", "--size", "1280x720",
        "--theme", "day", "--lead-in", "0", "--min-lap", "0", "--db", "/tmp/x.db",
    ), CONFIGURED)
    assert settings.plan_spec == "2x200m @pace r60"
    assert expand(settings.plan).reps[0].target_s == pytest.approx(60.0)  # 200 m at 5:00/km
    assert (settings.display, settings.size, settings.theme) == ("headless", (1280, 720), "day")
    assert (settings.lead_in_s, settings.min_lap_s) == (0, 0)  # zero is a value, not "unset"
    assert settings.db_path == "/tmp/x.db"


def test_with_no_config_file_run_uses_the_defaults() -> None:
    settings = run_config(run_args(), Config())
    assert settings.plan_spec == "descending-400s"
    assert (settings.display, settings.theme, settings.lead_in_s) == ("auto", "day", 5.0)


# --- trackside doctor: checks what the config says is there ------------------------------


def doctor_args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["doctor", *argv])


def test_doctor_checks_the_pins_buzzer_and_speaker_the_config_names() -> None:
    config = Config.model_validate({
        "button": {"pin": 22}, "buzzer": {"pin": 23, "kind": "passive"},
        "audio": {"enabled": False}, "display": {"mode": "headless"},
    })
    args = doctor.with_config(doctor_args(), config)
    assert (args.button_pin, args.buzzer_pin, args.buzzer) == (22, 23, "passive")
    assert (args.speaker, args.display) == (False, False)


def test_doctor_options_win_over_the_config() -> None:
    config = Config.model_validate({"button": {"pin": 22}, "audio": {"enabled": False}})
    args = doctor.with_config(
        doctor_args("--button-pin", "5", "--buzzer", "none", "--speaker", "--no-display"),
        config)
    assert (args.button_pin, args.buzzer_pin, args.buzzer) == (5, 18, "none")
    assert (args.speaker, args.display) == (True, False)


def test_doctor_reads_the_config_file_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[button]\npin = 22\n\n[buzzer]\nkind = "none"\n')

    def check_what(probe: doctor.Probe) -> doctor.Finding:
        return doctor.Finding("what", doctor.Status.OK, f"{probe.button_pin} {probe.buzzer}")

    monkeypatch.setattr(doctor, "CHECKS", (check_what,))
    monkeypatch.setattr(doctor, "raspberry_pi_model", lambda: None)
    assert main(["doctor", "--config", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "OK    what         22 None"
    path.write_text("[button]\npin = 99\n")
    assert main(["doctor", "--config", str(path)]) == 2


def test_the_beam_section_is_checked_once_and_carries_the_protocol_it_describes() -> None:
    beam = config_from_toml('[beam]\nprotocol = "alge"\nchannels = ["c1", "c0"]\n', "b").beam
    assert isinstance(beam.sensor_protocol, AlgeProtocol)
    assert {str(channel) for channel in beam.sensor_protocol.channels} == {"c0", "c1"}


def test_the_beams_drift_bound_is_a_positive_ppm_for_a_protocol_with_a_clock() -> None:
    beam = config_from_toml('[beam]\nprotocol = "alge"\nmax_drift_ppm = 10\n', "b").beam
    assert beam.sensor_protocol.new_clock() is not None
    assert beam.max_drift_ppm == 10
    with pytest.raises(UserError, match=r"b, line 3, beam.max_drift_ppm: must be more"):
        config_from_toml('[beam]\nprotocol = "alge"\nmax_drift_ppm = -5\n', "b")
    with pytest.raises(UserError, match=r"max_drift_ppm: the line protocol carries no"):
        config_from_toml('[beam]\nmax_drift_ppm = 10\n', "b")
