"""The big number drawn glyph by glyph: each glyph rendered once per font and colours.

Rules for this module:
  1. A glyph is rendered opaque (on its own background) once and kept. A line is its glyphs
     blitted side by side where the font places them, which for the digits and signs of a
     number is the very picture `Font.render` gives for the whole line (the tests compare
     them pixel by pixel).
  2. Every glyph of a font covers the same rows: the band from the highest to the lowest ink
     of any character a number uses. A glyph blitted where another was covers it entirely,
     so a number that keeps its shape is redrawn by blitting only the glyphs that changed
     (a running rep's tenths: one glyph ten times a second), and of those only the part
     where either glyph has ink.
  3. Glyphs are kept as rendered (8 bits a pixel, a quarter of the screen's format: blitting
     one costs a little more, holding one much less) within a byte budget, the least
     recently used dropped first: a flash in a new colour never grows memory for good.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace

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
    text: str
    cells: tuple[tuple[int, int], ...]  # each character's (left edge, width)

    def same_shape(self, other: GlyphLine) -> bool:
        """True if `other` has its glyphs in the same cells, so it can be drawn over."""
        return (self.typeface is other.typeface and self.colour == other.colour
                and self.background == other.background and self.top == other.top
                and self.cells == other.cells)


class Glyphs:
    """The glyphs rendered so far, and the lines they make."""

    def __init__(self, budget_bytes: int) -> None:
        self._budget = budget_bytes
        self.bytes_held = 0
        self._kept: OrderedDict[tuple[object, ...], tuple[pygame.Surface, pygame.Rect]] = \
            OrderedDict()
        self._bands: dict[pygame.font.Font, tuple[int, int]] = {}
        self._tabular: dict[pygame.font.Font, bool] = {}

    def clear(self) -> None:
        self._kept.clear()
        self.bytes_held = 0

    def line(self, typeface: pygame.font.Font, text: str, x: int, y: int, colour: Colour,
             background: Colour) -> GlyphLine:
        """`text` (NUMBER_CHARS only) placed as `Font.render` would place it at (x, y)."""
        offset, height = self._band(typeface)
        cells, left = [], x
        for metrics in typeface.metrics(text):  # each glyph's advance: the font's own spacing
            advance = metrics[4] if metrics else 0
            cells.append((left, advance))
            left += advance
        return GlyphLine(typeface, colour, background, y + offset, height, text, tuple(cells))

    def reshaped(self, line: GlyphLine, text: str) -> GlyphLine | None:
        """`line` showing `text` instead, if each character of `text` falls in the cell of the
        one it replaces: the same character, or another digit in a font whose digits are all
        one width (a running clock); else None."""
        if len(text) != len(line.text):
            return None
        if (tabular := self._tabular.get(line.typeface)) is None:
            advances = {m[4] for m in line.typeface.metrics("0123456789") if m is not None}
            tabular = self._tabular[line.typeface] = len(advances) == 1
        for old, new in zip(line.text, text):
            if old != new and not (tabular and old.isdigit() and new.isdigit()):
                return None
        return replace(line, text=text)

    def ink(self, line: GlyphLine) -> pygame.Rect:
        """Where the ink of `line` lands on the surface."""
        inks = [self._glyph(line.typeface, char, line.colour, line.background)[1].move(
            left, line.top) for char, (left, _) in zip(line.text, line.cells)]
        return inks[0].unionall(inks[1:])

    def draw(self, surface: pygame.Surface, line: GlyphLine, before: GlyphLine | None = None
             ) -> list[pygame.Rect]:
        """Blit the glyphs of `line` onto their background; over `before` of the same shape
        only those that differ. Returns the rectangles drawn."""
        drawn = []
        old_text = line.text if before is None else before.text
        for char, old, (left, _) in zip(line.text, old_text, line.cells):
            if before is not None and old == char:
                continue
            glyph, area = self._glyph(line.typeface, char, line.colour, line.background)
            if before is not None:
                area = area.union(self._glyph(line.typeface, old, line.colour,
                                              line.background)[1])
            drawn.append(surface.blit(glyph, (left + area.x, line.top + area.y), area))
        return drawn

    def _glyph(self, typeface: pygame.font.Font, char: str, colour: Colour,
               background: Colour) -> tuple[pygame.Surface, pygame.Rect]:
        """The glyph, and where its ink is in it (outside is background)."""
        key = (typeface, char, colour, background)
        if (glyph := self._kept.get(key)) is not None:
            self._kept.move_to_end(key)
            return glyph
        offset, height = self._band(typeface)
        rendered = typeface.render(char, True, colour, background)
        surface = rendered.subsurface(0, offset, rendered.get_width(), height).copy()
        glyph = self._kept[key] = (surface, _ink(surface, background))
        self.bytes_held += _bytes(surface)
        while self.bytes_held > self._budget and len(self._kept) > 1:
            _, (dropped, _) = self._kept.popitem(last=False)
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


def _ink(glyph: pygame.Surface, background: Colour) -> pygame.Rect:
    """The smallest rectangle holding every pixel of `glyph` that is not `background`."""
    keyed = glyph.copy()
    keyed.set_colorkey(background)
    return keyed.get_bounding_rect()


def _bytes(surface: pygame.Surface) -> int:
    return surface.get_pitch() * surface.get_height()
