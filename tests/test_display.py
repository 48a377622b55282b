"""The window display, drawn under SDL's dummy video driver and measured in pixels."""

from dataclasses import replace
from itertools import combinations
from pathlib import Path

import pygame
import pytest
from view_factory import (
    FRAME_SEQUENCES,
    PHASE_VIEWS,
    frame_sequence,
    recorded,
    session_results,
    view,
)

from trackside.adapters.display import (
    DisplayUnavailable,
    PygameScreen,
    render_png,
)
from trackside.adapters.layout import Box
from trackside.adapters.render import Painter
from trackside.adapters.theme import theme
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Crossing,
    Phase,
    QuitRequested,
)
from trackside.commands.simulate import view_at
from trackside.core.readout import KEY_POLL_REP_S, KEY_POLL_S, content
from trackside.core.schedule import expand
from trackside.core.view import PhoneCard, View
from trackside.plan_source import load_plan
from trackside.runtime.clock import FakeClock

SIZES = [(1920, 1080), (1280, 720), (800, 480), (1080, 1920)]
NUMBERED = [name for name, shown in PHASE_VIEWS.items()
            if shown.phase not in (Phase.READY, Phase.FINISHED)]


def _paint(shown: View, size: tuple[int, int], theme_name: str = "day") -> tuple[
        pygame.Surface, Painter]:
    surface = pygame.Surface(size)
    painter = Painter(surface, theme(theme_name))
    painter.paint(content(shown))
    return surface, painter


def _ink_lines(surface: pygame.Surface, box: Box) -> list[pygame.Rect]:
    """Lines of ink in `box`, measured from the pixels: glyphs that share rows form a line."""
    area = surface.subsurface(pygame.Rect(box.x, box.y, box.w, box.h))
    background = area.get_at((0, 0))
    mask = pygame.mask.from_threshold(area, background, (2, 2, 2, 255))
    mask.invert()
    lines: list[pygame.Rect] = []
    for glyph in sorted(mask.get_bounding_rects(), key=lambda rect: rect.y):
        if lines and glyph.y < lines[-1].bottom:
            lines[-1] = lines[-1].union(glyph)
        else:
            lines.append(glyph)
    return lines


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("name", NUMBERED)
def test_the_primary_digits_are_at_least_45_percent_of_the_short_side(
        name: str, size: tuple[int, int]) -> None:
    surface, painter = _paint(PHASE_VIEWS[name], size)
    lines = _ink_lines(surface, painter.layout.primary)
    width, height = size
    if height > width:  # portrait is bound by its width: minutes stack over seconds
        least = 0.30 if name == "set_break_overtime" else 0.45  # '+25' is wider than '00'
        assert all(line.h >= least * width for line in lines), lines
        if len(lines) == 2:
            assert lines[-1].bottom - lines[0].top >= 0.40 * height
    else:
        assert [line.h >= 0.45 * height for line in lines] == [True], lines


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("name", list(PHASE_VIEWS))
@pytest.mark.parametrize("theme_name", ["day", "night"])
def test_every_phase_draws_every_text_inside_its_panel_and_the_screen(
        name: str, size: tuple[int, int], theme_name: str) -> None:
    surface, painter = _paint(PHASE_VIEWS[name], size, theme_name)
    screen = surface.get_rect()
    lay = painter.layout
    panels = {"band": lay.band, "primary": lay.primary, "bar": lay.bar, "target": lay.target,
              "last": lay.last, "lower": lay.lower,
              "footer": Box(lay.status.x, lay.status.y, lay.name.right - lay.status.x,
                            lay.status.h)}
    assert painter.placed
    for panel, placed in painter.placed.items():
        for text, rect in placed:
            assert screen.contains(rect), (panel, text, rect)
            if name != "finished":
                box = panels[panel]
                assert pygame.Rect(box.x, box.y, box.w, box.h).contains(rect), (panel, text)


@pytest.mark.parametrize("theme_name", ["day", "night"])
def test_each_phase_has_its_own_colour(theme_name: str) -> None:
    colours = {}
    for name in ("ready", "warmup", "lead_in", "rep", "rest", "set_break", "cooldown",
                 "paused", "finished"):
        surface, _ = _paint(PHASE_VIEWS[name], (800, 480), theme_name)
        colours[name] = tuple(surface.get_at((1, 1)))[:3]
    for (one, first), (other, second) in combinations(colours.items(), 2):
        distance = sum((a - b) ** 2 for a, b in zip(first, second)) ** 0.5
        assert distance > 60, (one, other, first, second)


