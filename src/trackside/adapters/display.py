"""The track-side window (pygame-ce): draws Views, turns keys into inputs.

Rules for this module:
  1. Only the main thread calls it. It never sleeps and never reads the engine: the main
     loop hands it a View and asks `next_change` when to come back.
  2. `show` draws only what changed (`render`) and updates only the rectangles drawn
     (`display.update(rects)`: SDL copies them to the window, or, on a driver with no
     window framebuffer such as kmsdrm, uploads the rectangle around them and presents the
     frame), the whole screen when everything was drawn. Nothing at all when the picture
     is the same; between changes the process sleeps.
  3. Keys are stamped with the clock when `poll` reads them (SDL's own stamps are not
     exposed), so `next_change` asks to poll with each tenth during a rep (a key may end
     it) and every quarter second otherwise: every poll is a wake-up. For timing to the
     tenth use the GPIO button or the beam.
  4. No display (no X, no KMS, no permission): `DisplayUnavailable`, so the app can fall
     back to the terminal view.

Keys: space = the button (hold it for a hold), L = a beam crossing, F = full screen on/off,
Esc or Q = quit (the session is kept and can be resumed).
"""

from __future__ import annotations

import logging
import os

import pygame


from trackside.adapters.render import Painter
from trackside.adapters.theme import theme as theme_named
from trackside.core.events import (
    ButtonPressed,
    ButtonReleased,
    Crossing,
    Input,
    QuitRequested,
)
from trackside.core.readout import Readout, content, key_poll_s, seconds_to_change
from trackside.core.summary_readout import SummaryReadout
from trackside.core.view import View
from trackside.runtime.clock import Clock
from trackside.stderr_capture import stderr_to_log

WINDOW_SIZE = (1280, 720)
_EVENTS = (pygame.QUIT, pygame.KEYDOWN, pygame.KEYUP, pygame.VIDEORESIZE, pygame.VIDEOEXPOSE,
           pygame.WINDOWSIZECHANGED, pygame.WINDOWEXPOSED)


log = logging.getLogger(__name__)


class DisplayUnavailable(RuntimeError):
    """pygame could not open a window or a full screen here."""


_INVISIBLE = ("offscreen", "dummy")  # SDL drivers that draw into memory only


class PygameScreen:
    def __init__(self, clock: Clock, *, size: tuple[int, int] | None = None,
                 fullscreen: bool = False, theme: str = "day") -> None:
        self._clock = clock
        self._theme = theme_named(theme)
        self._windowed_size = size or WINDOW_SIZE
        self._fullscreen = fullscreen
        self._closed = False
        self._content: Readout | SummaryReadout | None = None
        asked = os.environ.get("SDL_VIDEODRIVER")
        try:
            with stderr_to_log(log, "video driver"):  # SDL's probes complain straight to fd 2
                pygame.display.init()
            # With no screen SDL falls back to drawing into memory: nobody would see it.
            if pygame.display.get_driver() in _INVISIBLE and not asked:
                raise pygame.error("no screen here (no desktop, no console display)")
            surface = self._open()
        except pygame.error as exc:
            pygame.display.quit()
            raise DisplayUnavailable(
                f"no display (SDL video driver {asked or 'auto'}): {exc}") from exc
        pygame.display.set_caption("Trackside")
        pygame.event.set_blocked(None)
        pygame.event.set_allowed(list(_EVENTS))
        self._painter = Painter(surface, self._theme)

    @property
    def size(self) -> tuple[int, int]:
        return self._painter.layout.size

    def show(self, view: View, now: float) -> None:
        shown = content(view)
        if shown == self._content:
            return
        self._content = shown
        rects = self._painter.paint(shown)
        if rects:
            pygame.display.update(rects)

    def next_change(self, view: View, now: float) -> float | None:
        """When the picture next changes, or when keys must next be read if that is sooner."""
        tenths = not self._painter.layout.portrait
        wait = seconds_to_change(view, tenths=tenths)
        poll = key_poll_s(view)
        return now + (poll if wait is None else min(wait, poll))

    def poll(self, now: float) -> list[Input]:
        inputs: list[Input] = []
        for event in pygame.event.get():
            at = self._clock.now()
            if event.type == pygame.QUIT:
                inputs.append(QuitRequested(at=at))
            elif event.type == pygame.KEYDOWN:
                inputs += self._key_down(event.key, at)
            elif event.type == pygame.KEYUP and event.key == pygame.K_SPACE:
                inputs.append(ButtonReleased(at=at))
            elif event.type == pygame.VIDEORESIZE and not self._fullscreen:
                self._windowed_size = (event.w, event.h)
                self._repaint(pygame.display.get_surface())
            elif event.type in (pygame.VIDEOEXPOSE, pygame.WINDOWEXPOSED,
                                pygame.WINDOWSIZECHANGED):
                self._repaint(pygame.display.get_surface())
        return inputs

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            pygame.display.quit()

    def _key_down(self, key: int, at: float) -> list[Input]:
        if key == pygame.K_SPACE:
            return [ButtonPressed(at=at)]
        if key == pygame.K_l:
            return [Crossing(at=at, raw="key L")]
        if key in (pygame.K_ESCAPE, pygame.K_q):
            return [QuitRequested(at=at)]
        if key == pygame.K_f:
            self._fullscreen = not self._fullscreen
            self._repaint(self._open())
        return []

    def _open(self) -> pygame.Surface:
        if self._fullscreen:
            surface = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        else:
            surface = pygame.display.set_mode(self._windowed_size, pygame.RESIZABLE)
        pygame.mouse.set_visible(not self._fullscreen)
        return surface

    def _repaint(self, surface: pygame.Surface) -> None:
        """Draw the last picture again in full (a new size, or the window was uncovered)."""
        if surface.get_size() != self._painter.layout.size:
            self._painter.resize(surface)
        else:
            self._painter.forget()
        if self._content is not None:
            self._painter.paint(self._content)
            pygame.display.flip()


def render_png(view: View, now: float, size: tuple[int, int], path: str,
               theme: str = "day") -> None:
    """Draw `view` as the window would at `size` and save it as a PNG. Needs no display.

    `now` is when the view was taken; the picture depends on the view alone.
    """
    surface = pygame.Surface(size)
    Painter(surface, theme_named(theme)).paint(content(view))
    pygame.image.save(surface, path)
