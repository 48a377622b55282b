"""Times, distances, paces and speeds as coaches write them, and back.

Every parser takes the text a human wrote and either returns a finite number in SI units
(seconds, metres, seconds per metre, metres per second) or raises `ValueError` with a
message that quotes the text. Ranges (how long a rest may be) are the plan's business;
these only refuse what is not a number at all. Formatters give the shortest form a coach
would read without thinking.
"""

from __future__ import annotations

import math
import re

METRES_PER_MILE = 1609.344

_DISTANCE_UNITS = {
    "m": 1.0,
    "km": 1000.0,
    "k": 1000.0,
    "mi": METRES_PER_MILE,
    "mile": METRES_PER_MILE,
    "miles": METRES_PER_MILE,
}
_PACE_UNITS = {"km": 1000.0, "k": 1000.0, "mi": METRES_PER_MILE, "mile": METRES_PER_MILE}
_SPEED_UNITS = {"m/s": 1.0, "km/h": 1000 / 3600, "kph": 1000 / 3600, "mph": METRES_PER_MILE / 3600}

_NUMBER = r"\d+(?:\.\d+)?"
_CLOCK = re.compile(rf"^(?:({_NUMBER}):)?({_NUMBER}):({_NUMBER})$")  # [h:]m:ss[.f]
_SECONDS = re.compile(rf"^({_NUMBER})\s*(s|sec|secs|min|mins|h)?$")
_MINUTES_MARK = re.compile(rf"^({_NUMBER})'(?:({_NUMBER})(?:\"|'')?)?$")  # 2' 2'30 2'30"
_SECONDS_MARK = re.compile(rf"^({_NUMBER})(?:\"|'')$")  # 60" 60''
_DISTANCE = re.compile(rf"^({_NUMBER})\s*(m|km|k|mi|mile|miles)$")
_PACE = re.compile(r"^(.+?)\s*/\s*(" + _NUMBER + r")?\s*(m|km|k|mi|mile)$")
_SPEED = re.compile(rf"^({_NUMBER})\s*(m/s|km/h|kph|mph)$")


def parse_duration(text: str) -> float:
    """'75', '75s', '2min', '1:30', '1:02:03', '12.5s', '60"', "2'", "2'30\"" -> seconds."""
    text = text.strip().lower()
    if text.startswith("-"):
        raise ValueError(f"{text!r} is negative: a time cannot be")
    if match := _CLOCK.match(text):
        hours, minutes, seconds = (float(part) if part else 0.0 for part in match.groups())
        if seconds >= 60:
            raise ValueError(f"seconds must be below 60 in {text!r}")
        if match.group(1) and minutes >= 60:
            raise ValueError(f"minutes must be below 60 in {text!r}")
        return _finite(hours * 3600 + minutes * 60 + seconds, text)
    if match := _SECONDS.match(text):
        value, unit = match.groups()
        scale = {"min": 60, "mins": 60, "h": 3600}.get(unit or "s", 1)
        return _finite(float(value) * scale, text)
    if match := _SECONDS_MARK.match(text):
        return _finite(float(match.group(1)), text)
    if match := _MINUTES_MARK.match(text):
        minutes, seconds = float(match.group(1)), float(match.group(2) or 0)
        if seconds >= 60:
            raise ValueError(f"seconds must be below 60 in {text!r}")
        return _finite(minutes * 60 + seconds, text)
    raise ValueError(f"{text!r} is not a duration (write 90, 90s, 1:30 or 2min)")


def parse_distance(text: str) -> float:
    """'400m', '1.2km', '1mi' -> metres."""
    text = text.strip().lower()
    if match := _DISTANCE.match(text):
        value, unit = match.groups()
        return _finite(float(value) * _DISTANCE_UNITS[unit], text)
    raise ValueError(f"{text!r} is not a distance (write 400m, 1.2km or 1mi)")


def parse_pace(text: str) -> float:
    """'4:55/km', '7:50/mi', '12.5s/100m', or a speed ('8.5m/s', '15km/h') -> seconds per metre."""
    text = text.strip().lower()
    if _SPEED.match(text):
        return 1.0 / parse_speed(text)
    match = _PACE.match(text)
    if not match:
        raise ValueError(
            f"{text!r} is not a pace (write 4:55/km, 7:50/mi, 12.5s/100m or 8.5m/s)"
        )
    time_text, amount, unit = match.groups()
    try:
        seconds = parse_duration(time_text)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a pace: {exc}") from None
    metres = _finite(float(amount or 1) * _DISTANCE_UNITS[unit], text)
    if seconds <= 0 or metres <= 0:
        raise ValueError(f"{text!r} is not a pace: time and distance must be above zero")
    return seconds / metres


def parse_speed(text: str) -> float:
    """A speed: '8.5m/s', '30km/h', or a pace ('12s/100m') -> metres per second."""
    text = text.strip().lower()
    if match := _SPEED.match(text):
        speed = _finite(float(match.group(1)) * _SPEED_UNITS[match.group(2)], text)
        if speed <= 0:
            raise ValueError(f"{text!r} is not a speed: it must be above zero")
        return speed
    try:
        return 1.0 / parse_pace(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a speed (write 8.5m/s or 12s/100m)") from None


def _finite(value: float, text: str) -> float:
    """A number too large for a float would pass every later check as infinity."""
    if not math.isfinite(value):
        shown = text if len(text) <= 20 else f"{text[:12]}...{text[-4:]}"
        raise ValueError(f"{shown!r} is too large a number")
    return value


def format_duration(seconds: float, decimals: int = 0) -> str:
    """90 -> '1:30', 45.25 (decimals=2) -> '45.25', 3725 -> '1:02:05'.

    Truncates, never rounds: a rep of 59.96 s is not a minute. A countdown that wants to
    show the ceiling passes it.
    """
    negative = seconds < 0
    seconds = abs(seconds)
    scale = 10**decimals
    ticks = math.floor(seconds * scale + 1e-9)
    whole, fraction = divmod(ticks, scale)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    tail = f".{fraction:0{decimals}d}" if decimals else ""
    if hours:
        text = f"{hours}:{minutes:02d}:{secs:02d}{tail}"
    elif minutes:
        text = f"{minutes}:{secs:02d}{tail}"
    else:
        text = f"{secs}{tail}"
    return f"-{text}" if negative else text


def format_length(seconds: float) -> str:
    """A length of time as a coach says it: '45 s', '1:30', '1:02:05'."""
    return format_duration(seconds) + " s" * (seconds < 60)


def format_distance(metres: float) -> str:
    """400 -> '400 m', 1200 -> '1.2 km', 3609.3 -> '3.61 km', 1609.344 -> '1 mi'."""
    if abs(metres / METRES_PER_MILE - round(metres / METRES_PER_MILE)) < 1e-6 and metres >= 1600:
        return f"{round(metres / METRES_PER_MILE)} mi"
    if metres >= 1000:
        return f"{metres / 1000:.2f}".rstrip("0").rstrip(".") + " km"
    return f"{metres:g} m"


def format_pace(seconds_per_metre: float, per: str = "km") -> str:
    """Seconds per metre -> '4:55/km' (or '/mi'), to the nearest second, always m:ss.

    Rounded, not truncated: a pace is a target worked out, not a time measured.
    """
    minutes, seconds = divmod(round(seconds_per_metre * _PACE_UNITS[per]), 60)
    return f"{minutes}:{seconds:02d}/{per}"