def test_the_last_seconds_of_a_rest_fill_the_screen_with_the_go_colour() -> None:
    surface, painter = _paint(PHASE_VIEWS["rest_last_seconds"], (800, 480))
    go = theme("day").phase(Phase.REP)
    assert tuple(surface.get_at((painter.layout.primary.x + 2, painter.layout.primary.y + 2)))[
        :3] == go


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("reps", [12, 40])
def test_the_summary_lists_every_rep_on_screen(size: tuple[int, int], reps: int) -> None:
    results = session_results(reps)
    surface, painter = _paint(replace(PHASE_VIEWS["finished"], results=results), size)
    listed = {text.split()[0] for text, _ in painter.placed["table"] if text.split()[0][0].isdigit()}
    assert sorted(listed) == sorted(f"{rep.set_no}.{rep.rep_no}" for rep in results)
    bars = painter.placed["chart"]
    assert all(surface.get_rect().contains(rect) for _, rect in bars)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_summary_has_a_row_of_figures_and_a_chart_panel_per_group(
        size: tuple[int, int]) -> None:
    finished = view_at(expand(load_plan("sprint-strength")), 99_999)
    surface, painter = _paint(finished, size)
    figures = [text for text, _ in painter.placed["stats"]]
    groups = ["10 × squats @ 65%", "6 × squats @ 80%", "3 × squats @ 90%", "10 m bounds max"]
    assert [text for text in figures if text in groups + ["ALL"]] == groups + ["ALL"]
    assert "25.0" in figures and "1.43" in figures  # squats by hand, bounds by the beam
    panels = [text for text, _ in painter.placed["chart"] if text in groups]
    assert panels == groups
    assert all(surface.get_rect().contains(rect) for _, rect in painter.placed["stats"])


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_summary_says_what_the_timer_worked_around_along_its_foot(
        size: tuple[int, int]) -> None:
    notice = "NOT SAVING: disk full, 3 reps waiting"
    surface, painter = _paint(replace(PHASE_VIEWS["finished"], notice=notice), size)
    [(text, rect)] = painter.placed["notice"]
    assert text == notice and surface.get_rect().contains(rect)
    assert rect.h >= 0.02 * size[1]  # legible from a few metres, as the live footer is
    assert all(not rect.colliderect(other) for name in ("table", "chart", "stats")
               for _, other in painter.placed[name])
    _, without = _paint(PHASE_VIEWS["finished"], size)
    assert "notice" not in without.placed


def test_an_empty_session_says_so() -> None:
    _, painter = _paint(replace(PHASE_VIEWS["finished"], results=()), (800, 480))
    assert painter.placed["table"][0][0] == "NO REPS RECORDED"


@pytest.fixture
def screen():  # noqa: ANN201
    clock = FakeClock(t=12.5)
    opened = PygameScreen(clock, size=(800, 480))
    yield opened
    opened.close()


@pytest.fixture
def updates(monkeypatch: pytest.MonkeyPatch) -> list[list[pygame.Rect]]:
    calls: list[list[pygame.Rect]] = []
    monkeypatch.setattr(pygame.display, "update", lambda rects=None: calls.append(rects))
    return calls


def test_show_draws_nothing_when_the_picture_did_not_change(
        screen: PygameScreen, updates: list) -> None:
    screen.show(view(clock_s=45.0, progress=0.5), 0.0)
    screen.show(view(clock_s=45.0, progress=0.5), 0.0)
    screen.show(view(clock_s=44.6, progress=1 - 44.6 / 90), 0.4)  # still reads 45
    assert len(updates) == 1


def test_a_new_second_redraws_only_the_digit_that_changed_and_the_bar(
        screen: PygameScreen, updates: list) -> None:
    screen.show(view(clock_s=45.0, progress=0.5), 0.0)
    screen.show(view(clock_s=44.0, progress=46 / 90), 1.0)
    lay = screen._painter.layout
    digit, bar = updates[-1]
    [(_, number)] = screen._painter.placed["primary"]
    assert number.centerx <= digit.x and digit.w < number.w * 0.6  # the 5 that became a 4
    assert _rect(lay.primary).contains(digit)
    assert bar == _rect(lay.bar)


def test_a_running_rep_redraws_one_glyph_a_tenth_and_the_whole_number_when_it_grows(
        screen: PygameScreen, updates: list) -> None:
    running = PHASE_VIEWS["rep"]
    screen.show(replace(running, clock_s=9.8), 0.0)
    screen.show(replace(running, clock_s=9.9), 0.1)
    [tenth] = updates[-1]
    assert tenth.w * tenth.h < 0.15 * 800 * 480  # one digit of four
    screen.show(replace(running, clock_s=10.0), 0.2)  # 9.9 -> 10.0: a digit more, centred anew
    assert updates[-1] == [_rect(screen._painter.layout.primary)]


