"""The phone page in the app: `run --web` serves it after the first frame, a port in use is
said on the screen while the timer runs on, and a plan from a phone runs as a new session."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from trackside.cli import main
from web_support import ScreenLines


class Headless(ScreenLines):
    """`trackside run --headless`, its status lines read as they come."""

    def __init__(self, *args: str) -> None:
        super().__init__(subprocess.Popen(
            [sys.executable, "-m", "trackside", "run", *args, "--headless"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))

    def quit(self) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write("quit\n")
        self.process.stdin.flush()
        try:
            return self.process.wait(20)
        finally:
            self.process.kill()


def history(page: str, phone: urllib.request.OpenerDirector) -> list[tuple[str, str]]:
    """The sessions the page lists, once the store's writer has written one (bounded)."""
    end = time.monotonic() + 10.0
    while True:
        with phone.open(f"{page}/api/sessions", timeout=5) as reply:
            sessions = [(s["plan"], s["status"]) for s in json.loads(reply.read())]
        if sessions or time.monotonic() > end:
            return sessions
        time.sleep(0.05)


def test_a_port_in_use_is_said_on_the_screen_and_the_timer_runs_on(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        timer = Headless("1x100m", "--web", f"127.0.0.1:{port}", "--db", str(tmp_path / "t.db"))
        timer.said(f"PHONE PAGE OFF: port {port} is in use")
        assert timer.quit() == 0


def test_a_plan_from_the_phone_runs_as_a_new_session_and_the_pi_can_forget_the_phones(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    timer = Headless("1x100m", "--web", "127.0.0.1:0", "--db", str(tmp_path / "t.db"))
    try:
        card = timer.said(r"PHONE (127\.0\.0\.1:\d+) CODE (\d{6})")
        phone = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

        def post(path: str, body: dict[str, str]) -> dict[str, object]:
            request = urllib.request.Request(
                f"http://{card.group(1)}{path}", json.dumps(body).encode(), method="POST",
                headers={"X-Trackside": "1", "Content-Type": "application/json"})
            with phone.open(request, timeout=5) as reply:
                return json.loads(reply.read())

        assert post("/api/pair", {"code": card.group(2)}) == {"paired": True}
        assert post("/api/plan/start", {"plan": "2x200m @40s r30"}) == {
            "plan": "2x200m @40s r30", "athletes": []}
        timer.said(r"READY PRESS TO START \| REP 1/2 \| NEXT 200 m @ 40")
        assert post("/api/control", {"command": "press"}) == {"sent": "press"}
        timer.said(r"GET SET \d \| REP 1/2")
        # The plan it replaced was never started: nothing of it was kept.
        assert history(f"http://{card.group(1)}", phone) == [("2x200m @40s r30", "running")]

        assert main(["forget-phones", "--web", card.group(1)]) == 0  # on the Pi, by the CLI
        assert capsys.readouterr().out.startswith("forgot 1 phone: ")
        with pytest.raises(urllib.error.HTTPError, match="403"):
            post("/api/control", {"command": "press"})
    finally:
        assert timer.quit() == 0


def test_forget_phones_with_no_timer_running_says_so_in_one_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    assert main(["forget-phones", "--web", f"127.0.0.1:{port}"]) == 1
    said = capsys.readouterr().err.strip()
    assert said.startswith(f"trackside: no phone page answers at http://127.0.0.1:{port}")
    assert "\n" not in said
