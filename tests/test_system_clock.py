"""Is the system clock synchronised (what timedatectl calls NTPSynchronized), and which boot."""

import ctypes
import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from trackside.adapters import system_clock
from trackside.core.wall_anchor import ClockSource


def _kernel_says(monkeypatch: pytest.MonkeyPatch, *, maxerror_us: int = 0,
                 result: int = 0) -> None:
    """adjtimex as a kernel would answer it: the maximum error, or -1 (refused)."""
    def adjtimex(status: object) -> int:
        status._obj.maxerror = maxerror_us  # noqa: SLF001 - ctypes.byref keeps the struct here
        return result

    monkeypatch.setattr(ctypes, "CDLL", lambda *_, **__: SimpleNamespace(adjtimex=adjtimex))
    system_clock._cannot_tell.cache_clear()  # noqa: SLF001


def test_the_timex_struct_is_the_kernels_size() -> None:
    # include/uapi/linux/timex.h: 208 bytes on 64-bit Linux (x86_64, aarch64), 128 on 32-bit
    assert ctypes.sizeof(system_clock.timex()) == (208 if ctypes.sizeof(ctypes.c_long) == 8
                                                   else 128)


def test_the_real_kernel_answers_without_privileges() -> None:
    assert system_clock.synchronised() in (True, False)


@pytest.mark.parametrize(("maxerror_us", "expected"), [
    (0, True), (250_000, True), (15_999_999, True),  # an NTP client keeps it small
    (16_000_000, False),  # the kernel's ceiling: nobody has set the clock
])
def test_synchronised_means_a_maximum_error_under_16_seconds(
        monkeypatch: pytest.MonkeyPatch, maxerror_us: int, expected: bool) -> None:
    _kernel_says(monkeypatch, maxerror_us=maxerror_us)
    assert system_clock.synchronised() is expected
    source = system_clock.anchor(time.monotonic).source
    assert source is (ClockSource.SYNCHRONISED if expected else ClockSource.UNSYNCHRONISED)


def test_a_sandbox_that_refuses_adjtimex_means_unsynchronised_said_once(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    _kernel_says(monkeypatch, result=-1)  # systemd's ProtectClock=yes does this
    assert not system_clock.synchronised()
    assert not system_clock.synchronised()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "cannot tell whether the system clock" in warnings[0]


def test_an_anchor_pairs_the_wall_clock_with_the_runs_monotonic_clock() -> None:
    before = datetime.now(UTC)
    anchor = system_clock.anchor(lambda: 1234.5)
    assert anchor.mono_s == 1234.5
    assert before <= anchor.wall <= datetime.now(UTC)


def test_the_boot_id_is_this_boots() -> None:
    assert len(system_clock.boot_id()) == 36
    assert system_clock.boot_id() == system_clock.boot_id()


def test_the_service_may_ask_the_kernel_but_never_set_the_clock() -> None:
    unit = (Path(__file__).parents[1] / "systemd" / "trackside.service").read_text()
    settings = [line.strip() for line in unit.splitlines() if not line.startswith("#")]
    assert "ProtectClock=yes" not in settings  # its filter refuses adjtimex's query too
    assert "CapabilityBoundingSet=" in settings  # no CAP_SYS_TIME: no change to the clock
