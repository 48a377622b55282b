import os
import sys

sys.path.insert(0, os.path.dirname(__file__))  # tests import their small helper modules

# Headless everywhere: no window, no sound card, mock pins.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("GPIOZERO_PIN_FACTORY", "mock")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's (or the installed service's) config or
    session database."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("CONFIGURATION_DIRECTORY", str(home / "etc"))  # not /etc/trackside
    for name in ("TRACKSIDE_DB", "TRACKSIDE_CONFIG", "STATE_DIRECTORY", "NOTIFY_SOCKET",
                 "WATCHDOG_USEC", "WATCHDOG_PID"):
        monkeypatch.delenv(name, raising=False)
