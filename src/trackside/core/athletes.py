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

from pydantic import AfterValidator

from trackside.core.plan import Plan
from trackside.core.plan_values import (
    Frozen,
    MetresPerSecond,
    RaceTimes,
    SecondsPerMetre,
    TargetKind,
)
from trackside.core.races import RACES, race_time
from trackside.core.units import format_pace

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
