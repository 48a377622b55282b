"""A group on the screens: the window (the newest finisher largest, legible from 20 m, nothing
off the screen), the words every display shares, the terminal and the status line."""

from __future__ import annotations

import io
from dataclasses import replace

import pygame
import pytest

from engine_helpers import cross, walk
from group_helpers import group_engine, start
from trackside.adapters.headless import StatusLine
from trackside.adapters.render import Painter
from trackside.adapters.theme import theme
from trackside.core.engine import Engine
from trackside.core.group import GroupSettings
from trackside.core.readout import content, plain_text, seconds_to_change
from trackside.core.view import view_of

SIX = [88, 90, 92, 95, 97, 100]


def _six_of_ten_in() -> Engine:
    engine = group_engine("3x(4x400m @pace r60,45,30) sb3:00",
                          [88, 90, 92, 95, 97, 100, 101, 102, 104, 105])
    start(engine)
    for at in (94.1, 96.3, 98.2, 100.9, 102.5, 106.2):
        cross(engine, at)
    return engine


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (800, 480), (1080, 1920)])
def test_the_newest_finisher_is_the_largest_and_nothing_leaves_the_screen(
        size: tuple[int, int]) -> None:
    painter = Painter(pygame.Surface(size), theme("day"))
    painter.paint(content(view_of(_six_of_ten_in(), 107.0)))
    newest, *others = painter.placed["finishers"]
    assert newest[0] == "FIN  1:41.20  +1.20"
    assert [text.split()[0] for text, _ in others] == ["EVE", "DAN", "CAM", "BEN", "ANA"]
    assert all(rect.h < newest[1].h for _, rect in others)
    screen = pygame.Rect(0, 0, *size)
    assert all(screen.contains(rect) for placed in painter.placed.values() for _, rect in placed)


def test_on_a_1080_line_screen_the_newest_finisher_is_legible_from_20_m() -> None:
    painter = Painter(pygame.Surface((1920, 1080)), theme("day"))
    painter.paint(content(view_of(_six_of_ten_in(), 107.0)))
    (_, rect), *_ = painter.placed["finishers"]
    assert rect.h >= 105  # 5 arcmin at 20 m on a 24-inch screen (timing-and-field notes)


def test_every_display_says_who_finished_and_flags_what_fitted_nobody() -> None:
    engine = group_engine("2x400m @pace r60", [60, 70])
    start(engine)
    cross(engine, 40.0)  # fits nobody
    cross(engine, 65.0)
    line = plain_text(content(view_of(engine, 66.0)))
    assert "CHECK ORDER" in line and "ANA 1:00.00 +0.00" in line


def test_a_staggered_count_changes_the_screen_on_its_own_second() -> None:
    engine = group_engine("2x400m @pace r60", [60, 60], GroupSettings.staggered(10.0))
    start(engine)
    view = view_of(engine, 12.7)  # Ana's clock at 7.7; Ben in 2.3 s
    assert "BEN IN 3" in plain_text(content(view))
    assert seconds_to_change(view, tenths=False) == pytest.approx(0.3, abs=1e-3)


def test_the_status_line_prints_each_finish_and_each_go_in_a_pipe() -> None:
    out = io.StringIO()
    status = StatusLine(out)
    engine = group_engine("2x400m @pace r60", [60, 62], GroupSettings.staggered(10.0))
    start(engine)
    for now, crossing in ((5.5, None), (15.5, None), (66.0, 65.0), (78.0, 77.5)):
        if crossing is not None:
            cross(engine, crossing)
        walk(engine, now)
        status.show(view_of(engine, now), now)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4 and "ANA GO" in lines[0] and "BEN GO" in lines[1]
    assert "ANA 1:00.00 +0.00" in lines[2] and "BEN 1:02.50 +0.50" in lines[3]


def test_the_summary_is_the_athletes_by_reps_table() -> None:
    engine = group_engine("2x400m @pace r60", [60, 62])
    start(engine)
    for at in (65.0, 67.5):
        cross(engine, at)
    cross(engine, 192.2)  # Ana's second (GO at 127.5); Ben's is not seen
    walk(engine, 400.0)
    text = plain_text(content(view_of(engine, 400.0)))
    assert text.splitlines()[-3:] == ["             1        2",
                                      "  ANA  1:00.00  1:04.70",
                                      "  BEN  1:02.50  NO TIME"]


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_the_group_summary_says_what_the_timer_worked_around_along_its_foot(
        size: tuple[int, int]) -> None:
    engine = group_engine("2x400m @pace r60", [60, 62])
    start(engine)
    for at in (65.0, 67.5, 192.2):
        cross(engine, at)
    walk(engine, 400.0)
    notice = "NOT SAVING: disk full, 3 reps waiting"
    painter = Painter(pygame.Surface(size), theme("day"))
    painter.paint(content(replace(view_of(engine, 400.0), notice=notice)))
    [(text, rect)] = painter.placed["notice"]
    assert text == notice and pygame.Rect(0, 0, *size).contains(rect)
    assert all(not rect.colliderect(other) for _, other in painter.placed["table"])
