"""The pairing card at READY: on the window beside the prompt (a QR a camera reads, the code,
the address), in the terminal in block characters, and in the plain line."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pygame
import pytest
from view_factory import CARD

from trackside.adapters.display import render_png
from trackside.adapters.render import Painter
from trackside.adapters.terminal import TerminalScreen
from trackside.adapters.theme import theme
from trackside.core.engine import Engine
from trackside.core.events import Command, Commanded
from trackside.core.readout import content, plain_text, readout
from trackside.core.schedule import expand
from trackside.core.view import View, view_of
from trackside.plan_source import load_plan
from trackside.runtime.clock import FakeClock

SIZES = [(1920, 1080), (800, 480), (1080, 1920)]


def ready() -> View:
    return view_of(Engine(expand(load_plan("descending-400s"))), 0.0, phone=CARD)


def test_the_card_is_shown_at_ready_only() -> None:
    engine = Engine(expand(load_plan("descending-400s")))
    assert view_of(engine, 0.0, phone=CARD).phone == CARD
    engine.handle(Commanded(0.0, Command.PRESS))
    assert view_of(engine, 1.0, phone=CARD).phone is None  # not over the lead-in or a rep


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_card_sits_beside_the_prompt_inside_the_primary_area(size: tuple[int, int]) -> None:
    painter = Painter(pygame.Surface(size), theme("day"))
    painter.paint(content(ready()))
    lay = painter.layout
    primary = pygame.Rect(lay.primary.x, lay.primary.y, lay.primary.w, lay.primary.h)
    card = dict(painter.placed["phone"])
    assert set(card) == {"QR", "483 921", "10.42.0.1:8080"}
    for rect in card.values():
        assert primary.contains(rect)
        for _, prompt in painter.placed["primary"]:
            assert not rect.colliderect(prompt)  # the prompt stays whole beside it
    assert card["QR"].w >= 0.2 * min(size)  # big enough for a camera at arm's length


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="no zbarimg here (zbar-tools)")
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_a_camera_reads_the_link_from_the_screen(size: tuple[int, int], tmp_path: Path) -> None:
    picture = tmp_path / "ready.png"
    render_png(ready(), 0.0, size, str(picture))
    read = subprocess.run(["zbarimg", "-q", "--raw", str(picture)], capture_output=True,
                          text=True, timeout=30)
    assert read.stdout.strip() == CARD.url


def test_the_terminal_shows_the_code_and_the_qr_where_it_fits() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    screen = TerminalScreen(FakeClock(), stream, keys=None)
    screen._size = lambda: (100, 50)  # noqa: SLF001 - a roomy terminal
    screen.show(ready(), 0.0)
    shown = stream.getvalue()
    assert "PHONE 10.42.0.1:8080   CODE 483 921" in shown
    assert shown.count("▀") > 50  # the QR in half blocks
    screen.close()


def test_the_plain_line_says_where_and_the_code() -> None:
    assert plain_text(readout(ready())).endswith("PHONE 10.42.0.1:8080 CODE 483921")
