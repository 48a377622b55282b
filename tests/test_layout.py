from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from trackside.adapters.layout import Box, layout, summary_layout

sizes = st.tuples(st.integers(320, 4000), st.integers(240, 4000))


def _inside(box: Box, size: tuple[int, int]) -> bool:
    return box.x >= 0 and box.y >= 0 and box.right <= size[0] and box.bottom <= size[1]


def _overlap(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


@given(sizes)
def test_every_box_of_the_live_screen_is_on_screen_and_none_overlap(size: tuple[int, int]) -> None:
    lay = layout(size)
    boxes = [lay.band, lay.primary, lay.bar, lay.target, lay.last, lay.lower, lay.status,
             lay.name]
    assert all(_inside(box, size) for box in boxes + [lay.word, lay.where])
    assert not any(_overlap(a, b) for a, b in combinations(boxes, 2))


@given(sizes, st.integers(1, 30), st.booleans())
def test_every_box_of_the_summary_is_on_screen_and_none_overlap(
        size: tuple[int, int], groups: int, notice: bool) -> None:
    lay = summary_layout(size, groups, notice)
    boxes = [lay.band, lay.stats, lay.table, lay.chart]
    if notice:
        assert lay.notice is not None
        boxes.append(lay.notice)
    assert all(_inside(box, size) for box in boxes)
    assert not any(_overlap(a, b) for a, b in combinations(boxes, 2))


def test_landscape_digits_aim_for_half_the_height_and_portrait_stacks_them() -> None:
    assert layout((1920, 1080)).digit_px == 540
    portrait = layout((1080, 1920))
    assert portrait.portrait
    assert portrait.digit_px * 2 < portrait.primary.h
