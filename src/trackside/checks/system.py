"""Checks of the machine around the GPIO: the display, the sound device, the user's groups."""

from __future__ import annotations

import getpass
import grp
import logging
import os
from importlib import metadata

from trackside.checks import Finding, Probe, Status
from trackside.core.cues import PATTERNS
from trackside.core.events import Cue
from trackside.stderr_capture import stderr_to_log

log = logging.getLogger(__name__)

VIDEO_DRIVERS = ("kmsdrm", "x11", "wayland")  # the console, then the desktops
GROUPS = ("gpio", "dialout", "video", "render", "input", "audio")


def try_video_driver(driver: str) -> str | None:
    """None if SDL's video `driver` starts here, else why not."""
    import pygame  # here, not at import: only this check needs it

    saved = os.environ.get("SDL_VIDEODRIVER")
    os.environ["SDL_VIDEODRIVER"] = driver
    try:
        with stderr_to_log(log, f"video driver {driver}"):
            pygame.display.init()
        pygame.display.quit()
        return None
    except pygame.error as exc:
        return str(exc)
    finally:
        if saved is None:
            del os.environ["SDL_VIDEODRIVER"]
        else:
            os.environ["SDL_VIDEODRIVER"] = saved


def pygame_build() -> tuple[str, str]:
    """('pygame-ce 2.5.8, SDL 2.32.10', the fix when the installed pygame is the wrong one)."""
    installed = {name for name in ("pygame", "pygame-ce") if _installed(name)}
    if installed == {"pygame", "pygame-ce"}:
        return "pygame and pygame-ce are both installed", (
            "they overwrite each other: pip uninstall -y pygame pygame-ce && pip install pygame-ce"
        )
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    name = "pygame-ce" if getattr(pygame, "IS_CE", False) else "pygame"
    build = f"{name} {pygame.version.ver}, SDL {'.'.join(map(str, pygame.get_sdl_version()))}"
    if name == "pygame":
        return build, "pip uninstall -y pygame && pip install pygame-ce (pygame's has no kmsdrm)"
    return build, ""


def _installed(distribution: str) -> bool:
    try:
        metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return False
    return True


def check_display(probe: Probe) -> Finding:
    if not probe.display:
        return Finding("display", Status.SKIP, "not configured")
    build, build_fix = pygame_build()
    failures = {driver: try_video_driver(driver) for driver in VIDEO_DRIVERS}
    working = [driver for driver, failure in failures.items() if failure is None]
    detail = f"{build}; works: {', '.join(working) or 'none'}"
    if build_fix:
        return Finding("display", Status.FAIL, detail, build_fix)
    if working:
        return Finding("display", Status.OK, detail)
    why = "; ".join(f"{driver}: {failure}" for driver, failure in failures.items())
    return Finding(
        "display", Status.FAIL, f"{detail} ({why})",
        "on the console, kmsdrm needs the video, render and input groups and no desktop on that"
        " screen (sudo systemctl set-default multi-user.target); from a desktop, run inside its"
        " session (DISPLAY or WAYLAND_DISPLAY set)",
    )


def check_audio(probe: Probe) -> Finding:
    if not probe.speaker:
        return Finding("audio", Status.SKIP, "no speaker configured")
    from trackside.adapters.audio import AudioUnavailable, SpeakerCues  # imports pygame

    try:
        speaker = SpeakerCues(volume=0.5)
    except AudioUnavailable as exc:
        return Finding(
            "audio", Status.FAIL, str(exc),
            "plug in a speaker (HDMI or USB: the Pi 5 has no jack), add the user to the audio"
            " group, and under systemd set XDG_RUNTIME_DIR=/run/user/<uid>; the buzzer cues anyway",
        )
    try:
        speaker.play(Cue.GO)
        probe.pause(PATTERNS[Cue.GO].seconds)
        return Finding("audio", Status.OK, f"{speaker.describe()}: did you hear a beep?")
    finally:
        speaker.close()


def missing_groups(
    wanted: set[str], member_of: set[str], session: set[str]
) -> tuple[list[str], list[str]]:
    """(groups to join, groups joined but not yet in this login session)."""
    return sorted(wanted - member_of), sorted((wanted & member_of) - session)


def check_groups(probe: Probe) -> Finding:
    if os.geteuid() == 0:
        return Finding("groups", Status.OK, "running as root")
    user, groups = getpass.getuser(), grp.getgrall()
    wanted = {g.gr_name for g in groups if g.gr_name in GROUPS}  # those this system has
    member_of = {g.gr_name for g in groups if user in g.gr_mem or g.gr_gid == os.getgid()}
    session = {g.gr_name for g in groups if g.gr_gid in os.getgroups()}
    to_join, to_relog = missing_groups(wanted, member_of, session)
    if not to_join and not to_relog:
        return Finding("groups", Status.OK, f"{user} is in {', '.join(sorted(wanted))}")
    status = Status.FAIL if probe.model is not None else Status.SKIP  # a desktop needs fewer
    if to_join:
        return Finding(
            "groups", status, f"{user} is not in {', '.join(to_join)}",
            f"sudo usermod -aG {','.join(to_join)} {user}, then log out and in again",
        )
    return Finding(
        "groups", status, f"{user} joined {', '.join(to_relog)} after logging in",
        "log out and in again (or reboot)",
    )
