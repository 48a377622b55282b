"""An athlete's profile, and a plan as that athlete runs it.

Rules for this module:
  1. A name is how every screen and file calls the athlete: a letter first, then letters,
     digits, spaces, '-', "'" or '.', at most MAX_NAME characters, never a comma (a list of
     names is comma-separated). Two athletes on the list never share a name, whatever its
     case (the store sees to it).
  2. What their paces come from: race times (core.races), the race pace `@pace` targets
     use, the top speed percentage targets are taken of. Checked as a plan's are.
  3. An athlete's plan is the plan read with their references (`references`) in place of
     its own; a reference they do not have stays the plan's (its own, or --pace), and
     `reference_lines` says which is whose, and which race time was worked out by Riegel's
     formula.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, ValidationError

from trackside.core.plan import Plan
from trackside.core.plan_values import (
    Frozen,
    MetresPerSecond,
    RaceTimes,
    SecondsPerMetre,
    TargetKind,
)
from trackside.core.plan_limits import check_pace, check_speed
from trackside.core.problems import first_problem
from trackside.core.races import RACES, check_race_time, race_time
from trackside.core.units import (
    format_duration,
    format_pace,
    parse_duration,
    parse_pace,
    parse_speed,
)

MAX_NAME = 16
_NAME = re.compile(r"^[^\W\d_][\w '.-]*$")


def check_name(name: str) -> str:
    """`name` as given, stripped, if it can be an athlete's name (rule 1); else ValueError."""
    name = name.strip()
    if not name or len(name) > MAX_NAME or not _NAME.match(name) or "_" in name:
        raise ValueError(f"{name[:20]!r} is not a name: a letter first, then letters, digits, "
                         f"spaces, - ' or ., at most {MAX_NAME} characters")
    return name


class Profile(Frozen):
    name: Annotated[str, AfterValidator(check_name)]
    races: RaceTimes = ()
    pace: SecondsPerMetre | None = None  # for `@pace` targets
    max_speed: MetresPerSecond | None = None  # the 100 % of percentage targets


def references(profile: Profile) -> dict[str, Any]:
    """The plan values the athlete's own references replace (only those they have)."""
    return {key: value for key, value in (("races", profile.races), ("pace", profile.pace),
                                          ("max_speed", profile.max_speed)) if value}


def reference_lines(plan: Plan, profile: Profile) -> list[str]:
    """What each kind of target in `plan` (read with the athlete's `references`) is worked out
    from, and whose it is: "@hm: Ana's half marathon 1:34:42 (4:29/km), from the 5K 21:30
    by Riegel"."""
    targets = [segment.target for block in plan.blocks for segment in block.segments
               if segment.target is not None]
    kinds = {target.kind for target in targets}
    lines = []
    if TargetKind.RACE_PACE in kinds and plan.pace is not None:
        whose = profile.name if profile.pace else "the plan"
        lines.append(f"@pace: {whose}'s race pace {format_pace(plan.pace)}")
    if TargetKind.PERCENT in kinds and plan.max_speed is not None:
        whose = profile.name if profile.max_speed else "the plan"
        lines.append(f"@%: {whose}'s top speed {plan.max_speed:.2f} m/s")
    whose = profile.name if profile.races else "the plan"
    for name in sorted({target.race for target in targets if target.race}, key=list(RACES).index):
        if (known := race_time(plan.races, name)) is not None:
            lines.append(f"@{name}: {whose}'s {known}")
    return lines


def profile_line(profile: Profile) -> str:
    """'Ana: 5K 19:10; pace 4:30/km; top speed 8.50 m/s'."""
    parts = [", ".join(f"{RACES[race].label} {format_duration(seconds)}"
                       for race, seconds in profile.races)]
    if profile.pace is not None:
        parts.append(f"pace {format_pace(profile.pace)}")
    if profile.max_speed is not None:
        parts.append(f"top speed {profile.max_speed:.2f} m/s")
    return f"{profile.name}: {'; '.join(part for part in parts if part) or 'no paces yet'}"


def profile_data(profile: Profile) -> dict[str, Any]:
    """The profile as JSON: its own race times, every race time it gives (and what a derived
    one came from), the pace in s/km and the top speed in m/s."""
    return {"name": profile.name,
            "races": {race: {"time_s": seconds, "derived_from": None}
                      for race, seconds in profile.races},
            "all_races": {race: {"time_s": round(known.seconds, 1), "derived_from": (
                known.derived_from.race.name if known.derived_from else None)}
                for race in RACES if (known := race_time(profile.races, race))},
            "pace_s_per_km": None if profile.pace is None else round(profile.pace * 1000, 1),
            "max_speed_m_per_s": profile.max_speed}


def profile_from_text(name: str, races: dict[str, str], pace: str = "",
                      max_speed: str = "") -> Profile:
    """A profile from what a coach typed: race times by race ('5k': '19:10'), a race pace
    ('4:30/km'), a top speed ('8.5m/s'); a blank one is none. ValueError names the field."""
    data: dict[str, Any] = {"name": name, "races": {}}
    field = ""
    try:
        for race, text in races.items():
            field = race
            if race not in RACES:
                raise ValueError(f"not a race ({', '.join(RACES)})")
            if text.strip():
                data["races"][race] = check_race_time(RACES[race], parse_duration(text))
        field = "pace"
        if pace.strip():
            data["pace"] = check_pace(parse_pace(pace))
        field = "max_speed"
        if max_speed.strip():
            data["max_speed"] = check_speed(parse_speed(max_speed))
        field = "name"
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"{field}: {first_problem(exc).message}") from None
    except ValueError as exc:
        raise ValueError(f"{field}: {exc}") from None
