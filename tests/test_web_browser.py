"""The coach's phone in a real browser (Debian's chromium, driven by Playwright): pair with the
code from the screen, put a short plan on the timer (read back as `show` reads it), start it,
watch the countdown tick and a lap appear, pause, resume, end, and download the CSV and the
FIT activity. The timer is `trackside run --web` in a
subprocess on the real clock, bounded to a few tens of seconds.

Set TRACKSIDE_SCREENSHOT_DIR to keep the phone's screenshot (the README's is made so).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PLAN = "3x40m @6s r6"

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail("CI needs Debian's chromium for the browser test: apt-get install chromium",
                    pytrace=False)
    pytest.skip("no /usr/bin/chromium here (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")

from web_support import ScreenLines  # noqa: E402 - after the skip: it imports starlette


class Timer(ScreenLines):
    """`trackside run --terminal --web` on the real clock; its screen read as plain lines."""

    def __init__(self, db: Path) -> None:
        super().__init__(subprocess.Popen(
            [sys.executable, "-m", "trackside", "run", "1x100m", "--terminal", "--lead-in", "2",
             "--min-lap", "0.5", "--web", "127.0.0.1:0", "--db", str(db)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"}))

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def timer(tmp_path: Path) -> Iterator[Timer]:
    timer = Timer(tmp_path / "trackside.db")
    try:
        yield timer
    finally:
        timer.close()


@pytest.fixture
def phone(tmp_path: Path) -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium"), executable_path=str(CHROMIUM), headless=True, args=ARGS,
            viewport={"width": 360, "height": 800}, device_scale_factor=2, accept_downloads=True)
        context.set_default_timeout(15_000)
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def test_a_coach_pairs_starts_a_plan_laps_pauses_and_downloads_from_the_phone(
        timer: Timer, phone, tmp_path: Path) -> None:  # noqa: ANN001
    expect = sync_api.expect
    card = timer.said(r"PHONE (127\.0\.0\.1:\d+) CODE (\d{6})")
    phone.goto(f"http://{card.group(1)}/")
    expect(phone.locator("#pairing")).to_be_visible()
    phone.fill("#code", card.group(2))  # the code from the big screen
    phone.click("#pairing button[type=submit]")
    expect(phone.locator("#controls")).to_be_visible()

    phone.click("button[data-tab=plan]")
    phone.fill("#notation", PLAN)
    phone.click("#plan-form button[type=submit]")
    expect(phone.locator("#preview-steps")).to_contain_text("rep 1")
    expect(phone.locator("#preview-reading")).to_contain_text("3 x 40 m @ 6.0 s")
    phone.click("#load")
    expect(phone.locator("#plan-name")).to_have_text(PLAN)
    expect(phone.locator("#clock")).to_have_text("PRESS TO START")

    phone.click("#press")  # Start: the 2 s lead-in ticks down on the phone's own clock
    expect(phone.locator("#word")).to_have_text("GET SET")
    expect(phone.locator("#clock")).to_have_text("1", timeout=3_000)
    expect(phone.locator("#word")).to_have_text("GO", timeout=3_000)
    # A 40 m in about 5 s (the phone's clock shows it; any lap past --min-lap 0.5 counts):
    expect(phone.locator("#clock")).to_have_text(re.compile(r"^5\.\d$"), timeout=8_000)
    phone.click("#press")  # Lap
    expect(phone.locator("#reps tr")).to_have_count(1)
    lap = phone.locator("#reps tr td").nth(1).inner_text()
    assert re.fullmatch(r"\d+\.\d", lap), lap  # a phone's lap: to the tenth
    expect(phone.locator("#word")).to_have_text("REST")
    expect(phone.locator("#clock")).to_have_text("5", timeout=3_000)  # the rest ticks
    if keep := os.environ.get("TRACKSIDE_SCREENSHOT_DIR"):
        phone.screenshot(path=str(Path(keep) / "phone.png"))

    phone.click("#hold")  # Pause
    expect(phone.locator("#word")).to_have_text("PAUSED (REST)")
    expect(phone.locator("#clock")).to_have_class(re.compile("frozen"))  # stopped, greyed
    timer.said(r"^PAUSED ")  # the big screen agrees
    phone.click("#hold")  # Resume
    expect(phone.locator("#word")).to_have_text("REST")
    timer.said(r"^REST ")  # the big screen agrees

    phone.click("#end")
    phone.click("#end")  # a second tap ends it, everything kept
    expect(phone.locator("#word")).to_have_text("FINISHED")
    phone.click("button[data-tab=results]")
    expect(phone.locator("#summary-title")).to_contain_text("ENDED EARLY")
    with phone.expect_download() as download:
        phone.locator("#history a", has_text="CSV").first.click()
    csv = Path(download.value.path()).read_text().splitlines()
    assert csv[0].startswith("session,plan,started_at,clock,set,rep") and len(csv) == 2
    assert ",remote,0.1," in csv[1]  # a phone's lap, known to the tenth
    with phone.expect_download() as download:
        phone.locator("#history a", has_text="FIT").first.click()
    assert download.value.suggested_filename.endswith(".fit")
    assert Path(download.value.path()).read_bytes()[8:12] == b".FIT"  # a FIT file's header