def _rect(box: Box) -> pygame.Rect:
    return pygame.Rect(box.x, box.y, box.w, box.h)


def _pixels(surface: pygame.Surface) -> bytes:
    return pygame.image.tobytes(surface, "RGB")


@pytest.mark.parametrize("size", [(800, 480), (480, 800)], ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("frames", FRAME_SEQUENCES)
def test_painting_frame_after_frame_gives_the_picture_painted_afresh(
        frames: str, size: tuple[int, int]) -> None:
    surface = pygame.Surface(size)
    painter = Painter(surface, theme("day"))
    for shown in frame_sequence(frames):
        painter.paint(content(shown))
        fresh, _ = _paint(shown, size)
        assert _pixels(surface) == _pixels(fresh), (shown.phase, shown.clock_s)


def test_a_loop_that_sleeps_until_next_change_draws_once_a_second_then_on_each_flash(
        screen: PygameScreen, updates: list) -> None:
    """A 10 s rest driven the way the main loop drives it: draws land on the second."""
    now, drawn_at = 0.0, []
    while now < 9.9:
        before = len(updates)
        screen.show(view(clock_s=10.0 - now, progress=now / 10), now)
        if len(updates) > before:
            drawn_at.append(round(now, 3))
        now = screen.next_change(view(clock_s=10.0 - now, progress=now / 10), now)
    assert drawn_at == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5]


def test_next_change_is_the_next_second_of_a_countdown_or_the_next_key_poll(
        screen: PygameScreen) -> None:
    assert screen.next_change(view(clock_s=45.02), 100.0) == pytest.approx(100.02, abs=1e-5)
    assert screen.next_change(view(clock_s=45.5), 100.0) == pytest.approx(100.0 + KEY_POLL_S)
    assert screen.next_change(PHASE_VIEWS["ready"], 100.0) == pytest.approx(100.0 + KEY_POLL_S)


def test_next_change_of_a_rep_clock_is_the_next_tenth_and_keys_are_read_with_it(
        screen: PygameScreen) -> None:
    running = PHASE_VIEWS["rep"]  # 47.36 s into the rep
    assert screen.next_change(replace(running, clock_s=47.39), 100.0) == pytest.approx(
        100.01, abs=1e-5)
    assert screen.next_change(running, 100.0) == pytest.approx(100.04, abs=1e-5)
    past_a_minute = PHASE_VIEWS["rep_long"]  # whole seconds: keys are still read each tenth
    assert screen.next_change(past_a_minute, 100.0) == pytest.approx(100.0 + KEY_POLL_REP_S)


def test_keys_become_inputs_stamped_when_read(screen: PygameScreen) -> None:
    for key in (pygame.K_SPACE, pygame.K_l, pygame.K_ESCAPE, pygame.K_q, pygame.K_x):
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=pygame.K_SPACE))
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    assert screen.poll(12.5) == [
        ButtonPressed(at=12.5),
        Crossing(at=12.5, raw="key L"),
        QuitRequested(at=12.5),
        QuitRequested(at=12.5),
        ButtonReleased(at=12.5),
        QuitRequested(at=12.5),
    ]


def test_f_toggles_full_screen_and_redraws_at_the_new_size(
        screen: PygameScreen, updates: list) -> None:
    screen.show(view(), 0.0)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_f))
    assert screen.poll(0.0) == []
    assert screen.size != (800, 480)  # the dummy driver's full screen is 1024x768
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_f))
    screen.poll(0.0)
    assert screen.size == (800, 480)


def test_close_can_be_called_twice(screen: PygameScreen) -> None:
    screen.close()
    screen.close()


def test_no_display_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "no-such-driver")
    with pytest.raises(DisplayUnavailable, match="no-such-driver"):
        PygameScreen(FakeClock())


def test_render_png_saves_the_picture_at_the_asked_size(tmp_path: Path) -> None:
    path = tmp_path / "rest.png"
    render_png(view(last_rep=recorded()), 0.0, (640, 360), str(path), theme="night")
    assert pygame.image.load(str(path)).get_size() == (640, 360)


def test_the_fonts_ship_with_their_licence() -> None:
    from trackside import assets

    for name in ("DejaVuSans-Bold.ttf", "DejaVuSansMono-Bold.ttf", "LICENSE-DejaVu.txt"):
        assert assets.path(f"fonts/{name}").is_file(), name
