"""Drawing a Readout on a pygame surface, one panel at a time, only where it changed.

Rules for this module:
  1. The screen is a set of panels (band, number, bar, rows, footer), each drawn from a
     key: a panel whose key did not change is not drawn again. A change of palette (the
     flash of the last seconds, a theme) redraws everything.
  2. The number is drawn from cached glyphs (`glyphs`): when it keeps its shape (a running
     rep's tenths, a countdown's seconds) only the glyphs that changed are drawn again.
  3. Drawing returns the rectangles it touched, so the window updates only those.
  4. Every piece of text drawn is recorded in `placed` with where its ink landed, so
     tests can check that nothing leaves its panel or the screen.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from trackside.adapters import phone_card, render_group, render_group_summary, render_summary
from trackside.adapters.glyphs import GlyphLine, Glyphs
from trackside.adapters.layout import Box, GroupLayout, Layout, group_layout, layout
from trackside.adapters.theme import Colour, Palette, Theme
from trackside.adapters.typeset import (
    Align,
    Face,
    Placed,
    cap_height,
    draw,
    draw_pieces,
    fitted,
    ink,
    place,
)
from trackside.core.events import Phase, SensorState
from trackside.core.group_readout import GroupSummaryReadout
from trackside.core.readout import SENSOR_WORDS, Content, Readout
from trackside.core.rep_words import Timed
from trackside.core.summary_readout import SummaryReadout

_ROW_CAP = 0.62  # capitals fill this much of a text row
_LINE_GAP = 0.18  # between stacked lines of the number, in digit heights


# A panel: its name, its box, the key it is drawn from (unchanged: not drawn again) and how.
Panel = tuple[str, Box, object, Callable[[Box], Placed | None]]


class Painter:
    def __init__(self, surface: pygame.Surface, theme: Theme) -> None:
        pygame.font.init()
        self._theme = theme
        self._keys: dict[str, object] = {}
        self._number: tuple[GlyphLine, ...] = ()  # the number on the screen now...
        self._number_area: Box | None = None  # ...and the area it is centred in
        self.placed: dict[str, Placed] = {}  # panel -> (text, ink rectangle)
        self.resize(surface)

    def resize(self, surface: pygame.Surface) -> None:
        """Use a new surface (a resized window): the next paint draws everything."""
        self._surface = surface
        self.layout = layout(surface.get_size())
        self.group_layout = group_layout(surface.get_size())
        width, height = surface.get_size()
        # A glyph of the number is about an eighth of the screen: this holds every one, in
        # two colourings (a countdown's digits and its flash), at a byte a pixel.
        self._glyphs = Glyphs(budget_bytes=3 * width * height)
        template = "00" if self.layout.portrait else "0:00"
        self._digits = fitted(Face.SANS, template, self.layout.digit_px,
                              self.layout.primary.w * 0.96)
        self._group_digits = fitted(Face.SANS, template, self.group_layout.digit_px,
                                    self.group_layout.primary.w * 0.96)
        self.forget()

    def forget(self) -> None:
        self._keys.clear()

    def paint(self, content: Content) -> list[pygame.Rect]:
        if isinstance(content, SummaryReadout | GroupSummaryReadout):
            return self._paint_summary(content)
        palette = self._palette(content)
        everything = self._keys.get("frame") != palette
        if everything:
            self._keys = {"frame": palette}
            self.placed = {}
            self._number = ()
            self._surface.fill(palette.background)
        lay, digits = (self.layout, self._digits) if content.group is None else (
            self.group_layout, self._group_digits)
        primary, card = lay.primary, None
        if content.phone is not None:  # the pairing card beside (under) the READY prompt
            primary, card = lay.primary.rows(0.5) if lay.portrait else lay.primary.split(0.64)
        dirty = []
        if self._changed("primary", (content.number, content.headline, primary)):
            dirty += self._primary(content, palette, primary, digits)
        for name, box, key, paint in self._panels(content, palette, lay, card):
            if self._changed(name, key):
                rect = _rect(box)
                self._surface.fill(palette.background, rect)
                self.placed[name] = paint(box) or []
                dirty.append(rect)
        return [self._surface.get_rect()] if everything else dirty

    def _changed(self, panel: str, key: object) -> bool:
        """True (and the new key kept) if the panel must be drawn again."""
        if panel in self._keys and self._keys[panel] == key:
            return False
        self._keys[panel] = key
        return True

    def _paint_summary(self, content: SummaryReadout | GroupSummaryReadout
                       ) -> list[pygame.Rect]:
        key = ("summary", content)
        if self._keys.get("frame") == key:
            return []
        self._keys = {"frame": key}
        self._glyphs.clear()  # the big digits are done with: let go
        self._number = ()
        if isinstance(content, GroupSummaryReadout):
            self.placed = render_group_summary.paint_group(self._surface, content, self._theme)
        else:
            self.placed = render_summary.paint(self._surface, content, self._theme)
        return [self._surface.get_rect()]

    def _palette(self, content: Readout) -> Palette:
        theme = self._theme
        phase = theme.phase(content.phase)
        if content.flash is None:
            return Palette(theme.background, theme.text, theme.dim, phase, theme.on_colour,
                           theme.track, theme.good, theme.bad, theme.notice)
        flash = theme.phase(content.flash)
        ink_ = theme.on_colour
        return Palette(flash, ink_, ink_, ink_, flash, flash, ink_, ink_, ink_)

    def _panels(self, content: Readout, palette: Palette, lay: Layout | GroupLayout,
                card: Box | None) -> list[Panel]:
        """The panels other than the number (`_primary`), `card` the pairing card's box: a
        group's shows its finishers where one athlete's shows the target, the last rep and
        the next (render_group)."""
        group, surface = content.group, self._surface
        if group is None:
            lower = content.prompt or content.next
            rows: list[Panel] = [
                ("target", lay.target, content.target,
                 lambda box: self._labelled(content.target, box, palette)),
                ("last", lay.last, content.last, lambda box: self._last(content.last, palette)),
                ("lower", lay.lower, (content.prompt, lower),
                 lambda box: self._lower(content, palette))]
        else:
            rows = [
                ("call", lay.call, (group.call, group.check, content.prompt, content.target),
                 lambda box: render_group.call(surface, group, content.prompt, content.target,
                                               box, palette)),
                ("finishers", _union(lay.newest, lay.others), group.finishers,
                 lambda box: render_group.finishers(surface, group.finishers, lay.newest,
                                                    lay.others, palette))]
        bar_fill = None if content.progress is None else round(content.progress * lay.bar.w)
        panels: list[Panel] = [
            ("band", lay.band, (content.word, content.where),
             lambda box: self._band(content, palette, lay)),
            ("bar", lay.bar, bar_fill, lambda box: self._bar(bar_fill, palette, box)),
            *rows,
            ("footer", _union(lay.status, lay.name),
             (content.sensor, content.resumed, content.plan_name, content.notice),
             lambda box: self._footer(content, palette, lay)),
        ]
        if card is not None and content.phone is not None:
            phone = content.phone
            panels.append(("phone", card, phone, lambda box: phone_card.paint(
                self._surface, phone, box.inset(round(box.w * 0.04), round(box.h * 0.03)),
                palette.text, palette.dim)))
        return panels

    def _band(self, content: Readout, palette: Palette, lay: Layout | GroupLayout) -> Placed:
        surface = self._surface
        surface.fill(palette.accent, _rect(lay.band))
        cap = lay.word.h * 0.72
        placed = [(content.word, draw(surface, content.word, lay.word, palette.on_accent, cap))]
        if content.where:
            align = Align.LEFT if lay.portrait else Align.RIGHT
            where_cap = lay.where.h * (0.7 if lay.portrait else 0.5)
            placed.append((content.where, draw(surface, content.where, lay.where,
                                               palette.on_accent, where_cap, align)))
        return placed

    def _primary(self, content: Readout, palette: Palette, area: Box,
                 digits: pygame.font.Font) -> list[pygame.Rect]:
        """Draw the number in `area` (only its changed glyphs when it keeps its shape and its
        place) or a headline."""
        panel = _rect(area)
        box = area.inset(round(area.w * 0.02))
        before = self._number if area == self._number_area else ()  # the phone card came?
        self._number, self._number_area = (), area
        if content.number is not None:
            self._number = self._number_lines(content, palette, box, before, digits)
        self._surface.set_clip(panel)
        try:
            if self._number and len(before) == len(self._number) and all(
                    new.same_shape(old) for new, old in zip(self._number, before)):
                return [rect for new, old in zip(self._number, before)
                        for rect in self._glyphs.draw(self._surface, new, old)]
            self._surface.fill(palette.background, panel)
            if content.number is None:
                self.placed["primary"] = self._headline(content.headline, box, palette.text)
            for line in self._number:
                self._glyphs.draw(self._surface, line)
            return [panel]
        finally:
            self._surface.set_clip(None)

    def _number_lines(self, content: Readout, palette: Palette, box: Box,
                      before: tuple[GlyphLine, ...], digits: pygame.font.Font
                      ) -> tuple[GlyphLine, ...]:
        """The number's lines as glyphs, each centred in `box` (in the cells of the number
        `before` when it only has other digits); records where its ink lands."""
        assert content.number is not None
        number = content.number
        if self.layout.portrait and number.major:
            lines = [f"{number.sign}{number.major}:", number.minor]
        else:
            lines = [number.text()]
            if digits.size(lines[0])[0] > box.w:
                lines = [number.text(fraction=False)]
        typeface = digits
        widest = max(lines, key=lambda line: typeface.size(line)[0])
        if typeface.size(widest)[0] > box.w:  # ten minutes and more: shrink, never cut
            typeface = fitted(Face.SANS, widest, cap_height(typeface), box.w)
        frozen = content.phase is Phase.PAUSED  # a paused clock is greyed, not gone
        colour = palette.dim if frozen else palette.text
        glyphs = self._glyphs
        drawn: tuple[GlyphLine, ...] = ()
        if len(before) == len(lines) and all(
                old.typeface is typeface and old.colour == colour
                and old.background == palette.background for old in before):
            drawn = tuple(new for old, line in zip(before, lines)
                          if (new := glyphs.reshaped(old, line)) is not None)
        if len(drawn) != len(lines):  # a new shape: placed afresh
            drawn = tuple(glyphs.line(typeface, line, x, y, colour, palette.background)
                          for line, (x, y) in zip(lines, _stacked(lines, typeface, box)))
        self.placed["primary"] = [(line.text, glyphs.ink(line)) for line in drawn]
        return drawn

    def _lines(self, lines: list[str], typeface: pygame.font.Font, box: Box,
               colour: Colour) -> Placed:
        """Lines of text centred in `box`, stacked as the number's are."""
        placed = []
        for line, (x, y) in zip(lines, _stacked(lines, typeface, box)):
            inked = ink(typeface, line, x, y)
            rendered = typeface.render(line, True, colour)
            rows = pygame.Rect(0, inked.y - y, rendered.get_width(), inked.h)  # no neighbour
            self._surface.blit(rendered, (x, inked.y), rows)
            placed.append((line, inked))
        return placed

    def _headline(self, text: str, box: Box, colour: Colour) -> Placed:
        """A prompt instead of a number: as big as fits, on up to two lines."""
        words = text.split()
        best: tuple[pygame.font.Font, list[str]] | None = None
        splits = [[text]] + [[" ".join(words[:i]), " ".join(words[i:])]
                             for i in range(1, len(words))]
        for lines in splits:
            cap = box.h * (0.5 if len(lines) == 1 else 0.38)
            typeface = min((fitted(Face.SANS, line, cap, box.w) for line in lines),
                           key=cap_height)
            if best is None or cap_height(typeface) > cap_height(best[0]):
                best = (typeface, lines)
        assert best is not None
        return self._lines(best[1], best[0], box, colour)

    def _bar(self, fill: int | None, palette: Palette, box: Box) -> Placed:
        if fill is None:
            return []
        bar = _rect(box)
        self._surface.fill(palette.track, bar)
        self._surface.fill(palette.accent, pygame.Rect(bar.x, bar.y, fill, bar.h))
        return []

    def _row(self, text: str, box: Box, colour: Colour, align: Align) -> Placed:
        if not text:
            return []
        return [(text, draw(self._surface, text, box, colour, box.h * _ROW_CAP, align))]

    def _last(self, last: Timed | None, palette: Palette) -> Placed:
        if last is None:
            return []
        pieces = [("LAST ", palette.dim), (last.time, palette.text)]
        if last.delta:
            pieces.append(("  " + last.delta, palette.good if last.good else palette.bad))
        if last.note:
            pieces.append(("  " + last.note, palette.notice))
        align = Align.LEFT if self.layout.portrait else Align.RIGHT
        return self._pieces(pieces, self.layout.last, align)

    def _lower(self, content: Readout, palette: Palette) -> Placed:
        box = self.layout.lower
        if content.prompt:
            self._surface.fill(palette.accent, _rect(box))
            return self._row(content.prompt, box.inset(round(box.h * 0.3)), palette.on_accent,
                             Align.CENTRE)
        return self._labelled(content.next, box, palette)

    def _labelled(self, text: str, box: Box, palette: Palette) -> Placed:
        """A row of text, its label dim: 'NEXT 400 m @ 1:05'."""
        label, _, rest = text.partition(" ")
        if label != "NEXT":
            return self._row(text, box, palette.text, Align.LEFT)
        return self._pieces([(label + " ", palette.dim), (rest, palette.text)], box, Align.LEFT)

    def _footer(self, content: Readout, palette: Palette, lay: Layout | GroupLayout) -> Placed:
        sensor_colour = {SensorState.NONE: palette.dim, SensorState.ONLINE: palette.good,
                         SensorState.LOST: palette.bad,
                         SensorState.SIMULATED: palette.dim}[content.sensor]
        pieces = [(SENSOR_WORDS[content.sensor], sensor_colour)]
        if content.resumed:
            pieces.append(("   RESUMED SESSION", palette.notice))
        if content.notice:
            pieces.append((f"   {content.notice}", palette.bad))
        placed = self._pieces(pieces, lay.status, Align.LEFT)
        placed += self._row(content.plan_name, lay.name, palette.dim, Align.RIGHT)
        return placed

    def _pieces(self, pieces: list[tuple[str, Colour]], box: Box, align: Align) -> Placed:
        text = "".join(piece for piece, _ in pieces)
        return [(text, draw_pieces(self._surface, pieces, box, box.h * _ROW_CAP, align))]


def _stacked(lines: list[str], typeface: pygame.font.Font, box: Box) -> list[tuple[int, int]]:
    """Where each line goes (the top-left corner to render it at) to stand centred in `box`,
    its capitals one above the other; a trailing colon hangs out to the right."""
    cap = cap_height(typeface)
    step = round(cap * (1 + _LINE_GAP))
    top = box.y + (box.h - (cap + step * (len(lines) - 1))) // 2
    corners = []
    for number, line in enumerate(lines):
        row = Box(box.x, top + number * step, box.w, cap)
        x, y = place(typeface, line.rstrip(":"), row, Align.CENTRE)
        corners.append((min(x, box.right - typeface.size(line)[0]), y))
    return corners


def _rect(box: Box) -> pygame.Rect:
    return pygame.Rect(box.x, box.y, box.w, box.h)


def _union(first: Box, second: Box) -> Box:
    x, y = min(first.x, second.x), min(first.y, second.y)
    return Box(x, y, max(first.right, second.right) - x, max(first.bottom, second.bottom) - y)
