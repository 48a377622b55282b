"""A group's part of the live screen: the names called, and the finishers, the newest largest.

Rules for this module:
  1. The newest finisher fills its row (GroupLayout.newest: capitals of about 10 % of the
     screen's height, legible from 20 m on a 24-inch 1080p screen); the ones before them
     share the rows below in a grid of as many columns as gives the largest text, every
     cell the same size, so the eye reads down the list without jumps.
  2. A time is in the text colour, its difference to target green on or under it, red
     over; a finish not seen says NO TIME in red; CHECK ORDER stands in the call row, red.
  3. Every piece of text drawn is returned with where its ink landed (render's rule 3).
"""

from __future__ import annotations

import math

import pygame

from trackside.adapters.layout import Box
from trackside.adapters.theme import Colour, Palette
from trackside.adapters.typeset import Align, Face, Placed, cap_height, draw_pieces, fitted
from trackside.core.group_readout import NO_TIME, FinisherLine, GroupLines

_ROW_CAP = 0.7  # capitals fill this much of a finisher's row
_MAX_COLUMNS = 3
_OLDER = 0.6  # the finishers before the newest: at most this share of its letters' size


def call(surface: pygame.Surface, group: GroupLines, prompt: str, target: str, box: Box,
         palette: Palette) -> Placed:
    """The call row: who goes (or goes next), CHECK ORDER beside it; else the prompt, else
    the rep running or coming."""
    pieces: list[tuple[str, Colour]] = []
    if group.call:
        pieces.append((group.call, palette.accent))
    if group.check:
        pieces.append((("   " if pieces else "") + group.check, palette.bad))
    if not pieces and (prompt or target):
        pieces.append((prompt, palette.accent) if prompt else (target, palette.dim))
    if not pieces:
        return []
    text = "".join(piece for piece, _ in pieces)
    return [(text, draw_pieces(surface, pieces, box, box.h * _ROW_CAP, Align.CENTRE))]


def finishers(surface: pygame.Surface, lines: tuple[FinisherLine, ...], newest: Box,
              others: Box, palette: Palette) -> Placed:
    if not lines:
        return []
    first, *rest = lines
    placed = [_line(surface, first, newest, newest.h * _ROW_CAP, palette, Align.CENTRE)]
    if not rest:
        return placed
    columns, rows = _grid(rest, others)
    cell_w, row_h = others.w / columns, others.h / rows
    widest = max((_text(line) for line in rest), key=len)
    cap = min(cap_height(fitted(Face.SANS, widest, row_h * _ROW_CAP, cell_w * 0.94)),
              newest.h * _ROW_CAP * _OLDER)  # the newest stays the largest
    for number, line in enumerate(rest):
        column, row = divmod(number, rows)
        cell = Box(round(others.x + column * cell_w), round(others.y + row * row_h),
                   round(cell_w * 0.94), round(row_h))
        placed.append(_line(surface, line, cell, cap, palette, Align.LEFT))
    return placed


def _grid(lines: list[FinisherLine], box: Box) -> tuple[int, int]:
    """The columns (and rows) that give the largest text in `box`."""
    widest = max((_text(line) for line in lines), key=len)
    best = (1, len(lines), 0)
    for columns in range(1, min(_MAX_COLUMNS, len(lines)) + 1):
        rows = math.ceil(len(lines) / columns)
        typeface = fitted(Face.SANS, widest, box.h / rows * _ROW_CAP, box.w / columns * 0.94)
        if cap_height(typeface) > best[2]:
            best = (columns, rows, cap_height(typeface))
    return best[0], best[1]


def _text(line: FinisherLine) -> str:
    return line.text().replace(" ", "  ")


def _line(surface: pygame.Surface, line: FinisherLine, box: Box, cap: float,
          palette: Palette, align: Align) -> tuple[str, pygame.Rect]:
    name = f"{line.name} #{line.rep}" if line.rep else line.name
    pieces: list[tuple[str, Colour]] = [(name, palette.text)]
    if line.timed is None:
        pieces.append(("  " + NO_TIME, palette.bad))
    else:
        pieces.append(("  " + line.timed.time, palette.text))
        if line.timed.delta:
            pieces.append(("  " + line.timed.delta, palette.good if line.timed.good
                           else palette.bad))
        if line.timed.note:  # LATE START
            pieces.append(("  " + line.timed.note, palette.notice))
    text = "".join(piece for piece, _ in pieces)
    return text, draw_pieces(surface, pieces, box, cap, align)
