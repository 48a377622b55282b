"""The end-of-session screen: the figures of each group of reps, every rep, a bar chart.

Read from close up by a coach, so it trades size for completeness: every rep is listed
(in up to three columns), none is dropped. The figures are a table, one row per group
of reps that belong together (core/summary), and a row for the whole session when there
are several. The chart has a panel per group, each with its own scale: bars are times, a
white line across a bar is that rep's target; a bar is green on or under target, red over,
grey without one. A panel's floor is not zero, so a fade of a second shows on a 60 s rep.
"""

from __future__ import annotations

import math

import pygame

from trackside.adapters.layout import Box, SummaryLayout, summary_layout
from trackside.adapters.theme import Colour, Theme
from trackside.adapters.typeset import (
    Align,
    Face,
    Placed,
    cap_height,
    cap_ratio,
    draw,
    draw_pieces,
    fitted,
    font,
    ink,
    place,
)
from trackside.core.events import Phase
from trackside.core.summary_readout import (
    STAT_LABELS,
    GroupReadout,
    RepLine,
    Stat,
    SummaryReadout,
)

_COLUMNS = ("REP", "TIME", "TARGET", "+/-", "")
_WIDTHS = (4, 9, 7, 7, 10)  # characters per column of the table ('1:26.00?', 'LATE START')
_MAX_TABLE_COLUMNS = 3
_TITLE_SHARE = 0.3  # of the figures' width: what the reps of a row are
_HEADER_SHARE = 0.5  # the figures' header, in rows of figures
_PANEL_GAP = 0.6  # between the chart's panels, in bar slots


def paint(surface: pygame.Surface, content: SummaryReadout, theme: Theme) -> dict[str, Placed]:
    rows = _figure_rows(content)
    lay = summary_layout(surface.get_size(), len(rows), notice=bool(content.notice))
    height = lay.size[1]
    placed: dict[str, Placed] = {
        "band": band(surface, lay, content.title, content.plan_name, theme),
        "stats": _figures(surface, rows, lay.stats, theme),
        "table": _table(surface, content.reps, lay.table, theme, max_cap=0.045 * height),
        "chart": _chart(surface, content.groups, lay.chart, theme),
    }
    if lay.notice is not None:
        placed["notice"] = notice(surface, lay.notice, content.notice, theme)
    return placed


def notice(surface: pygame.Surface, box: Box, text: str, theme: Theme) -> Placed:
    """A fault the timer worked around, along the foot, as the live screen's footer says it."""
    return [(text, draw(surface, text, box, theme.bad, box.h * 0.62))]


def band(surface: pygame.Surface, lay: SummaryLayout, title: str, plan_name: str,
         theme: Theme) -> Placed:
    """The whole screen cleared, and the band across its top: how it ended, the plan."""
    surface.fill(theme.background)
    surface.fill(theme.phase(Phase.FINISHED), pygame.Rect(lay.band.x, lay.band.y, lay.band.w,
                                                          lay.band.h))
    return [
        (title, draw(surface, title, lay.title, theme.on_colour, lay.title.h * 0.75)),
        (plan_name, draw(surface, plan_name, lay.name, theme.on_colour,
                         lay.name.h * (0.7 if lay.portrait else 0.5),
                         Align.LEFT if lay.portrait else Align.RIGHT)),
    ]


def _figure_rows(content: SummaryReadout) -> list[tuple[str, tuple[Stat, ...]]]:
    """A row per group; with several, the session's own (its count and vs-target) last."""
    rows = [(group.title, group.stats) for group in content.groups]
    if len(rows) != 1:
        rows.append(("ALL" if rows else "", content.stats))
    return rows


def _figures(surface: pygame.Surface, rows: list[tuple[str, tuple[Stat, ...]]], box: Box,
             theme: Theme) -> Placed:
    header_h = round(box.h * _HEADER_SHARE / (_HEADER_SHARE + len(rows)))
    row_h = (box.h - header_h) / len(rows)
    title_w = round(box.w * _TITLE_SHARE)
    column_w = (box.w - title_w) / len(STAT_LABELS)

    def cell(column: int, top: float, high: float) -> Box:
        return Box(round(box.x + title_w + column * column_w), round(top), round(column_w),
                   round(high))

    label_face = fitted(Face.SANS, max(STAT_LABELS, key=len), header_h * 0.7, column_w * 0.9)
    values = [stat.value for _, stats in rows for stat in stats] or ["0"]
    value_face = fitted(Face.SANS, max(values, key=len), row_h * 0.55, column_w * 0.9)
    placed = [_text(surface, label_face, label, cell(column, box.y, header_h), theme.dim,
                    Align.CENTRE) for column, label in enumerate(STAT_LABELS)]
    for number, (title, stats) in enumerate(rows):
        top = box.y + header_h + number * row_h
        if title:
            title_box = Box(box.x, round(top), round(title_w * 0.95), round(row_h))
            placed.append((title, draw(surface, title, title_box, theme.text,
                                       min(row_h * 0.45, cap_height(value_face)))))
        for stat in stats:
            colour = theme.text if stat.good is None else theme.good if stat.good else theme.bad
            column = STAT_LABELS.index(stat.label)
            placed.append(_text(surface, value_face, stat.value, cell(column, top, row_h),
                                colour, Align.CENTRE))
    return placed


