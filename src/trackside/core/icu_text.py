"""intervals.icu workout text -> a Workout, read the way intervals.icu reads it.

    Warmup
    - 15m

    Main set 4x
    - 400mtr 4:55/km Pace
    - 2m

    Cooldown
    - 10m

Rules for this module:
  1. A line starting with '-' is a step: optional cue text, then one time (`2m`, `30s`,
     `1m30`, `1h5m`, `5'`, `30"`) or distance (`400mtr`, `1.2km`, `1mi`: `m` is minutes),
     then optional targets and `press lap`. Any other line heads a section; one ending in
     `Nx` (or just `4x`) repeats the steps under it up to the next blank line or heading.
  2. Sections named warm-up or cool-down hold the warm-up and cool-down. Elsewhere a step
     is a rest when its cue text says so (rest, recover, jog, walk, float), or when it has
     no pace target and follows a work step: '- 400mtr 4:55/km Pace' then '- 2m' is a rep
     and its rest.
  3. Absolute paces are targets (`4:55/km Pace`, ranges `5:00-4:50/km Pace`, per 100m,
     400m, 500m, 250m, mi, 100y). Targets Trackside has nothing to measure against (power,
     heart rate, zones, percentages of a threshold pace, cadence, ramps) are left out with
     one note each; the step still runs.
  4. Nothing else is guessed: an unknown word, a step with no length, '400m' (400
     minutes: a distance is 400mtr) is a UserError "workout.txt, line 7, column 3: ...".
  5. Pure: text in, Workout and notes out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NoReturn

from trackside.core.errors import UserError
from trackside.core.units import METRES_PER_MILE
from trackside.core.workout import Ends, Intensity, Item, Repeat, Speed, Step, Workout

_NUMBER = r"\d+(?:\.\d+)?"
_TIME = re.compile(rf"^(?:(?P<h>{_NUMBER})h)?(?:(?P<m>{_NUMBER})m)?(?:(?P<s>{_NUMBER})s)?$")
_MIN_SEC = re.compile(r"^(?P<m>\d+)m(?P<s>\d{1,2})$")  # 1m30
_PRIMES = re.compile(rf"^(?:(?P<m>\d+)')?(?:(?P<s>{_NUMBER})\")?$")  # 5', 30", 1'30"
_DISTANCE = re.compile(rf"^(?P<n>{_NUMBER})(?P<unit>mtr|km|mi)$")
_PACE_VALUE = r"\d+:\d{2}(?:\.\d+)?"
_PACE_UNIT = r"/(?:\d*)(?:km|mi|mtr|m|y|yd)"
_PACE = re.compile(rf"^(?P<a>{_PACE_VALUE})(?P<ua>{_PACE_UNIT})?"
                   rf"(?:-(?P<b>{_PACE_VALUE})(?P<ub>{_PACE_UNIT})?)?$")
_UNSUPPORTED = (  # (pattern, what it aims at unless a qualifier word follows)
    (re.compile(rf"^{_NUMBER}(?:-{_NUMBER})?%$"), "power"),  # 75%: of FTP
    (re.compile(r"^c?z\d(?:-c?z\d)?$"), "power"),  # Z2: a power zone
    (re.compile(r"^\d+(?:-\d+)?w$"), "power"),
    (re.compile(r"^\d+(?:-\d+)?rpm$"), "cadence"),
    (re.compile(r"^(?:ramp|freeride)$"), "ramp"),
)
_QUALIFIERS = {"pace": "threshold pace", "hr": "heart-rate", "lthr": "heart-rate",
               "power": "power", "mmp": "power"}
_REPEAT = re.compile(r"^(?P<name>.*?)\s*(?P<n>\d+)\s*[x×]$", re.IGNORECASE)
_REST_WORDS = frozenset(("rest", "recover", "recovery", "jog", "walk", "float"))
_METRES = {"km": 1000.0, "mi": METRES_PER_MILE, "m": 1.0, "mtr": 1.0, "y": 0.9144,
           "yd": 0.9144}  # per unit of a distance or a pace ('/100m' is metres there)
_LONGEST_MINUTES = 100  # '400m' is 400 minutes in intervals.icu: surely metres were meant


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    column: int

    @property
    def lower(self) -> str:
        return self.text.lower()


def read_icu_text(text: str, source: str, name: str) -> tuple[Workout, tuple[str, ...]]:
    """The workout in intervals.icu's text, named `name`, and a note per thing left out.

    Raises:
        UserError: "SOURCE, line L, column C: what is wrong".
    """
    reader = _Reader(source)
    steps = reader.read(text)
    if not steps:
        raise UserError(f"{source}: no steps (a step is a line such as '- 400mtr 4:55/km Pace')")
    return Workout(name=name, steps=steps), tuple(reader.notes)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.notes: list[str] = []
        self._items: list[Item] = []
        self._section = Intensity.WORK  # WARMUP or COOLDOWN inside such a section
        self._repeat: tuple[int, str, list[Item]] | None = None  # (times, where, steps)
        self._previous: Intensity | None = None  # the last step's, within its section

    def read(self, text: str) -> tuple[Item, ...]:
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if not stripped:
                self._close_repeat()
            elif stripped.startswith("-"):
                column = line.index("-") + 1
                step = self._step(number, _words(line, column))
                (self._repeat[2] if self._repeat else self._items).append(step)
            else:
                self._heading(number, line, stripped)
        self._close_repeat()
        return tuple(self._items)

    def _heading(self, number: int, line: str, stripped: str) -> None:
        self._close_repeat()
        where = self._where(number, line.index(stripped[0]) + 1)
        match = _REPEAT.match(stripped)
        title = (match.group("name") if match else stripped).lower()
        if title.startswith("warm"):
            self._section = Intensity.WARMUP
        elif title.startswith("cool"):
            self._section = Intensity.COOLDOWN
        else:
            self._section = Intensity.WORK
        self._previous = None
        if match:
            times = int(match.group("n"))
            if times < 1:
                self._fail(where, f"{_shown(stripped)}: a repeat is done at least once")
            self._repeat = (times, where, [])

    def _close_repeat(self) -> None:
        if self._repeat is None:
            return
        times, where, steps = self._repeat
        self._repeat = None
        if not steps:
            self._fail(where, f"the repeat {times}x has no steps under it")
        self._items.append(Repeat(times, tuple(steps), where=where))

    def _step(self, number: int, words: list[_Word]) -> Step:
        """'- [cue text] AMOUNT [targets] [press lap]'."""
        cue: list[str] = []
        ends: Ends | None = None
        amount: float | None = None
        speed: Speed | None = None
        target_text = ""  # a single pace, as written, in Trackside's words
        press = False
        at = 0
        while at < len(words):
            word = words[at]
            where = self._where(number, word.column)
            if (found := self._amount(word, where)) is not None:
                if ends is not None:
                    self._fail(where, f"{_shown(word.text)}: a step is one time or one distance")
                ends, amount = found
            elif ends is None:
                cue.append(word.text)
            elif word.lower == "press" and at + 1 < len(words) and words[at + 1].lower == "lap":
                press, at = True, at + 1
            elif match := _PACE.match(word.lower):
                if at + 1 < len(words) and words[at + 1].lower == "pace":
                    at += 1
                speed = self._pace(match, word, where)
                if not match.group("b") and match.group("ua")[-1] != "y":  # as written
                    target_text = match.group("a") + match.group("ua").replace("mtr", "m")
            elif kind := next((kind for pattern, kind in _UNSUPPORTED
                               if pattern.match(word.lower)), None):
                text = word.text
                if at + 1 < len(words) and words[at + 1].lower in _QUALIFIERS:
                    at += 1
                    text += f" {words[at].text}"
                    kind = _QUALIFIERS[words[at].lower]
                self.notes.append(f"{self.source}, {where}: {_left_out(kind, text)}")
            else:
                self._fail(where, f"{_shown(word.text)} is not understood here: after the length "
                                  "come targets (4:55/km Pace) and 'press lap'")
            at += 1
        line_where = self._where(number, words[0].column if words else 1)
        if ends is None:
            self._fail(line_where, "a step needs a time (2m, 30s, 1m30) or a distance "
                                   "(400mtr, 1.2km, 1mi)")
        intensity = self._intensity(cue, speed)
        if press and ends is Ends.TIME:
            self.notes.append(f"{self.source}, {line_where}: ends on the lap button: its "
                              "time is not counted down")
            ends, amount = Ends.PRESS, None
        return Step(intensity, ends, amount, speed, name=" ".join(cue).strip(" -:"),
                    target_text=target_text if ends is Ends.DISTANCE else "", where=line_where)

    def _amount(self, word: _Word, where: str) -> tuple[Ends, float] | None:
        text = word.lower
        if match := _DISTANCE.match(text):
            return Ends.DISTANCE, float(match.group("n")) * _METRES[match.group("unit")]
        for pattern in (_TIME, _MIN_SEC, _PRIMES):
            match = pattern.match(text)
            if match and any(match.groupdict().values()):
                parts = {key: float(value or 0) for key, value in match.groupdict().items()}
                if set(match.groupdict()) == {"h", "m", "s"} and not (match["h"] or match["s"]) \
                        and parts["m"] >= _LONGEST_MINUTES:
                    self._fail(where, f"{_shown(word.text)} is {parts['m']:g} minutes (in "
                                      f"intervals.icu m is minutes): write {parts['m']:g}mtr "
                                      "for metres")
                seconds = parts.get("h", 0) * 3600 + parts["m"] * 60 + parts["s"]
                if seconds <= 0:
                    self._fail(where, f"{_shown(word.text)}: a step must last longer than zero")
                return Ends.TIME, seconds
        return None

    def _pace(self, match: re.Match[str], word: _Word, where: str) -> Speed:
        unit = match.group("ub") or match.group("ua")
        if unit is None:
            self._fail(where, f"{_shown(word.text)}: give the pace's unit (4:55/km Pace): "
                              "Trackside does not know your intervals.icu default")
        speeds = [self._speed(match.group(key), match.group(f"u{key}") or unit)
                  for key in ("a", "b") if match.group(key)]
        return Speed(slow=min(speeds), fast=max(speeds))

    def _speed(self, clock: str, unit: str) -> float:
        minutes, seconds = clock.split(":")
        per = unit.lstrip("/")
        count = re.match(r"\d*", per).group()  # type: ignore[union-attr]
        metres = float(count or 1) * _METRES[per[len(count):]]
        return metres / (int(minutes) * 60 + float(seconds))

    def _intensity(self, cue: list[str], speed: Speed | None) -> Intensity:
        if self._section is not Intensity.WORK:
            return self._section
        said_rest = any(word.lower().strip(".,:;!") in _REST_WORDS for word in cue)
        follows_work = self._previous is Intensity.WORK and speed is None
        self._previous = Intensity.REST if said_rest or follows_work else Intensity.WORK
        return self._previous

    def _where(self, line: int, column: int) -> str:
        return f"line {line}, column {column}"

    def _fail(self, where: str, message: str) -> NoReturn:
        raise UserError(f"{self.source}, {where}: {message}")


def _shown(text: str) -> str:
    """A word quoted in a message: whole, or its start when it is very long."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _left_out(kind: str, text: str) -> str:
    text = _shown(text)
    if kind == "threshold pace":
        return (f"{text} is worked out from your intervals.icu threshold pace, which "
                "Trackside does not know: the target is left out (write a pace such as "
                "4:55/km Pace)")
    if kind == "ramp":
        return f"{text} is left out: a Trackside target does not change within a step"
    return f"the {kind} target {text} is left out: Trackside times against paces"


def _words(line: str, dash_column: int) -> list[_Word]:
    """The words after the step's '-', with their 1-based columns."""
    return [_Word(match.group(), dash_column + match.start() + 1)
            for match in re.finditer(r"\S+", line[dash_column:])]
