"""The coach's phone in a real browser (Debian's chromium, driven by Playwright): pair with the
code from the screen, put a short plan on the timer (read back as `show` reads it), start it,
watch the countdown tick and a lap appear, pause, resume, end, and download the CSV and the
FIT activity; and a group: athletes added (and one removed) on the phone, two picked for a plan
and saved as a group, a lap each, the finishers on the phone, one swap fix. The timer is `trackside run --web` in a subprocess on
the real clock, bounded to a few tens of seconds each.

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


def paired(timer: Timer, phone) -> None:  # noqa: ANN001
    """The phone on the timer's page, paired with the code from the big screen."""
    expect = sync_api.expect
    card = timer.said(r"PHONE (127\.0\.0\.1:\d+) CODE (\d{6})")
    phone.goto(f"http://{card.group(1)}/")
    expect(phone.locator("#pairing")).to_be_visible()
    phone.fill("#code", card.group(2))
    phone.click("#pairing button[type=submit]")
    expect(phone.locator("#controls")).to_be_visible()


def test_a_coach_pairs_starts_a_plan_laps_pauses_and_downloads_from_the_phone(
        timer: Timer, phone, tmp_path: Path) -> None:  # noqa: ANN001
    expect = sync_api.expect
    paired(timer, phone)

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


def test_a_coach_runs_a_group_from_the_phone_and_swaps_two_finishers(
        timer: Timer, phone) -> None:  # noqa: ANN001
    expect = sync_api.expect
    paired(timer, phone)
    phone.click("button[data-tab=athletes]")
    for name, pace in (("Ana", "4:00/km"), ("Ben", "4:10/km"), ("Cam", "4:20/km")):
        phone.click("#athlete-new")
        phone.fill("#athlete-name", name)
        phone.fill("#athlete-pace", pace)
        phone.click("#athlete-form button[type=submit]")
        expect(phone.locator("#athlete-error")).to_have_text(f"saved: {name}: pace {pace}")
    phone.locator("#athlete-list li", has_text="Cam").click()  # edit Cam: Remove, two taps
    phone.click("#athlete-remove")
    expect(phone.locator("#athlete-remove")).to_have_text("Tap again to remove Cam")
    keep = os.environ.get("TRACKSIDE_SCREENSHOT_DIR")
    if keep:
        phone.screenshot(path=str(Path(keep) / "phone-athlete-remove.png"), full_page=True)
    phone.click("#athlete-remove")
    expect(phone.locator("#athlete-error")).to_have_text(
        "removed Cam; their sessions keep them")
    expect(phone.locator("#athlete-list li")).to_have_count(2)
    if keep:
        phone.screenshot(path=str(Path(keep) / "phone-athletes.png"), full_page=True)

    phone.click("button[data-tab=plan]")
    phone.locator("#pick button", has_text="Ana").click()  # tapped in start order
    phone.locator("#pick button", has_text="Ben").click()
    phone.fill("#group-name", "tue")
    if keep:
        phone.locator("#who").screenshot(path=str(Path(keep) / "phone-group-save.png"))
    phone.click("#save-group")
    expect(phone.locator("#group-said")).to_have_text("saved tue: Ana, Ben")
    expect(phone.locator("#saved-group")).to_have_value("tue")  # the same two, by name
    phone.fill("#notation", "2x40m @pace r20")
    phone.click("#plan-form button[type=submit]")
    expect(phone.locator("#preview-who")).to_contain_text("Ana, Ben: together")
    if keep:
        phone.screenshot(path=str(Path(keep) / "phone-group-plan.png"), full_page=True)
    phone.click("#load")
    expect(phone.locator("#clock")).to_have_text("PRESS TO START")
    phone.click("#press")
    expect(phone.locator("#word")).to_have_text("GO", timeout=4_000)
    expect(phone.locator("#press")).to_be_enabled()
    phone.wait_for_timeout(700)  # past --min-lap 0.5: without a beam each press is a finisher
    phone.click("#press")
    expect(phone.locator("#finishers li")).to_have_count(1)
    phone.wait_for_timeout(400)  # Ben a few tenths behind: a swap shows
    phone.click("#press")
    expect(phone.locator("#finishers li")).to_have_count(2)
    expect(phone.locator("#finishers li").first).to_contain_text("BEN")  # the newest first
    expect(phone.locator("#word")).to_have_text("REST")
    if keep:
        phone.screenshot(path=str(Path(keep) / "phone-group.png"))
    phone.click("#end")
    phone.click("#end")
    expect(phone.locator("#word")).to_have_text("FINISHED")

    phone.click("button[data-tab=results]")
    expect(phone.locator("#rep-table tr")).to_have_count(3)  # the head, Ana's, Ben's
    phone.locator("#history li", has_text="Ana, Ben").locator("button", has_text="Fix").click()
    expect(phone.locator("#fix-table tr")).to_have_count(3)
    before = phone.locator("#fix-table tr").nth(1).inner_text()
    phone.select_option("#fix-action", "swap")
    phone.fill("#fix-rep", "1")
    phone.select_option("#fix-first", "ANA")
    phone.select_option("#fix-second", "BEN")
    phone.click("#fix-form button[type=submit]")
    expect(phone.locator("#fix-said")).to_have_text("kept: swap rep 1 ANA BEN (phone 1)")
    expect(phone.locator("#fix-list")).to_contain_text("swap rep 1 ANA BEN (phone 1)")
    after = phone.locator("#fix-table tr").nth(1).inner_text()
    assert after != before  # Ana's rep 1 is the time Ben was given
    if keep:
        phone.screenshot(path=str(Path(keep) / "phone-fix.png"), full_page=True)