def _text(surface: pygame.Surface, typeface: pygame.font.Font, text: str, box: Box,
          colour: Colour, align: Align) -> tuple[str, pygame.Rect]:
    left, top = place(typeface, text, box, align)
    surface.blit(typeface.render(text, True, colour), (left, top))
    return text, ink(typeface, text, left, top)


def _table(surface: pygame.Surface, reps: tuple[RepLine, ...], box: Box, theme: Theme,
           max_cap: float) -> Placed:
    if not reps:
        return [("NO REPS RECORDED", draw(surface, "NO REPS RECORDED", box, theme.dim,
                                          max_cap))]
    # The last column, for a note (LATE START), only when a rep has one.
    widths = _WIDTHS if any(rep.timed.note for rep in reps) else _WIDTHS[:-1]
    columns, cap = _table_shape(len(reps), box, max_cap, sum(widths) + len(widths))
    per_column = math.ceil(len(reps) / columns)
    row_h = box.h / (per_column + 1)
    typeface = font(Face.MONO, max(1, int(cap / cap_ratio(Face.MONO))))
    advance = typeface.size("0")[0]
    column_w = box.w // columns
    placed: Placed = []
    for column in range(columns):
        x = box.x + column * column_w
        header = _cells(_COLUMNS[:len(widths)])
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
            if rep.timed.note:
                note_x = x + advance * (sum(_WIDTHS[:4]) + 4)
                placed.append(_blit(surface, typeface, rep.timed.note, note_x, y, row_h,
                                    theme.notice))
    return placed


def _table_shape(reps: int, box: Box, max_cap: float, chars: int) -> tuple[int, float]:
    """How many columns (of `chars` characters each) give the largest text, and that text's
    capital height."""
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
    return _text(surface, typeface, text, Box(round(x), round(y), 0, round(row_h)), colour,
                 Align.LEFT)


def _chart(surface: pygame.Surface, groups: tuple[GroupReadout, ...], box: Box,
           theme: Theme) -> Placed:
    bars = sum(len(group.reps) for group in groups)
    if not bars:
        return []
    legend, plot = box.rows(0.1)
    placed = [("legend", _legend(surface, legend, theme))]
    titles_h = round(plot.h * 0.08) if len(groups) > 1 else 0
    labels_h = round(plot.h * 0.08)
    slot = plot.w / (bars + _PANEL_GAP * (len(groups) - 1))
    line = max(2, round(plot.h / 120))
    x = float(plot.x)
    for group in groups:
        width = slot * len(group.reps)
        panel = Box(round(x), plot.y + titles_h, round(width), plot.h - titles_h - labels_h)
        if titles_h:
            title_box = Box(panel.x, plot.y, panel.w, titles_h)
            placed.append((group.title, draw(surface, group.title, title_box, theme.dim,
                                             titles_h * 0.6, Align.CENTRE)))
        placed += _panel(surface, group.reps, panel, slot, labels_h, line, theme)
        x += width + _PANEL_GAP * slot
    return placed


def _panel(surface: pygame.Surface, reps: tuple[RepLine, ...], plot: Box, slot: float,
           labels_h: int, line: int, theme: Theme) -> Placed:
    """One group's bars, on a scale of their own."""
    values = [rep.duration_s for rep in reps] + [rep.target_s for rep in reps
                                                 if rep.target_s is not None]
    low, high = min(values), max(values)
    spread = max(high - low, 0.05 * high)
    floor, ceiling = max(0.0, low - spread), high + 0.15 * spread

    def y_of(seconds: float) -> int:
        return plot.bottom - round((seconds - floor) / (ceiling - floor) * plot.h)

    placed: Placed = []
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
