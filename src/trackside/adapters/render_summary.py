"""The end-of-session screen: the figures, every rep against its target, a bar chart.

Read from close up by a coach, so it trades size for completeness: every rep is listed
(in up to three columns), none is dropped. Bars are times, a white line across a bar is
that rep's target; a bar is green on or under target, red over, grey without one.
The chart's floor is not zero, so a fade of a second is visible on a 60 s rep.
"""

from __future__ import annotations

import math

import pygame

from trackside.adapters.layout import Box, summary_layout
from trackside.adapters.theme import Colour, Theme
from trackside.adapters.typeset import (
    Align,
    Face,
    Placed,
    cap_ratio,
    draw,
    draw_pieces,
    font,
    ink,
    place,
)
from trackside.core.events import Phase
from trackside.core.readout import RepLine, SummaryReadout

_COLUMNS = ("REP", "TIME", "TARGET", "+/-")
_WIDTHS = (4, 8, 7, 7)  # characters per column of the table
_MAX_TABLE_COLUMNS = 3


def paint(surface: pygame.Surface, content: SummaryReadout, theme: Theme) -> dict[str, Placed]:
    lay = summary_layout(surface.get_size())
    height = lay.size[1]
    surface.fill(theme.background)
    accent = theme.phase(Phase.FINISHED)
    surface.fill(accent, pygame.Rect(lay.band.x, lay.band.y, lay.band.w, lay.band.h))
    placed: dict[str, Placed] = {
        "band": [
            (content.title, draw(surface, content.title, lay.title, theme.on_colour,
                                 lay.title.h * 0.75)),
            (content.plan_name, draw(surface, content.plan_name, lay.name, theme.on_colour,
                                     lay.name.h * (0.7 if lay.portrait else 0.5),
                                     Align.LEFT if lay.portrait else Align.RIGHT)),
        ],
        "stats": _stats(surface, content, lay.stats, theme),
        "table": _table(surface, content.reps, lay.table, theme, max_cap=0.045 * height),
        "chart": _chart(surface, content.reps, lay.chart, theme),
    }
    return placed


def _stats(surface: pygame.Surface, content: SummaryReadout, cells: tuple[Box, ...],
           theme: Theme) -> Placed:
    placed: Placed = []
    for stat, cell in zip(content.stats, cells):
        top, bottom = cell.inset(round(cell.w * 0.06)).rows(0.38)
        placed.append((stat.label, draw(surface, stat.label, top, theme.dim, top.h * 0.7)))
        colour = theme.text if stat.good is None else theme.good if stat.good else theme.bad
        placed.append((stat.value, draw(surface, stat.value, bottom, colour, bottom.h * 0.75)))
    return placed


def _table(surface: pygame.Surface, reps: tuple[RepLine, ...], box: Box, theme: Theme,
           max_cap: float) -> Placed:
    if not reps:
        return [("NO REPS RECORDED", draw(surface, "NO REPS RECORDED", box, theme.dim,
                                          max_cap))]
    columns, cap = _table_shape(len(reps), box, max_cap)
    per_column = math.ceil(len(reps) / columns)
    row_h = box.h / (per_column + 1)
    typeface = font(Face.MONO, max(1, int(cap / cap_ratio(Face.MONO))))
    advance = typeface.size("0")[0]
    column_w = box.w // columns
    placed: Placed = []
    for column in range(columns):
        x = box.x + column * column_w
        header = _cells(_COLUMNS)
        placed.append(_blit(surface, typeface, header, x, box.y, row_h, theme.dim))
        for line, rep in enumerate(reps[column * per_column:(column + 1) * per_column], 1):
            y = box.y + line * row_h
            text = _cells((rep.label, rep.timed.time, rep.target, ""))
            placed.append(_blit(surface, typeface, text, x, y, row_h, theme.text))
            if rep.timed.delta:
                colour = theme.good if rep.timed.good else theme.bad
                delta_x = x + advance * (sum(_WIDTHS[:3]) + 3 + _WIDTHS[3] - len(rep.timed.delta))
                placed.append(_blit(surface, typeface, rep.timed.delta, delta_x, y, row_h,
                                    colour))
    return placed


def _table_shape(reps: int, box: Box, max_cap: float) -> tuple[int, float]:
    """How many columns give the largest text, and that text's capital height."""
    chars = sum(_WIDTHS) + len(_WIDTHS)
    reference = font(Face.MONO, 100)
    advance_per_cap = reference.size("0")[0] / 100 / cap_ratio(Face.MONO)
    best = (1, 0.0)
    for columns in range(1, _MAX_TABLE_COLUMNS + 1):
        by_height = box.h / (math.ceil(reps / columns) + 1) * 0.6
        by_width = box.w / columns / (chars * advance_per_cap)
        cap = min(by_height, by_width, max_cap)
        if cap > best[1] * 1.05:  # fewer columns unless more are clearly bigger
            best = (columns, cap)
    return best


def _cells(values: tuple[str, ...]) -> str:
    return " ".join(value.rjust(width) for value, width in zip(values, _WIDTHS))


def _blit(surface: pygame.Surface, typeface: pygame.font.Font, text: str, x: float, y: float,
          row_h: float, colour: Colour) -> tuple[str, pygame.Rect]:
    left, top = place(typeface, text, Box(round(x), round(y), 0, round(row_h)), Align.LEFT)
    surface.blit(typeface.render(text, True, colour), (left, top))
    return text, ink(typeface, text, left, top)


def _chart(surface: pygame.Surface, reps: tuple[RepLine, ...], box: Box, theme: Theme) -> Placed:
    values = [rep.duration_s for rep in reps] + [rep.target_s for rep in reps
                                                 if rep.target_s is not None]
    if not values:
        return []
    legend, plot = box.rows(0.1)
    placed = [("legend", _legend(surface, legend, theme))]
    labels_h = round(plot.h * 0.08)
    plot = Box(plot.x, plot.y, plot.w, plot.h - labels_h)
    low, high = min(values), max(values)
    spread = max(high - low, 0.05 * high)
    floor, ceiling = max(0.0, low - spread), high + 0.15 * spread

    def y_of(seconds: float) -> int:
        return plot.bottom - round((seconds - floor) / (ceiling - floor) * plot.h)

    slot = plot.w / len(reps)
    line = max(2, round(plot.h / 120))
    label_cap = min(labels_h * 0.6, slot * 0.3)
    for number, rep in enumerate(reps):
        left = round(plot.x + number * slot + slot * 0.15)
        width = max(1, round(slot * 0.7))
        colour = theme.dim if rep.timed.good is None else (
            theme.good if rep.timed.good else theme.bad)
        top = y_of(rep.duration_s)
        surface.fill(colour, pygame.Rect(left, top, width, plot.bottom - top))
        if rep.target_s is not None:
            mark = y_of(rep.target_s)
            surface.fill(theme.text, pygame.Rect(left - round(slot * 0.1), mark - line // 2,
                                                 width + round(slot * 0.2), line))
        if label_cap >= 8:
            cell = Box(round(plot.x + number * slot), plot.bottom, round(slot), labels_h)
            placed.append((rep.label, draw(surface, rep.label, cell, theme.dim, label_cap,
                                           Align.CENTRE)))
    surface.fill(theme.dim, pygame.Rect(plot.x, plot.bottom, plot.w, max(1, line // 2)))
    return placed


def _legend(surface: pygame.Surface, box: Box, theme: Theme) -> pygame.Rect:
    pieces = [("■ ON TARGET  ", theme.good), ("■ OVER  ", theme.bad), ("▬ TARGET", theme.text)]
    return draw_pieces(surface, pieces, box, box.h * 0.5)
