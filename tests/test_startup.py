"""Start-up: what the first frame waits for, and what a command imports.

`trackside bench --only startup` times it; these tests pin the order and the imports
that make it quick, without timing anything.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from trackside.app import EXIT_AFTER_FIRST_FRAME, EXIT_WHEN_READY
from trackside.cli import main
from trackside.commands import COMMANDS
from trackside.core.events import Cue


class _Speaker:
    """Stands in for SpeakerCues: notes what was on the screen when it opened, and each cue."""

    def __init__(self, screen: io.StringIO, heard: list[object]) -> None:
        self._heard = heard
        heard.append(("opened after", screen.getvalue()))

    def play(self, cue: Cue, *, count: int | None = None) -> None:
        self._heard.append(cue)

    def publish(self, view: object, effects: object) -> None:
        pass  # the real one says which set begins

    def close(self) -> None:
        pass


def test_the_speaker_opens_after_the_first_frame_and_still_sounds_the_first_go(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    screen, heard = io.StringIO(), []
    monkeypatch.setattr("trackside.adapters.audio.SpeakerCues",
                        lambda *_, **__: _Speaker(screen, heard))
    monkeypatch.setattr("sys.stdout", screen)
    # typed before the timer starts: with no lead-in, the press is GO at once
    monkeypatch.setattr("sys.stdin", io.StringIO("press\nquit\n"))
    assert main(["run", "2x200m @30s r30", "--headless", "--lead-in", "0",
                 "--db", str(tmp_path / "t.db")]) == 0
    opened, *cues = heard
    assert opened[1].startswith("READY")
    assert cues[0] is Cue.GO


@pytest.mark.parametrize(("seam", "speaker_opened"), [(EXIT_AFTER_FIRST_FRAME, False),
                                                      (EXIT_WHEN_READY, True)])
def test_the_bench_can_stop_a_run_at_its_first_frame_or_once_every_device_is_open(
        seam: str, speaker_opened: bool, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    screen, heard = io.StringIO(), []
    monkeypatch.setattr("trackside.adapters.audio.SpeakerCues",
                        lambda *_, **__: _Speaker(screen, heard))
    monkeypatch.setattr("sys.stdout", screen)
    monkeypatch.setattr("sys.stdin", io.StringIO("quit\n"))  # never taken: the loop never runs
    monkeypatch.setenv(seam, "1")
    assert main(["run", "2x200m @30s r30", "--headless", "--db", str(tmp_path / "t.db")]) == 0
    assert screen.getvalue().splitlines()[0].startswith("READY")
    assert "STOPPED" not in screen.getvalue()
    assert bool(heard) is speaker_opened


# What none of the quick commands needs: each costs tens of ms to import.
_HEAVY = {"pydantic", "pygame", "gpiozero", "serial", "sqlite3"}


def _imported_by(*argv: str) -> tuple[str, set[str]]:
    """What `trackside ARGV` prints, and every module it imported, in a fresh process."""
    code = ("import sys; from trackside.cli import main; main(sys.argv[1:]); "
            "print('\\nMODULES', *sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True,
                          text=True, check=True)
    out, _, modules = done.stdout.partition("\nMODULES ")
    return out, set(modules.split())


def test_help_lists_every_command_with_its_line_and_imports_none_of_them() -> None:
    out, modules = _imported_by("--help")
    words = " ".join(out.split())
    for name, summary in COMMANDS.items():
        assert f"{name} {summary}" in words
    assert not modules & _HEAVY
    assert not {name for name in modules if name.startswith("trackside.commands.")}


def test_show_imports_nothing_that_only_a_run_needs() -> None:
    out, modules = _imported_by("show", "4x400m @65s r60")
    assert "400 m" in out
    assert not modules & (_HEAVY - {"pydantic"})
    assert not modules & {"trackside.app", "trackside.config", "trackside.commands.run"}


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_explains_itself_and_its_options(
        name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([name, "--help"]) == 0
    usage, _, rest = capsys.readouterr().out.partition("\n\n")
    assert usage.startswith(f"usage: trackside {name} [-h]")
    assert rest.split("\n\n")[0].strip()  # the description, above the options
