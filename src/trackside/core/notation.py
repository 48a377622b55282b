"""The whiteboard notation: '3x(4x400m @4:55/km r60,45,30) sb3:30' -> a Plan.

Grammar (the README's "Plans" section has it with examples):

    plan     = item { ';' item } [ ';' ]
    item     = 'wu' TIME | 'cd' TIME | block          warmup first, cooldown last
    block    = [ SETS 'x' ] '(' [ REPS 'x' ] rep { option } ')' { option }
             | [ SETS 'x' ] [ REPS 'x' ] rep { option }
    rep      = segment { '+' segment }                 run back to back, no rest
    segment  = amount [ label ] [ '@' target ]
    amount   = distance (400m, 1.2km, 1mi) | time (30s, 1:30, 2min) | count (10)
    option   = 'r' TIME { ',' TIME }                  rest after each rep (a list: one per gap)
             | 'sb' TIME [ '-' TIME ]                 set break, minimum[-maximum]
             | 'sp' distance                          split cues
             | 'c' N                                  beam crossings per rep

Rules for this module:
  1. Pure: text in, Plan out. This module finds the structure and where each value was
     written; the models in `plan.py` read and check every value, exactly as for a TOML file,
     so the notation and a TOML file give the same Plan for the same workout.
  2. Every error is a `UserError` "notation, column C: ..." with C (1-based) at the token
     responsible, including errors the models raise: each key path the parser fills in is
     mapped to the column it came from.
  3. Nothing is guessed: a word the grammar does not know is an error at its column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, NoReturn

from pydantic import ValidationError

from trackside.core.errors import UserError
from trackside.core.plan import Plan
from trackside.core.problems import Path, first_problem


class _Kind(Enum):
    SEMI = ";"
    OPEN = "("
    CLOSE = ")"
    PLUS = "+"
    AT = "@"
    TIMES = "Nx"
    WORD = "word"
    END = "end"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    text: str
    column: int  # 1-based

    @property
    def number(self) -> int:
        """The N of an 'Nx' token."""
        return int(self.text.rstrip("x× \t"))


_LEXEME = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<times>\d+\s*[x×]\s*(?=[\d(]))"  # 4x before a number or a '('
    r"|(?P<punct>[;()+@])"
    r"|(?P<word>[^\s;()+@]+)"
)
_DISTANCE = re.compile(r"^\d+(?:\.\d+)?(?:m|km|k|mi|mile|miles)$", re.IGNORECASE)
_DURATION = re.compile(
    r"^(?:\d+(?:\.\d+)?(?:s|sec|secs|min|mins|h)|\d+:\d+(?::\d+)?(?:\.\d+)?)$", re.IGNORECASE
)
_COUNT = re.compile(r"^\d+(?:\.\d+)?$")
_UNITS = frozenset(("m", "km", "k", "mi", "mile", "miles", "s", "sec", "secs", "min", "mins"))
_LABEL = re.compile(r"^[a-z][a-z'_-]*$", re.IGNORECASE)
_OPTION = re.compile(r"^(sb|sp|r|c)([\d.:,-].*)$", re.IGNORECASE)
_ENDS = re.compile(r"^(wu|cd)(.*)$", re.IGNORECASE)
_OPTION_KEYS = {"r": "rest", "sb": "set_break", "sp": "splits", "c": "crossings"}
_OPTIONS_HELP = "r60 rest, sb3:00 set break, sp100m splits, c2 crossings"


def parse_notation(
    text: str, *, pace: float | None = None, max_speed: float | None = None
) -> Plan:
    """Read a whiteboard plan. `pace` (s/m) and `max_speed` (m/s) are the references for
    'pace' and percentage targets; the notation itself has no place for them.

    Raises:
        UserError: "notation, column C: what is wrong".
    """
    parser = _Parser(text)
    data = parser.plan()
    references = {"pace": pace, "max_speed": max_speed}
    data.update({key: value for key, value in references.items() if value is not None})
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        problem = first_problem(error)
        column = parser.column_of(problem.path)
        key = problem.key.replace("_", " ") if problem.key else "blocks"
        where = f"{key}: " if key not in ("blocks", "segments") else ""
        raise UserError(f"notation, column {column}: {where}{problem.message}") from None


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _LEXEME.finditer(text):
        kind = match.lastgroup
        column = match.start() + 1
        if kind == "times":
            tokens.append(_Token(_Kind.TIMES, match.group(), column))
        elif kind == "punct":
            tokens.append(_Token(_Kind(match.group()), match.group(), column))
        elif kind == "word":
            last = tokens[-1] if tokens else None
            joins_list = last and last.kind is _Kind.WORD and (
                last.text.endswith(",") or match.group().startswith(",")
            )
            if joins_list:  # 'r60, 45, 30' is 'r60,45,30'
                tokens[-1] = _Token(_Kind.WORD, last.text + match.group(), last.column)
            else:
                tokens.append(_Token(_Kind.WORD, match.group(), column))
    tokens.append(_Token(_Kind.END, "", len(text) + 1))
    return tokens


class _Parser:
    """Recursive descent over the tokens; builds the dict a TOML file would hold."""

    def __init__(self, text: str) -> None:
        self._tokens = _lex(text)
        self._at = 0
        self._name = " ".join(text.split())
        self._columns: dict[Path, int] = {(): 1}

    def column_of(self, path: Path) -> int:
        """The column of the longest prefix of `path` the parser wrote."""
        for length in range(len(path), -1, -1):
            if (column := self._columns.get(path[:length])) is not None:
                return column
        return 1

    def plan(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self._name, "blocks": []}
        while True:
            token = self._peek()
            if token.kind in (_Kind.END, _Kind.SEMI):
                self._fail(token, "expected a block such as 4x400m @75s r60")
            if "cooldown" in data:
                self._fail(token, "the cooldown ends the plan: nothing may follow it")
            if end := _ENDS.match(token.text) if token.kind is _Kind.WORD else None:
                key = "warmup" if end.group(1).lower() == "wu" else "cooldown"
                if key == "warmup" and (data["blocks"] or "warmup" in data):
                    self._fail(token, "the warmup comes first")
                data[key] = self._end_time(key, end.group(2))
            else:
                data["blocks"].append(self._block(len(data["blocks"])))
            after = self._take()
            if after.kind is not _Kind.END and after.kind is not _Kind.SEMI:
                self._fail(after, f"{after.text!r} is not understood here: expected an option "
                                  f"({_OPTIONS_HELP}), '+', ';' or the end")
            if self._peek().kind is _Kind.END:  # the end, or a trailing ';'
                break
        if not data["blocks"]:
            self._fail(self._peek(), "a plan needs at least one block such as 4x400m @75s r60")
        return data

    def _end_time(self, key: str, glued: str) -> str:
        """'wu15:00' or 'wu 15:00': the time, its column noted under `key`."""
        token = self._take()
        if glued:
            self._columns[(key,)] = token.column + 2
            return glued
        value = self._take()
        if value.kind is not _Kind.WORD:
            self._fail(value, f"{key}: give its length, e.g. {token.text}15:00")
        self._columns[(key,)] = value.column
        return value.text

    def _block(self, number: int) -> dict[str, Any]:
        here: Path = ("blocks", number)
        start = self._peek()
        self._columns[here] = start.column
        block: dict[str, Any] = {}
        counts = self._counts()
        if self._peek().kind is _Kind.OPEN:
            if len(counts) > 1:
                self._fail(counts[1], "write sets x (reps x rep), e.g. 3x(4x400m r60)")
            open_paren = self._take()
            inner = self._counts()
            if len(inner) > 1:
                self._fail(inner[1], "inside the brackets write reps x rep, e.g. 4x400m")
            self._count(block, here, "sets", counts[0] if counts else None)
            self._count(block, here, "reps", inner[0] if inner else None, open_paren.column)
            self._rep(block, here)
            self._options(block, here)
            close = self._take()
            if close.kind is not _Kind.CLOSE:
                self._fail(close, f"expected ')' to close the '(' at column {open_paren.column}")
        else:
            if len(counts) > 2:
                self._fail(counts[2], "too many 'x': write sets x reps x rep, e.g. 3x4x400m")
            sets, reps = counts if len(counts) == 2 else (None, counts[0] if counts else None)
            self._count(block, here, "sets", sets)
            self._count(block, here, "reps", reps, start.column)
            self._rep(block, here)
        self._options(block, here)
        return block

    def _counts(self) -> list[_Token]:
        counts = []
        while self._peek().kind is _Kind.TIMES:
            counts.append(self._take())
        return counts

    def _count(
        self, block: dict[str, Any], here: Path, key: str, token: _Token | None, column: int = 0
    ) -> None:
        if token is not None:
            block[key] = token.number
            self._columns[(*here, key)] = token.column
        elif key == "reps":  # '400m @50s' is one rep
            block[key] = 1
            self._columns[(*here, key)] = column

    def _rep(self, block: dict[str, Any], here: Path) -> None:
        segments = [self._segment((*here, "segments", 0))]
        self._columns[(*here, "segments")] = self._columns[(*here, "segments", 0)]
        while self._peek().kind is _Kind.PLUS:
            self._take()
            segments.append(self._segment((*here, "segments", len(segments))))
        block["segments"] = segments

    def _segment(self, here: Path) -> dict[str, Any]:
        token = self._take()
        self._columns[here] = token.column
        if token.kind is not _Kind.WORD:
            self._fail(token, "expected a distance (400m), a time (30s, 1:30) or a count (10)")
        text = token.text
        unit = self._peek()
        if _COUNT.match(text) and unit.kind is _Kind.WORD and unit.text.lower() in _UNITS:
            text += self._take().text  # '400 m' is 400m
        if _DISTANCE.match(text):
            key, value = "distance", text
        elif _DURATION.match(text):
            key, value = "duration", text
        elif _COUNT.match(text):
            key, value = "count", int(float(text)) if float(text).is_integer() else text
        else:
            self._fail(
                token, f"{text!r} is not a distance (400m), a time (30s, 1:30) or a count (10)"
            )
        segment: dict[str, Any] = {key: value}
        self._columns[(*here, key)] = token.column
        label = self._peek()
        if label.kind is _Kind.WORD and _LABEL.match(label.text) and not _OPTION.match(label.text):
            segment["label"] = self._take().text
            self._columns[(*here, "label")] = label.column
        if self._peek().kind is _Kind.AT:
            at = self._take()
            target = self._take()
            if target.kind is not _Kind.WORD:
                self._fail(at, "a target follows '@': 75s, 1:15, 4:55/km, max, pace or 85%")
            segment["target"] = target.text
            self._columns[(*here, "target")] = target.column
        return segment

    def _options(self, block: dict[str, Any], here: Path) -> None:
        while self._peek().kind is _Kind.WORD and (match := _OPTION.match(self._peek().text)):
            token = self._take()
            key = _OPTION_KEYS[match.group(1).lower()]
            value = match.group(2)
            if key in block:
                self._fail(token, f"{key} is given twice in this block")
            self._columns[(*here, key)] = token.column
            if key == "rest":
                block[key] = self._rests(token, value, (*here, key))
            elif key == "crossings":
                if not value.isdigit():
                    self._fail(token, f"crossings: {value!r} is not a whole number")
                block[key] = int(value)
            else:
                block[key] = value

    def _rests(self, token: _Token, text: str, here: Path) -> str | list[str]:
        values = text.split(",")
        column = token.column + 1
        for index, value in enumerate(values):
            if not value:
                self._fail(_Token(_Kind.WORD, text, column), "rest: a value is missing")
            self._columns[(*here, index)] = column
            column += len(value) + 1
        return values[0] if len(values) == 1 else values

    def _peek(self) -> _Token:
        return self._tokens[self._at]

    def _take(self) -> _Token:
        token = self._tokens[self._at]
        self._at = min(self._at + 1, len(self._tokens) - 1)
        return token

    @staticmethod
    def _fail(token: _Token, message: str) -> NoReturn:
        at_end = "at the end, " if token.kind is _Kind.END else ""
        raise UserError(f"notation, column {token.column}: {at_end}{message}")
