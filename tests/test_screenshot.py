"""The display drawn from the engine's own views: a session run exactly on target, by one
athlete or a group."""

from functools import cache
from pathlib import Path

import pygame
import pytest

from trackside.adapters.display import render_png
from trackside.cli import main
from trackside.commands.simulate import view_at
from trackside.core import readout
from trackside.core.group import GroupSettings, Roster
from trackside.core.group_readout import group_lines
from trackside.core.notation import parse_notation
from trackside.core.plan import Plan
from trackside.core.schedule import expand

PLAN = Plan.model_validate({"name": "2 x 3 x 400 m", "warmup": 60, "cooldown": 60, "blocks": [
    {"sets": 2, "reps": 3, "distance": "400m", "target": "65s", "rest": 60, "set_break": 120}]})


@cache
def _view_at(at: float):  # noqa: ANN202 - one simulated run per moment, shared by the sizes
    return view_at(expand(PLAN), at)


@pytest.mark.parametrize("at", [0, 30, 70, 122.2, 330, 437, 440, 1000])
@pytest.mark.parametrize("size", [(800, 480), (1080, 1920)])
def test_every_moment_of_a_real_session_draws(at: float, size: tuple[int, int],
                                              tmp_path: Path) -> None:
    path = tmp_path / "shot.png"
    render_png(_view_at(at), at, size, str(path))
    assert pygame.image.load(str(path)).get_size() == size


def test_the_screenshot_command_saves_a_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    path = tmp_path / "rest.png"
    assert main(["screenshot", "6x400m @65s r60", "--at", "70", "--size", "800x480",
                 "--out", str(path)]) == 0
    assert pygame.image.load(str(path)).get_size() == (800, 480)
    assert "rest" in capsys.readouterr().out


def test_a_screenshot_says_its_beam_is_simulated_as_its_times_are_a_beams() -> None:
    content = readout.content(_view_at(70))
    assert readout.SENSOR_WORDS[content.sensor] == "SIMULATED BEAM"
    assert content.last is not None and content.last.time == "1:05.00"  # to the hundredth


def test_a_screenshot_that_cannot_be_written_is_one_line_of_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "missing" / "shot.png"
    assert main(["screenshot", "6x400m @65s r60", "--at", "70", "--out", str(out)]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_a_group_is_drawn_with_its_finishers_each_on_their_own_target() -> None:
    schedules = tuple(expand(parse_notation("2x400m @pace r60", pace=seconds / 400))
                      for seconds in (60.0, 64.0))
    roster = Roster(("ANA", "BEN"), schedules, GroupSettings())
    lines = group_lines(view_at(schedules[0], 65.0, roster=roster))
    assert [line.text() for line in lines.finishers] == ["BEN 1:04.00 +0.00",
                                                         "ANA 1:00.00 +0.00"]
    staggered = Roster(("ANA", "BEN"), schedules, GroupSettings.staggered(10.0))
    assert group_lines(view_at(schedules[0], 5.0, roster=staggered)).call == "NEXT BEN 5"


def test_the_screenshot_command_draws_a_made_up_group(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "group.png"
    assert main(["screenshot", "4x400m @pace r60", "--athletes", "6", "--stagger", "10",
                 "--at", "120", "--size", "800x480", "--out", str(path)]) == 0
    assert pygame.image.load(str(path)).get_size() == (800, 480)
    assert main(["screenshot", "4x400m @pace r60", "--stagger", "10", "--at", "5",
                 "--out", str(path)]) == 2
    assert capsys.readouterr().err.strip().endswith("--stagger: for a group (--athletes N)")
