"""A phone page on the fake clock (its site, a timer at READY published to it, a client), and
a timer's screen read from a subprocess."""

from __future__ import annotations

import re
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

from starlette.testclient import TestClient

from trackside.adapters.athlete_book import AthleteBook
from trackside.adapters.store_reader import SessionReader
from trackside.core.engine import Engine
from trackside.core.schedule import expand
from trackside.core.view import view_of
from trackside.core.wall_anchor import WallAnchor
from trackside.plan_source import load_plan
from trackside.runtime.clock import FakeClock
from trackside.runtime.inbox import Inbox
from trackside.web.hub import Hub
from trackside.web.pairing import Pairing
from trackside.web.routes import HEADER, build
from trackside.web.server import PlanOptions, Site

CONTROL = {HEADER: "1"}


@dataclass
class Timer:
    """The timer's side of the page: an engine at READY, published once."""

    clock: FakeClock = field(default_factory=lambda: FakeClock(100.0))
    inbox: Inbox = field(default_factory=Inbox)
    engine: Engine = field(default_factory=lambda: Engine(expand(load_plan("2x200m @40s r30"))))

    def __post_init__(self) -> None:
        self.anchors: list[WallAnchor] = []  # the phones' clocks, as handed over
        self.pairing = Pairing(lambda: self.clock.t)
        self.hub = Hub(self.clock, idle=lambda: self.engine.idle, forget=self.pairing.forget)
        self.publish()

    def publish(self) -> None:
        self.hub.publish(view_of(self.engine, self.clock.now()), ())

    def site(self, db: Path | None = None) -> Site:
        return Site(self.hub, self.pairing, self.inbox.put, self.clock,
                    SessionReader(db) if db else None, PlanOptions(pace="4:30/km"),
                    self.anchors.append, AthleteBook(db) if db else None)

    def client(self, db: Path | None = None, host: str = "testclient") -> TestClient:
        return TestClient(build(self.site(db)), client=(host, 50000))

    def taken(self) -> list[object]:
        return self.inbox.take_due(float("inf"))


def pair(timer: Timer, client: TestClient) -> None:
    code, _ = timer.pairing.secret()
    assert client.post("/api/pair", json={"code": code}, headers=CONTROL).status_code == 200


class ScreenLines:
    """A timer's plain-text screen (its stdout), read line by line on a thread."""

    def __init__(self, process: subprocess.Popen[str], wait_s: float = 20.0) -> None:
        self.process, self.lines, self._wait_s = process, [], wait_s
        self._seen = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._seen:
                self.lines.append(line.rstrip("\n"))
                self._seen.notify_all()

    def said(self, pattern: str) -> re.Match[str]:
        """The newest line that matches (the code changes after each pairing), waited for."""
        def newest() -> re.Match[str] | None:
            return next((m for line in reversed(self.lines) if (m := re.search(pattern, line))),
                        None)

        with self._seen:
            assert self._seen.wait_for(newest, self._wait_s), (
                f"the screen never said {pattern!r}: {self.lines[-5:]}")
            return newest()  # type: ignore[return-value]
