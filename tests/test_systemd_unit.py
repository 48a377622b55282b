"""The systemd unit and the install script: `systemd-analyze verify` and `shellcheck` where
they are installed (CI may have neither), and always a read of the keys the appliance needs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

SYSTEMD = Path(__file__).parents[1] / "systemd"
UNIT = SYSTEMD / "trackside.service"
INSTALL = SYSTEMD / "install.sh"


def read_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """{section: {key: [values]}}: a key may repeat (DeviceAllow=, Environment=), and a unit
    file has no continuation lines here."""
    sections: dict[str, dict[str, list[str]]] = {}
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if header := re.fullmatch(r"\[(\w+)\]", line):
            section = header.group(1)
            sections.setdefault(section, {})
            continue
        key, _, value = line.partition("=")
        sections[section].setdefault(key.strip(), []).append(value.strip())
    return sections


@pytest.fixture(scope="module")
def service() -> dict[str, list[str]]:
    return read_unit(UNIT.read_text())["Service"]


def one(service: dict[str, list[str]], key: str) -> str:
    values = service.get(key, [])
    assert len(values) == 1, f"{key}= should be set once, is {values}"
    return values[0]


def words(service: dict[str, list[str]], key: str) -> set[str]:
    return {word for value in service.get(key, []) for word in value.split()}


def test_the_unit_says_ready_is_watched_and_comes_back_unless_stopped(
    service: dict[str, list[str]],
) -> None:
    assert one(service, "Type") == "notify"
    assert one(service, "NotifyAccess") == "main"
    watchdog_s = int(one(service, "WatchdogSec"))
    assert 5 <= watchdog_s <= 60  # the loop pings every second; a hang is caught in time
    assert one(service, "Restart") == "always"  # a quit from a keyboard too; never a stop
    assert "2" in words(service, "RestartPreventExitStatus")  # a bad config: no restart loop


def test_the_unit_runs_as_an_unprivileged_user_in_the_device_groups(
    service: dict[str, list[str]],
) -> None:
    assert one(service, "User") not in ("", "root")
    assert {"gpio", "dialout", "video", "render", "input", "audio"} <= words(
        service, "SupplementaryGroups")
    assert one(service, "CapabilityBoundingSet") == ""


def test_the_unit_resumes_runs_session_after_session_and_lets_the_config_choose_the_display(
    service: dict[str, list[str]],
) -> None:
    command = one(service, "ExecStart").split()
    assert command[0].startswith("/") and command[1:3] == ["run", "--resume"]
    assert "--again" in command  # the finish screen leads to READY, never to an exit
    assert not {"--fullscreen", "--windowed", "--terminal", "--headless"} & set(command)
    assert "SDL_VIDEODRIVER=kmsdrm" in service["Environment"]


def test_the_database_lives_in_the_state_directory_which_is_also_the_working_folder(
    service: dict[str, list[str]],
) -> None:
    state = one(service, "StateDirectory")
    assert one(service, "WorkingDirectory") == f"/var/lib/{state}"  # lgpio writes its pipes here
    assert one(service, "ConfigurationDirectory") == "trackside"


def test_the_unit_is_hardened(service: dict[str, list[str]]) -> None:
    assert one(service, "NoNewPrivileges") == "yes"
    assert one(service, "ProtectSystem") == "strict"
    assert one(service, "ProtectHome") in ("yes", "read-only", "tmpfs")
    assert one(service, "PrivateTmp") == "yes"
    assert one(service, "DevicePolicy") == "closed"
    assert "AF_UNIX" in words(service, "RestrictAddressFamilies")  # sd_notify


def test_the_unit_allows_exactly_the_sockets_it_needs_and_only_local_networks(
    service: dict[str, list[str]],
) -> None:
    # sd_notify, udev's hot-plug messages, and the phone page over IPv4 and IPv6.
    assert words(service, "RestrictAddressFamilies") == {"AF_UNIX", "AF_NETLINK", "AF_INET",
                                                         "AF_INET6"}
    assert one(service, "IPAddressDeny") == "any"
    assert words(service, "IPAddressAllow") == {
        "localhost", "link-local", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"}


def test_the_unit_can_open_the_gpio_display_keys_serial_ports_and_sound(
    service: dict[str, list[str]],
) -> None:
    allowed = {value.split()[0] for value in service["DeviceAllow"]}
    assert {"char-gpiochip", "char-drm", "char-input", "char-alsa", "char-ttyUSB",
            "char-ttyACM", "char-ttyAMA"} <= allowed


def test_device_groups_of_plug_in_devices_exist_before_the_unit_starts() -> None:
    unit = read_unit(UNIT.read_text())["Unit"]
    for module in ("usbserial", "cdc_acm"):  # ttyUSB, ttyACM: a beam sensor plugged in later
        assert f"modprobe@{module}.service" in words(unit, "Wants")
        assert f"modprobe@{module}.service" in words(unit, "After")


def test_the_unit_starts_at_boot_without_waiting_for_the_network() -> None:
    sections = read_unit(UNIT.read_text())
    assert sections["Install"]["WantedBy"] == ["multi-user.target"]
    assert not {"network-online.target", "network.target"} & words(sections["Unit"], "After")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_analyze_verify_finds_nothing_wrong(tmp_path: Path) -> None:
    # verify wants ExecStart's program to exist: the same unit, pointed at a stand-in.
    program = tmp_path / "trackside"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    unit = tmp_path / "trackside.service"
    exec_start = one(read_unit(UNIT.read_text())["Service"], "ExecStart").split()[0]
    unit.write_text(UNIT.read_text().replace(exec_start, str(program)))
    result = subprocess.run(["systemd-analyze", "verify", str(unit)],
                            capture_output=True, text=True, timeout=60)
    # It exits 0 even for an unknown key or a bad value: read what it says about our unit.
    said = [line for line in (result.stdout + result.stderr).splitlines()
            if "trackside.service" in line]
    assert said == []
    if result.returncode != 0:
        pytest.skip(f"systemd-analyze cannot run here: {result.stderr.strip()}")


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="no shellcheck here")
def test_the_install_script_passes_shellcheck() -> None:
    result = subprocess.run(["shellcheck", str(INSTALL)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout


def test_the_install_script_installs_the_unit_and_the_udev_rule_from_this_folder() -> None:
    script = INSTALL.read_text()
    assert script.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in script
    assert '"$src/systemd/trackside.service" /etc/systemd/system/trackside.service' in script
    assert '"$src/systemd/99-trackside-ftdi.rules" /etc/udev/rules.d/' in script
    assert "--system-site-packages" in script  # the apt python3-lgpio
    assert "/opt/trackside/.venv/bin/trackside" in one(
        read_unit(UNIT.read_text())["Service"], "ExecStart")
