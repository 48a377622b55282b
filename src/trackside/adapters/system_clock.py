"""The system's wall clock: is it synchronised, and which boot is this (through libc and /proc).

Rules:
  1. Synchronised means what `timedatectl show -p NTPSynchronized` reports: the kernel's
     maximum error (adjtimex) is under 16 s. systemd computes that flag this very way; asking
     the kernel directly needs no D-Bus, no timedated and no subprocess, and works for every
     NTP client that disciplines the kernel clock (systemd-timesyncd, chrony, ntpd).
  2. Never raises: a kernel or sandbox that refuses adjtimex (a seccomp filter such as
     systemd's ProtectClock=yes) means "not known to be synchronised", said once in the log.
  3. The wall time and the monotonic time of an anchor are read back to back, so they
     describe the same moment to a few microseconds.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from trackside.core.wall_anchor import ClockSource, WallAnchor

log = logging.getLogger(__name__)

_UNSYNCHRONISED_US = 16_000_000  # the kernel's maximum error once no NTP client updates it
_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


@cache
def timex() -> type:
    """Linux's `struct timex` (include/uapi/linux/timex.h), 64-bit and 32-bit alike.

    Built on first use: ctypes is not worth importing for every command.
    """
    import ctypes

    class Timeval(ctypes.Structure):
        _fields_ = [("sec", ctypes.c_long), ("usec", ctypes.c_long)]

    class Timex(ctypes.Structure):
        _fields_ = [
            ("modes", ctypes.c_uint), ("offset", ctypes.c_long), ("freq", ctypes.c_long),
            ("maxerror", ctypes.c_long), ("esterror", ctypes.c_long), ("status", ctypes.c_int),
            ("constant", ctypes.c_long), ("precision", ctypes.c_long),
            ("tolerance", ctypes.c_long), ("time", Timeval), ("tick", ctypes.c_long),
            ("ppsfreq", ctypes.c_long), ("jitter", ctypes.c_long), ("shift", ctypes.c_int),
            ("stabil", ctypes.c_long), ("jitcnt", ctypes.c_long), ("calcnt", ctypes.c_long),
            ("errcnt", ctypes.c_long), ("stbcnt", ctypes.c_long), ("tai", ctypes.c_int),
            ("_reserved", ctypes.c_int * 11),
        ]

    return Timex


def synchronised() -> bool:
    """Whether an NTP client keeps the system clock right (rule 1)."""
    import ctypes

    try:
        adjtimex = ctypes.CDLL(None, use_errno=True).adjtimex
    except (OSError, AttributeError) as exc:  # not Linux
        _cannot_tell(str(exc))
        return False
    status = timex()(modes=0)  # modes 0: only read, no privilege needed
    if adjtimex(ctypes.byref(status)) == -1:
        _cannot_tell(f"adjtimex: {os.strerror(ctypes.get_errno())}")
        return False
    return status.maxerror < _UNSYNCHRONISED_US


@cache
def _cannot_tell(reason: str) -> None:
    log.warning("cannot tell whether the system clock is synchronised (%s): session times "
                "are marked unsynchronised", reason)


def anchor(mono: Callable[[], float]) -> WallAnchor:
    """The wall-clock time now, paired with `mono()` (the run's monotonic clock)."""
    source = ClockSource.SYNCHRONISED if synchronised() else ClockSource.UNSYNCHRONISED
    mono_s, wall = mono(), datetime.now(UTC)
    return WallAnchor(wall, mono_s, source)


def boot_id() -> str:
    """This boot's random id: monotonic times compare only within one boot. '' if unknown."""
    try:
        return _BOOT_ID.read_text(encoding="ascii").strip()
    except OSError:
        return ""
