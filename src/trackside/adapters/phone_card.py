"""The pairing card on the window: the QR code a phone scans, the code and the address.

Drawn by the Painter in the box the layout gives it (beside the READY prompt). The QR is
dark on white with its quiet zone, in whole pixels per module, whatever the theme, so a
phone's camera reads it; the code is printed big under it for typing.
"""

from __future__ import annotations

from functools import lru_cache

import pygame

from trackside.adapters.layout import Box
from trackside.adapters.qr import modules
from trackside.adapters.theme import Colour
from trackside.adapters.typeset import Align, Placed, draw
from trackside.core.view import PhoneCard

_LIGHT, _DARK = (255, 255, 255), (0, 0, 0)
_QR_SHARE = 0.74  # of the box's height; the two lines of text below share the rest


@lru_cache(maxsize=4)
def _grid(url: str) -> tuple[tuple[bool, ...], ...]:
    return modules(url)


def paint(surface: pygame.Surface, card: PhoneCard, box: Box, text: Colour,
          dim: Colour) -> Placed:
    grid = _grid(card.url)
    pixel = max(1, int(min(box.w, box.h * _QR_SHARE) // len(grid)))
    side = pixel * len(grid)
    left, top = box.x + (box.w - side) // 2, box.y
    surface.fill(_LIGHT, pygame.Rect(left, top, side, side))
    for row, cells in enumerate(grid):
        for column, dark in enumerate(cells):
            if dark:
                surface.fill(_DARK, pygame.Rect(left + column * pixel, top + row * pixel,
                                                pixel, pixel))
    line = (box.bottom - top - side) // 2
    code = f"{card.code[:3]} {card.code[3:]}"
    placed = [("QR", pygame.Rect(left, top, side, side))]
    placed.append((code, draw(surface, code, Box(box.x, top + side, box.w, line), text,
                              line * 0.6, Align.CENTRE)))
    placed.append((card.address, draw(surface, card.address,
                                      Box(box.x, top + side + line, box.w, line), dim,
                                      line * 0.42, Align.CENTRE)))
    return placed
