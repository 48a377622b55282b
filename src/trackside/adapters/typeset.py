"""Text on a pygame surface, sized by the height of its capitals and fitted to a box.

Rules for this module:
  1. Sizes are asked for as the pixel height of capitals and digits (what the eye reads
     from afar), never as a font size; text that would not fit its box is made smaller,
     never cut.
  2. Fonts are the DejaVu faces shipped in `assets/fonts` (heavy strokes, tabular
     digits, so a countdown does not jitter). Font objects are cached by size.
"""

from __future__ import annotations

import logging
from enum import Enum
from functools import lru_cache
from pathlib import Path

import pygame

from trackside import assets
from trackside.adapters.layout import Box
from trackside.adapters.theme import Colour

log = logging.getLogger(__name__)

_REFERENCE_SIZE = 200


Placed = list[tuple[str, pygame.Rect]]  # text drawn, and where its ink landed


class Face(Enum):
    SANS = "DejaVuSans-Bold.ttf"
    MONO = "DejaVuSansMono-Bold.ttf"


class Align(Enum):
    LEFT = "left"
    CENTRE = "centre"
    RIGHT = "right"


@lru_cache(maxsize=64)
def font(face: Face, size: int) -> pygame.font.Font:
    path = assets.path(f"fonts/{face.value}")
    if not path.exists():
        _warn_missing(path)
        return pygame.font.Font(None, size)
    return pygame.font.Font(path, size)


@lru_cache(maxsize=1)
def _warn_missing(path: Path) -> None:
    log.warning("font %s is missing: using pygame's default font", path)


@lru_cache(maxsize=4)
def cap_ratio(face: Face) -> float:
    """Height of a digit's ink per unit of font size."""
    return _ink_top(font(face, _REFERENCE_SIZE), "0") / _REFERENCE_SIZE


def fitted(face: Face, text: str, cap_px: float, max_width: float) -> pygame.font.Font:
    """The largest font whose capitals are at most `cap_px` high and `text` fits `max_width`."""
    size = max(1, int(cap_px / cap_ratio(face)))
    width = font(face, size).size(text)[0]
    if width > max_width:
        size = max(1, int(size * max_width / width))
        while size > 1 and font(face, size).size(text)[0] > max_width:
            size -= 1
    return font(face, size)


def ink(typeface: pygame.font.Font, text: str, x: int, y: int) -> pygame.Rect:
    """Where the ink of `text` lands when rendered with its top-left corner at (x, y)."""
    metrics = [m for m in typeface.metrics(text) if m is not None]
    if not metrics:
        return pygame.Rect(x, y, 0, 0)
    ascent = typeface.get_ascent()
    top = ascent - max(m[3] for m in metrics)
    bottom = ascent - min(m[2] for m in metrics)
    width = typeface.size(text)[0]
    left = min(0, metrics[0][0])
    return pygame.Rect(x + left, y + top, width - left, bottom - top)


def cap_height(typeface: pygame.font.Font) -> int:
    return _ink_top(typeface, "0")


def _ink_top(typeface: pygame.font.Font, char: str) -> int:
    return typeface.metrics(char)[0][3]


def place(typeface: pygame.font.Font, text: str, box: Box, align: Align) -> tuple[int, int]:
    """Top-left corner for `text` with its capitals centred in `box` vertically."""
    width = typeface.size(text)[0]
    if align is Align.LEFT:
        x = box.x
    elif align is Align.RIGHT:
        x = box.right - width
    else:
        x = box.x + (box.w - width) // 2
    cap = cap_height(typeface)
    y = box.y + (box.h - cap) // 2 - (typeface.get_ascent() - cap)
    return x, y


def draw(surface: pygame.Surface, text: str, box: Box, colour: Colour, cap_px: float,
         align: Align = Align.LEFT, face: Face = Face.SANS) -> pygame.Rect:
    """Draw `text` fitted to `box`; returns where its ink landed."""
    typeface = fitted(face, text, min(cap_px, box.h), box.w)
    x, y = place(typeface, text, box, align)
    surface.blit(typeface.render(text, True, colour), (x, y))
    return ink(typeface, text, x, y)


def draw_pieces(surface: pygame.Surface, pieces: list[tuple[str, Colour]], box: Box,
                cap_px: float, align: Align = Align.LEFT) -> pygame.Rect:
    """One line in several colours, fitted to `box` as a whole; returns where its ink landed."""
    text = "".join(piece for piece, _ in pieces)
    typeface = fitted(Face.SANS, text, min(cap_px, box.h), box.w)
    start = place(typeface, text, box, align)
    x, y = start
    for piece, colour in pieces:
        surface.blit(typeface.render(piece, True, colour), (x, y))
        x += typeface.size(piece)[0]
    return ink(typeface, text, *start)
