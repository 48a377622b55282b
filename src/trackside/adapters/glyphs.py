"""The big number drawn glyph by glyph: each glyph rendered once per font and colours.

Rules for this module:
  1. A glyph is rendered opaque (on its own background) once and kept. A line is its glyphs
     blitted side by side where the font places them, which for the digits and signs of a
     number is the very picture `Font.render` gives for the whole line (the tests compare
     them pixel by pixel).
  2. Every glyph of a font covers the same rows: the band from the highest to the lowest ink
     of any character a number uses. A glyph blitted where another was covers it entirely,
     so a number that keeps its shape is redrawn by blitting only the glyphs that changed
     (a running rep's tenths: one glyph ten times a second).
  3. Glyphs are kept as rendered (8 bits a pixel, a quarter of the screen's format: blitting
     one costs a little more, holding one much less) within a byte budget, the least
     recently used dropped first: a flash in a new colour never grows memory for good.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import pygame

from trackside.adapters.theme import Colour

NUMBER_CHARS = "0123456789:.+-"
@dataclass(frozen=True, slots=True)
class GlyphLine:
    """A line of the number as drawn: its font, colours, rows and each glyph's place."""

    typeface: pygame.font.Font
    colour: Colour
    background: Colour
    top: int  # the band's first row on the surface
    height: int
    glyphs: tuple[tuple[str, int, int], ...]  # (character, left edge, width)

    def same_shape(self, other: GlyphLine) -> bool:
        """True if `other` has its glyphs in the same cells, so it can be drawn over."""
        return (self.typeface is other.typeface and self.colour == other.colour
                and self.background == other.background and self.top == other.top
                and [cell[1:] for cell in self.glyphs] == [cell[1:] for cell in other.glyphs])

    def cell(self, index: int) -> pygame.Rect:
        _, left, width = self.glyphs[index]
        return pygame.Rect(left, self.top, width, self.height)


class Glyphs:
    def __init__(self, budget_bytes: int) -> None:
        self._budget = budget_bytes
        self.bytes_held = 0
        self._kept: OrderedDict[tuple[object, ...], pygame.Surface] = OrderedDict()
        self._bands: dict[pygame.font.Font, tuple[int, int]] = {}

    def clear(self) -> None:
        self._kept.clear()
        self.bytes_held = 0

    def line(self, typeface: pygame.font.Font, text: str, x: int, y: int, colour: Colour,
             background: Colour) -> GlyphLine:
        """`text` (NUMBER_CHARS only) placed as `Font.render` would place it at (x, y)."""
        offset, height = self._band(typeface)
        glyphs = tuple((char, x + typeface.size(text[:index])[0], typeface.size(char)[0])
                       for index, char in enumerate(text))
        return GlyphLine(typeface, colour, background, y + offset, height, glyphs)

    def draw(self, surface: pygame.Surface, line: GlyphLine, before: GlyphLine | None = None
             ) -> list[pygame.Rect]:
        """Blit the glyphs of `line`; over `before` of the same shape only those that differ.
        Returns the rectangles drawn."""
        drawn = []
        for index, (char, left, _) in enumerate(line.glyphs):
            if before is not None and before.glyphs[index][0] == char:
                continue
            glyph = self._glyph(line.typeface, char, line.colour, line.background)
            drawn.append(surface.blit(glyph, (left, line.top)))
        return drawn

    def _glyph(self, typeface: pygame.font.Font, char: str, colour: Colour,
               background: Colour) -> pygame.Surface:
        key = (typeface, char, colour, background)
        if (glyph := self._kept.get(key)) is not None:
            self._kept.move_to_end(key)
            return glyph
        offset, height = self._band(typeface)
        rendered = typeface.render(char, True, colour, background)
        glyph = rendered.subsurface(0, offset, rendered.get_width(), height).copy()
        self._kept[key] = glyph
        self.bytes_held += _bytes(glyph)
        while self.bytes_held > self._budget and len(self._kept) > 1:
            _, dropped = self._kept.popitem(last=False)
            self.bytes_held -= _bytes(dropped)
        return glyph

    def _band(self, typeface: pygame.font.Font) -> tuple[int, int]:
        """(first row below the render's top, rows) that hold the ink of every NUMBER_CHAR."""
        if (band := self._bands.get(typeface)) is None:
            metrics = [m for m in typeface.metrics(NUMBER_CHARS) if m is not None]
            ascent = typeface.get_ascent()
            top = max(0, ascent - max(m[3] for m in metrics))
            bottom = min(typeface.get_height(), ascent - min(m[2] for m in metrics))
            band = self._bands[typeface] = (top, bottom - top)
        return band


def _bytes(surface: pygame.Surface) -> int:
    return surface.get_pitch() * surface.get_height()
