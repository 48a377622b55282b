"""Drawing a Readout on a pygame surface, one panel at a time, only where it changed.

Rules for this module:
  1. The screen is a set of panels (band, number, bar, rows, footer), each drawn from a
     key: a panel whose key did not change is not drawn again. A change of palette (the
     flash of the last seconds, a theme) redraws everything.
  2. Drawing returns the rectangles it touched, so the window updates only those.
  3. Every piece of text drawn is recorded in `placed` with where its ink landed, so
     tests can check that nothing leaves its panel or the screen.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from trackside.adapters import phone_card, render_group, render_group_summary, render_summary
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
        self.placed: dict[str, Placed] = {}  # panel -> (text, ink rectangle)
        self.resize(surface)

    def resize(self, surface: pygame.Surface) -> None:
        """Use a new surface (a resized window): the next paint draws everything."""
        self._surface = surface
        self.layout = layout(surface.get_size())
        self.group_layout = group_layout(surface.get_size())
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
            self._surface.fill(palette.background)
        dirty = []
        for name, box, key, paint in self._panels(content, palette):
            if not everything and self._keys.get(name) == key:
                continue
            self._keys[name] = key
            rect = pygame.Rect(box.x, box.y, box.w, box.h)
            self._surface.fill(palette.background, rect)
            self.placed[name] = paint(box) or []
            dirty.append(rect)
        return [self._surface.get_rect()] if everything else dirty

    def _paint_summary(self, content: SummaryReadout | GroupSummaryReadout
                       ) -> list[pygame.Rect]:
        key = ("summary", content)
        if self._keys.get("frame") == key:
            return []
        self._keys = {"frame": key}
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

    def _panels(self, content: Readout, palette: Palette) -> list[Panel]:
        """The screen's panels: a group's shows its finishers where one athlete's shows the
        target, the last rep and the next (render_group)."""
        group, surface = content.group, self._surface
        if group is None:
            lay, digits = self.layout, self._digits
            lower = content.prompt or content.next
            rows: list[Panel] = [
                ("target", lay.target, content.target,
                 lambda box: self._labelled(content.target, box, palette)),
                ("last", lay.last, content.last, lambda box: self._last(content.last, palette)),
                ("lower", lay.lower, (content.prompt, lower),
                 lambda box: self._lower(content, palette))]
        else:
            lay, digits = self.group_layout, self._group_digits
            rows = [
                ("call", lay.call, (group.call, group.check, content.prompt, content.target),
                 lambda box: render_group.call(surface, group, content.prompt, content.target,
                                               box, palette)),
                ("finishers", _union(lay.newest, lay.others), group.finishers,
                 lambda box: render_group.finishers(surface, group.finishers, lay.newest,
                                                    lay.others, palette))]
        bar_fill = None if content.progress is None else round(content.progress * lay.bar.w)
        primary, card = lay.primary, None
        if content.phone is not None:  # the pairing card beside (under) the READY prompt
            primary, card = lay.primary.rows(0.5) if lay.portrait else lay.primary.split(0.64)
        panels: list[Panel] = [
            ("band", lay.band, (content.word, content.where),
             lambda box: self._band(content, palette, lay)),
            ("primary", primary, (content.number, content.headline, primary),
             lambda box: self._primary(content, palette, box, digits)),
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
                 digits: pygame.font.Font) -> Placed:
        box = area.inset(round(area.w * 0.02))
        if content.number is None:
            return self._headline(content.headline, box, palette.text)
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
        return self._lines(lines, typeface, box, palette.dim if frozen else palette.text,
                           palette.background)

    def _lines(self, lines: list[str], typeface: pygame.font.Font, box: Box,
               colour: Colour, background: Colour | None = None) -> Placed:
        """Lines centred in `box`. With a `background`, the text is drawn opaque: three times
        cheaper for the huge digits, which a running rep redraws ten times a second."""
        cap = cap_height(typeface)
        step = round(cap * (1 + _LINE_GAP))
        top = box.y + (box.h - (cap + step * (len(lines) - 1))) // 2
        placed = []
        for number, line in enumerate(lines):
            row = Box(box.x, top + number * step, box.w, cap)
            x, y = place(typeface, line.rstrip(":"), row, Align.CENTRE)  # a colon hangs
            x = min(x, box.right - typeface.size(line)[0])
            inked = ink(typeface, line, x, y)
            rendered = typeface.render(line, True, colour, background)
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
                         SensorState.LOST: palette.bad}[content.sensor]
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

def _rect(box: Box) -> pygame.Rect:
    return pygame.Rect(box.x, box.y, box.w, box.h)


def _union(first: Box, second: Box) -> Box:
    x, y = min(first.x, second.x), min(first.y, second.y)
    return Box(x, y, max(first.right, second.right) - x, max(first.bottom, second.bottom) - y)
