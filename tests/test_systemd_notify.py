"""sd_notify, checked on a socket of the test's own: READY when the timer is up, WATCHDOG at
half the period systemd asks for, STOPPING on the way out; nothing at all outside systemd.

The last two tests run `trackside run --headless` for real, as systemd would (a second or
two each): they wait on the datagrams, never on a fixed sleep.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from trackside.adapters import systemd
from trackside.adapters.systemd import Notifier

SRC = Path(__file__).parents[1] / "src"


@pytest.fixture
def listener(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[socket.socket, str]]:
    """An AF_UNIX datagram socket where systemd's would be, and its path. The folder is
    short on purpose: a socket path must fit in 108 bytes."""
    path = str(tmp_path_factory.mktemp("sd") / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.setblocking(False)
    yield sock, path
    sock.close()


def received(sock: socket.socket) -> list[str]:
    """Every datagram sent so far (a local datagram is queued by the time sendto returns)."""
    messages = []
    while True:
        try:
            messages.append(sock.recv(4096).decode())
        except BlockingIOError:
            return messages


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_ready_status_and_stopping_reach_the_notify_socket(
    listener: tuple[socket.socket, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sock, path = listener
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    notifier = Notifier.from_env(FakeTime())
    notifier.ready()
    notifier.status("rep 3/12")
    notifier.stopping()
    notifier.close()
    assert received(sock) == ["READY=1", "STATUS=rep 3/12", "STOPPING=1"]


def test_the_watchdog_is_pinged_at_half_its_period_however_often_the_loop_passes(
    listener: tuple[socket.socket, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sock, path = listener
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    monkeypatch.setenv("WATCHDOG_USEC", "2000000")  # WatchdogSec=2: ping every second
    time = FakeTime()
    notifier = Notifier.from_env(time)
    pinged_at = []
    for step in range(41):  # a loop pass every 0.1 s for 4 s
        time.now = 100.0 + step / 10
        notifier.heartbeat()
        if received(sock) == ["WATCHDOG=1"]:
            pinged_at.append(round(time.now - 100.0, 1))
    notifier.close()
    assert pinged_at == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_a_slow_loop_still_pings_on_every_pass_once_the_interval_is_due(
    listener: tuple[socket.socket, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sock, path = listener
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    monkeypatch.setenv("WATCHDOG_USEC", "200000")  # ping every 0.1 s; the loop passes at 1 Hz
    time = FakeTime()
    notifier = Notifier.from_env(time)
    for _ in range(3):
        notifier.heartbeat()
        time.now += 1.0
    assert received(sock) == ["WATCHDOG=1"] * 3


@pytest.mark.parametrize(("watchdog_pid", "pings"), [("own", 1), ("other", 0), (None, 1)])
def test_the_watchdog_is_only_pinged_when_it_is_meant_for_this_process(
    listener: tuple[socket.socket, str], monkeypatch: pytest.MonkeyPatch,
    watchdog_pid: str | None, pings: int,
) -> None:
    sock, path = listener
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    monkeypatch.setenv("WATCHDOG_USEC", "30000000")
    if watchdog_pid is not None:
        pid = os.getpid() if watchdog_pid == "own" else os.getpid() + 1
        monkeypatch.setenv("WATCHDOG_PID", str(pid))
    notifier = Notifier.from_env(FakeTime())
    notifier.heartbeat()
    assert received(sock) == ["WATCHDOG=1"] * pings


def test_without_watchdog_usec_the_loop_never_pings(
    listener: tuple[socket.socket, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sock, path = listener
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    notifier = Notifier.from_env(FakeTime())
    notifier.heartbeat()
    notifier.ready()
    assert received(sock) == ["READY=1"]


def test_an_abstract_namespace_address_is_reached(monkeypatch: pytest.MonkeyPatch) -> None:
    name = f"trackside-test-{uuid.uuid4().hex}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)  # systemd writes this as NOTIFY_SOCKET=@name
        sock.setblocking(False)
        monkeypatch.setenv("NOTIFY_SOCKET", "@" + name)
        notifier = Notifier.from_env(FakeTime())
        notifier.ready()
        notifier.close()
        assert received(sock) == ["READY=1"]


def test_outside_systemd_every_call_does_nothing_and_opens_no_socket(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_socket(*args: object) -> None:
        raise AssertionError("a socket was opened without NOTIFY_SOCKET")

    monkeypatch.setattr(systemd.socket, "socket", no_socket)
    monkeypatch.setenv("WATCHDOG_USEC", "1000000")
    notifier = Notifier.from_env(FakeTime())
    notifier.ready()
    notifier.heartbeat()
    notifier.stopping()
    notifier.close()
    notifier.close()


def test_a_vanished_systemd_socket_is_logged_never_raised(
    listener: tuple[socket.socket, str], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sock, path = listener
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    notifier = Notifier.from_env(FakeTime())
    os.unlink(path)
    with caplog.at_level(logging.WARNING):
        notifier.ready()
    notifier.close()
    assert "sd_notify READY=1 failed" in caplog.text


# --- the real thing: `trackside run` under a pretend systemd ------------------------------


class UnderSystemd:
    """`trackside run --headless` with NOTIFY_SOCKET and a 0.2 s WatchdogSec."""

    def __init__(self, sock: socket.socket, path: str, db: Path) -> None:
        sock.settimeout(10.0)  # only if the process never says anything
        self.sock, self.db = sock, db
        env = {**os.environ, "NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000",
               "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "trackside", "run", "1x200m @30s", "--headless",
             "--db", str(db)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, env=env)
        self.messages: list[str] = []

    def wait_for(self, message: str) -> None:
        while message not in self.messages:
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except TimeoutError:
                self.process.kill()
                raise AssertionError(f"no {message} after {self.messages}: "
                                     f"{self.process.communicate()[1]}") from None

    def finish(self) -> int:
        try:
            code = self.process.wait(timeout=10)
        finally:
            self.process.kill()
        self.wait_for("STOPPING=1")
        return code

    def history(self) -> list[dict[str, object]]:
        out = subprocess.run(
            [sys.executable, "-m", "trackside", "history", "--json", "--db", str(self.db)],
            capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONPATH": str(SRC)}).stdout
        return json.loads(out)


def test_run_says_ready_pings_the_watchdog_and_says_stopping_when_told_to_quit(
    listener: tuple[socket.socket, str], tmp_path: Path
) -> None:
    run = UnderSystemd(*listener, tmp_path / "sessions.db")
    run.wait_for("READY=1")
    run.wait_for("WATCHDOG=1")
    run.process.stdin.write("quit\n")
    run.process.stdin.flush()
    assert run.finish() == 0
    assert run.messages[0] == "READY=1" and run.messages[-1] == "STOPPING=1"
    assert set(run.messages[1:-1]) == {"WATCHDOG=1"}


def test_sigterm_from_systemctl_stop_exits_0_and_keeps_the_session_resumable(
    listener: tuple[socket.socket, str], tmp_path: Path
) -> None:
    run = UnderSystemd(*listener, tmp_path / "sessions.db")
    run.wait_for("READY=1")
    run.process.stdin.write("press\n")  # a session is kept once it has started
    run.process.stdin.flush()
    deadline = time.monotonic() + 5.0
    while not (tmp_path / "sessions.db").exists() or not run.history():
        assert time.monotonic() < deadline, "the session was never written"
        time.sleep(0.02)
    run.process.send_signal(signal.SIGTERM)
    assert run.finish() == 0
    assert run.messages[-1] == "STOPPING=1"
    [session] = run.history()
    assert session["status"] == "interrupted" and session["plan_spec"] == "1x200m @30s"
