"""The big number's glyph cache: the same pixels as rendering the text whole, bounded."""

import pygame
import pytest

from trackside.adapters.glyphs import NUMBER_CHARS, Glyphs
from trackside.adapters.typeset import Face, fitted

WHITE, BLACK, GREEN = (255, 255, 255), (0, 0, 0), (0, 230, 64)


@pytest.mark.parametrize("cap_px", [60, 233, 541, 1080])
def test_a_line_of_glyphs_is_the_picture_of_the_line_rendered_whole(cap_px: int) -> None:
    pygame.font.init()
    typeface = fitted(Face.SANS, "0:00", cap_px, 10_000)
    glyphs = Glyphs(budget_bytes=10**8)
    for text in ("12.3", "59.9", "1:05", "+1:25", "10:00", "1:00:05", "-0.4", NUMBER_CHARS):
        whole = typeface.render(text, True, WHITE, BLACK)
        drawn = pygame.Surface(whole.get_size())
        drawn.fill(BLACK)
        glyphs.draw(drawn, glyphs.line(typeface, text, 0, 0, WHITE, BLACK))
        assert pygame.image.tobytes(drawn, "RGB") == pygame.image.tobytes(whole, "RGB"), text


def test_only_the_glyphs_that_changed_are_drawn_over_a_line_of_the_same_shape() -> None:
    pygame.font.init()
    typeface = fitted(Face.SANS, "0:00", 200, 10_000)
    glyphs, surface = Glyphs(budget_bytes=10**8), pygame.Surface((1000, 400))
    before = glyphs.line(typeface, "12.3", 0, 0, WHITE, BLACK)
    after = glyphs.line(typeface, "12.4", 0, 0, WHITE, BLACK)
    minute = glyphs.line(typeface, "1:00", 0, 0, WHITE, BLACK)  # as long, other cells
    assert after.same_shape(before) and not minute.same_shape(before)
    assert not glyphs.line(typeface, "12.4", 0, 0, GREEN, BLACK).same_shape(before)
    [drawn] = glyphs.draw(surface, after, before)  # the 3 that became a 4, where either inks
    left, width = after.cells[3]
    cell = pygame.Rect(left, after.top, width, after.height)
    assert cell.contains(drawn) and drawn.w < cell.w


def test_glyphs_kept_stay_within_their_budget_whatever_the_colours() -> None:
    pygame.font.init()
    typeface = fitted(Face.SANS, "0:00", 300, 10_000)
    glyphs, surface = Glyphs(budget_bytes=2_000_000), pygame.Surface((2000, 500))
    for shade in range(0, 250, 10):  # a flash in a new colour every time
        glyphs.draw(surface, glyphs.line(typeface, "0123456789", 0, 0, (shade, 0, 0), BLACK))
        assert glyphs.bytes_held <= 2_000_000
