"""A minimal terminal for the tests: it obeys the escapes the terminal view writes (cursor
moves, SGR styles, clear, mode switches) and keeps the cells they leave."""

import re

from trackside.adapters.cell_grid import Grid

_ESCAPE = re.compile(r"\x1b\[(?P<row>\d+);(?P<column>\d+)H|\x1b\[(?P<sgr>[\d;]*)m"
                     r"|(?P<clear>\x1b\[2J)|(?P<mode>\x1b\[\?\d+[hl])|(?P<char>.)", re.DOTALL)


def play(escapes: str, screen: Grid) -> Grid:
    """What a terminal showing `screen` shows after `escapes`."""
    cells = [list(row) for row in screen]
    row = column = 0
    style = ""
    for token in _ESCAPE.finditer(escapes):
        if token["row"]:
            row, column = int(token["row"]) - 1, int(token["column"]) - 1
        elif token["sgr"] is not None:
            style = token["sgr"].removeprefix("0").removeprefix(";")
        elif token["mode"]:
            continue  # the alternate screen, the cursor shown or hidden: no cell changes
        elif token["clear"]:
            cells = [[(" ", "")] * len(line) for line in cells]
        else:
            cells[row][column] = (token["char"], style)
            column += 1
    return tuple(tuple(line) for line in cells)
