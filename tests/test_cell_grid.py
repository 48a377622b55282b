"""The terminal's cell grid: the escapes between two frames leave the screen showing the
second, and touch only what changed. Checked on a minimal terminal that obeys the escapes
the grid writes (cursor moves, SGR styles, clear)."""

from hypothesis import given
from hypothesis import strategies as st
from terminal_player import play

from trackside.adapters.cell_grid import Grid, changes, grid

STYLES = ["", "1;38;5;15", "1;38;5;16;48;5;46"]
lines = st.lists(st.lists(st.tuples(st.sampled_from(STYLES), st.text("ab █", max_size=12)),
                          max_size=4), max_size=8)
sizes = st.tuples(st.integers(1, 20), st.integers(1, 6))


@given(lines, lines, sizes)
def test_the_escapes_from_one_frame_to_the_next_leave_the_next_on_the_screen(
        first: list, second: list, size: tuple[int, int]) -> None:
    before, after = grid(first, size), grid(second, size)
    anything = tuple(tuple(("?", "1") for _ in row) for row in before)
    assert play(changes(None, before), anything) == before
    assert play(changes(before, after), before) == after


def test_a_frame_is_exactly_the_screen_cut_and_padded() -> None:
    frame = grid([[("", "abcdef")], [("1", "x")], [], [("", "extra")]], (4, 3))
    assert frame == (tuple((c, "") for c in "abcd"), (("x", "1"),) + ((" ", ""),) * 3,
                     ((" ", ""),) * 4)


def test_only_the_cells_that_changed_are_written() -> None:
    before = grid([[("1", "12.3 seconds")]], (20, 2))
    after = grid([[("1", "12.4 seconds")]], (20, 2))
    assert changes(before, after) == "\x1b[1;4H\x1b[0;1m4\x1b[0m"
    assert changes(after, after) == ""
