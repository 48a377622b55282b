"""Where everything goes on a screen of any size: pure geometry, in whole pixels.

Rules for this module:
  1. Every box is a fraction of the screen, so the picture scales from 800x480 to 4K and
     turns with the screen: landscape puts things side by side, portrait stacks them.
  2. Every box lies inside the screen, and boxes never overlap.
  3. The primary digits aim for half the screen's height in landscape (at least 45 %).
     A portrait screen is bound by its width: the digits get half the width and minutes
     stack over seconds, which keeps them as large as the same screen turned sideways.
     A group's screen gives the clock less (about a quarter) and the finishers the rest.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def split(self, fraction: float) -> tuple[Box, Box]:
        """Left and right parts, the left `fraction` wide."""
        left = round(self.w * fraction)
        return Box(self.x, self.y, left, self.h), Box(self.x + left, self.y, self.w - left, self.h)

    def rows(self, fraction: float) -> tuple[Box, Box]:
        """Top and bottom parts, the top `fraction` high."""
        top = round(self.h * fraction)
        return Box(self.x, self.y, self.w, top), Box(self.x, self.y + top, self.w, self.h - top)

    def inset(self, dx: int, dy: int = 0) -> Box:
        return Box(self.x + dx, self.y + dy, self.w - 2 * dx, self.h - 2 * dy)


@dataclass(frozen=True, slots=True)
class Layout:
    """The live screen: a coloured band, the primary number, a bar and three text rows."""

    size: tuple[int, int]
    portrait: bool
    band: Box  # filled with the phase colour
    word: Box  # the phase word, inside the band
    where: Box  # 'SET 2/3  REP 4/6', inside the band
    primary: Box
    digit_px: int  # the height the primary digits aim for (the width may make them smaller)
    bar: Box
    target: Box
    last: Box
    lower: Box  # NEXT, or the prompt
    status: Box  # sensor state and notices
    name: Box  # the plan's name


@dataclass(frozen=True, slots=True)
class GroupLayout:
    """A group's live screen: the band and the clock as alone, smaller, then a row for the
    names called, the newest finisher as large as 20 m needs, and the others below it."""

    portrait: bool
    band: Box
    word: Box
    where: Box
    primary: Box
    digit_px: int
    bar: Box
    call: Box  # 'BEN IN 3', who goes next in a rest, CHECK ORDER
    newest: Box  # the newest finisher
    others: Box  # the finishers before them, in a grid
    status: Box
    name: Box


@dataclass(frozen=True, slots=True)
class SummaryLayout:
    size: tuple[int, int]
    portrait: bool
    band: Box
    title: Box
    name: Box
    stats: Box  # a header and a row of figures per group of reps
    table: Box
    chart: Box
    notice: Box | None  # a fault the timer worked around, along the foot: 'NOT SAVING: ...'


def layout(size: tuple[int, int]) -> Layout:
    width, height = size
    if height > width:
        return _portrait(width, height)
    return _landscape(width, height)


def _landscape(width: int, height: int) -> Layout:
    def row(top: float, high: float) -> Box:
        return Box(margin, round(top * height), width - 2 * margin, round(high * height))

    margin = round(0.025 * width)
    band = Box(0, 0, width, round(0.14 * height))
    word, where = band.inset(margin).split(0.55)
    target, last = row(0.755, 0.085).split(0.56)
    status, name = row(0.945, 0.045).split(0.6)
    return Layout(
        size=(width, height),
        portrait=False,
        band=band,
        word=word,
        where=where,
        primary=Box(0, round(0.15 * height), width, round(0.54 * height)),
        digit_px=round(0.50 * height),
        bar=row(0.705, 0.035),
        target=target,
        last=last,
        lower=row(0.85, 0.08),
        status=status,
        name=name,
    )


def _portrait(width: int, height: int) -> Layout:
    def row(top: float, high: float) -> Box:
        return Box(margin, round(top * height), width - 2 * margin, round(high * height))

    margin = round(0.04 * width)
    band = Box(0, 0, width, round(0.12 * height))
    word, where = band.inset(margin, round(0.008 * height)).rows(0.62)
    primary = Box(0, round(0.125 * height), width, round(0.60 * height))
    status, name = row(0.95, 0.035).split(0.6)
    return Layout(
        size=(width, height),
        portrait=True,
        band=band,
        word=word,
        where=where,
        primary=primary,
        digit_px=round(primary.h / 2.25),  # two lines and a gap
        bar=row(0.74, 0.02),
        target=row(0.775, 0.045),
        last=row(0.83, 0.045),
        lower=row(0.885, 0.05),
        status=status,
        name=name,
    )


def group_layout(size: tuple[int, int]) -> GroupLayout:
    """Rows down the screen, in either orientation: the newest finisher's row is 15 % of the
    height (its capitals about 10 %: 105 px on a 1080-line screen, legible from 20 m)."""
    width, height = size
    portrait = height > width
    margin = round((0.04 if portrait else 0.025) * width)

    def row(top: float, high: float) -> Box:
        return Box(margin, round(top * height), width - 2 * margin, round(high * height))

    band = Box(0, 0, width, round(0.11 * height))
    inside = band.inset(margin, round(0.008 * height))
    word, where = inside.rows(0.62) if portrait else inside.split(0.55)
    primary = Box(0, band.bottom, width, round(0.30 * height))
    status, name = row(0.95, 0.04).split(0.6)
    return GroupLayout(
        portrait=portrait, band=band, word=word, where=where, primary=primary,
        digit_px=round(primary.h / (2.25 if portrait else 1.18)),  # portrait: two lines
        bar=row(0.415, 0.02), call=row(0.445, 0.08),
        newest=row(0.535, 0.15), others=row(0.695, 0.245), status=status, name=name)


def summary_layout(size: tuple[int, int], stat_rows: int = 1,
                   notice: bool = False) -> SummaryLayout:
    """The end-of-session screen; `stat_rows`: rows of figures (one per group of reps);
    `notice`: a row along the foot for one."""
    width, height = size
    portrait = height > width
    margin = round(0.025 * min(width, height))
    band = Box(0, 0, width, round((0.09 if portrait else 0.11) * height))
    inside = band.inset(margin, round(0.01 * height))
    title, name = inside.rows(0.6) if portrait else inside.split(0.5)
    stats_top = band.bottom + margin
    header, row, most = (0.025, 0.045, 0.3) if portrait else (0.04, 0.09, 0.36)
    stats_h = round(min(header + row * max(1, stat_rows), most) * height)
    stats = Box(margin, stats_top, width - 2 * margin, stats_h)
    bottom, notice_row = height - margin, None
    if notice:
        notice_row = Box(margin, bottom - round(0.05 * height), width - 2 * margin,
                         round(0.05 * height))
        bottom = notice_row.y - margin
    body = Box(margin, stats.bottom + margin, width - 2 * margin, 0)
    body = Box(body.x, body.y, body.w, bottom - body.y)
    if portrait:
        table, chart = body.rows(0.55)
        chart = Box(chart.x, chart.y + margin, chart.w, chart.h - margin)
    else:
        table, chart = body.split(0.48)
        chart = Box(chart.x + margin, chart.y, chart.w - margin, chart.h)
    return SummaryLayout((width, height), portrait, band, title, name, stats, table, chart,
                         notice_row)
