"""The pairing card on whatever screen the timer has: shown at READY, while the page is up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from trackside.core.events import Input, Phase
from trackside.core.view import PhoneCard, View
from trackside.loop import Screen


class WithPhoneCard:
    """A Screen around another: at READY the view carries the card (the code, the QR's link)."""

    def __init__(self, screen: Screen, card: Callable[[], PhoneCard | None]) -> None:
        self._screen, self._card = screen, card

    def show(self, view: View, now: float) -> None:
        if view.phase is Phase.READY:
            view = replace(view, phone=self._card())
        self._screen.show(view, now)

    def next_change(self, view: View, now: float) -> float | None:
        return self._screen.next_change(view, now)

    def poll(self, now: float) -> list[Input]:
        return self._screen.poll(now)

    def close(self) -> None:
        self._screen.close()
