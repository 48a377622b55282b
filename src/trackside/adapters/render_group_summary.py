"""A group's end-of-session screen: the athletes x reps table, each athlete's average and
difference to target beside their row.

Read from close up by a coach, as the single summary is (render_summary): every rep of
every athlete is in the table, none dropped; a plan of many reps is cut into blocks of
columns, one under the other. A time is green on or under its athlete's target, red over,
white without one; a finish not seen says NO TIME in red.
"""

from __future__ import annotations

import pygame

from trackside.adapters.layout import Box, summary_layout
from trackside.adapters.render_summary import band, notice
from trackside.adapters.theme import Colour, Theme
from trackside.adapters.typeset import Face, Placed, cap_ratio, font, ink
from trackside.core.group_readout import NO_TIME, GroupSummaryReadout
from trackside.core.rep_words import Timed
from trackside.core.summary_readout import Stat, SummaryReadout

_REPS_A_BLOCK = 12  # rep columns side by side; more go in the next block down
_CELL = 8  # characters of a time: '1:05.32', '1:05.32?' (read after a stall), 'NO TIME'
_AVERAGE, _VS = "AVG", "+/-"


def paint_group(surface: pygame.Surface, content: GroupSummaryReadout,
                theme: Theme) -> dict[str, Placed]:
    lay = summary_layout(surface.get_size(), notice=bool(content.notice))
    margin = lay.stats.x
    bottom = lay.size[1] - margin if lay.notice is None else lay.notice.y - margin
    area = Box(margin, lay.band.bottom + margin, lay.size[0] - 2 * margin,
               bottom - lay.band.bottom - margin)
    placed = {"band": band(surface, lay, content.title, content.plan_name, theme),
              "table": _table(surface, content, area, theme)}
    if lay.notice is not None:
        placed["notice"] = notice(surface, lay.notice, content.notice, theme)
    return placed


def _table(surface: pygame.Surface, content: GroupSummaryReadout, box: Box,
           theme: Theme) -> Placed:
    table = content.table
    names = [name for name, _ in table.rows]
    blocks = [range(start, min(start + _REPS_A_BLOCK, len(table.reps)))
              for start in range(0, max(len(table.reps), 1), _REPS_A_BLOCK)]
    name_w = max(len(name) for name in names)
    widest = max(len(block) for block in blocks)
    chars = name_w + (widest + 2) * (_CELL + 2)
    lines = len(blocks) * (len(names) + 1) + len(blocks) - 1
    row_h = box.h / lines
    cap = min(row_h * 0.6, box.w / chars / _advance_per_cap())
    typeface = font(Face.MONO, max(1, int(cap / cap_ratio(Face.MONO))))
    advance = typeface.size("0")[0]
    placed: Placed = []
    y = float(box.y)

    def put(text: str, column: int, colour: Colour) -> None:
        """`text` right-aligned in cell `column` (0: the names) of the row at `y`."""
        x = box.x + (0 if column == 0 else advance * (name_w + (column - 1) * (_CELL + 2) + 2))
        width = name_w if column == 0 else _CELL
        shown = text.ljust(width) if column == 0 else text.rjust(width)
        left = x
        top = round(y + (row_h - typeface.get_height()) / 2)
        surface.blit(typeface.render(shown, True, colour), (left, top))
        placed.append((text, ink(typeface, shown, left, top)))

    for number, block in enumerate(blocks):
        for column, index in enumerate(block, start=1):
            put(table.reps[index], column, theme.dim)
        if number == len(blocks) - 1:
            put(_AVERAGE, len(block) + 1, theme.dim)
            put(_VS, len(block) + 2, theme.dim)
        y += row_h
        for (name, cells), athlete in zip(table.rows, content.athletes, strict=True):
            put(name, 0, theme.text)
            for column, index in enumerate(block, start=1):
                cell = cells[index]
                if cell is None:
                    put(NO_TIME, column, theme.bad)
                elif isinstance(cell, Timed):
                    put(cell.time, column, _colour(cell.good, theme))
            if number == len(blocks) - 1:
                average, vs = _figures(athlete)
                put(average, len(block) + 1, theme.text)
                if vs is not None:
                    put(vs.value, len(block) + 2, _colour(vs.good, theme))
            y += row_h
        y += row_h  # a blank row between blocks
    return placed


def _figures(athlete: SummaryReadout) -> tuple[str, Stat | None]:
    """Their average (only when all their reps were of one kind) and difference to target."""
    average = ""
    if len(athlete.groups) == 1:
        average = next((stat.value for stat in athlete.groups[0].stats
                        if stat.label == "AVERAGE"), "")
    vs = next((stat for stat in athlete.stats if stat.label == "VS TARGET"), None)
    return average, vs


def _colour(good: bool | None, theme: Theme) -> Colour:
    return theme.text if good is None else theme.good if good else theme.bad


def _advance_per_cap() -> float:
    reference = font(Face.MONO, 100)
    return reference.size("0")[0] / 100 / cap_ratio(Face.MONO)

