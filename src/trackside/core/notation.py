"""The whiteboard notation: '3x(4x400m @4:55/km r60,45,30) sb3:30' -> a Plan.

Grammar (the README's "Plans" section has every form with its meaning):

    plan     = item { ';' item } [ ';' ]
    item     = ('wu' | 'cd') TIME [ '-' TIME ]        warmup first, cooldown last
             | ('r' | 'sb') VALUE                    the rest or set break between two blocks
             | block
    block    = [ N 'x' ] '(' [ REPS 'x' ] rep { option } ')' { option }
             | [ SETS 'x' ] [ REPS 'x' ] rep { option }
    rep      = segment { '+' segment }                run back to back, no rest
    segment  = amount { label } [ '@' target ]
    amount   = distance (400m, 1.2km, 1mi) | time (30s, 1:30, 2min, 45") | count (10)
    option   = 'r' TIME { (',' | '/') TIME } | 'r' DISTANCE [ label ]   rest; a jog
             | 'sb' TIME [ '-' TIME ]                 set break, minimum[-maximum]
             | 'sp' DISTANCE                          split cues
             | 'c' N                                  beam crossings per rep

Rules for this module:
  1. Pure: text in, Plan and warnings out. This module finds the structure and where each
     value was written; the models in `plan.py` read and check every value, exactly as for
     a TOML file, so the notation and a TOML file give the same Plan for the same workout.
  2. Every error is a `UserError` "notation, column C: ..." with C (1-based) at the token
     responsible, including errors the models raise: each key path the parser fills in is
     mapped to the column it came from. Warnings are the same form of line.
  3. Nothing is guessed. A word the grammar does not know is an error at its column; what
     reads two ways is an error that spells out both; a reading that is clearly meant but
     could surprise (a count of 400 with no label) is a warning.
  4. N x (one rep) is N reps, the rest inside the brackets (or after them) between them; a
     bracket of several reps, or anything with an `sb`, is a set.
  5. Case and spaces do not matter: '3X4X400M @3:45/KM R 60/45/30 SB 3:00' is a plan.
  6. In 'wu' and 'cd' a bare number is minutes ('cd10-15'); everywhere else seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from trackside.core.errors import UserError
from trackside.core.notation_tokens import (
    BARE_NUMBER,
    DISTANCE,
    ENDS,
    OPTIONS_HELP,
    REST_SEPARATORS,
    Kind,
    Token,
    Tokens,
    fail,
    is_jog,
)
from trackside.core.plan import LoadedPlan, Plan
from trackside.core.plan_limits import MAX_NOTATION_CHARS, MAX_SEGMENTS
from trackside.core.problems import Path, first_problem
from trackside.core.units import parse_duration

_LIKELY_DISTANCE = 50  # a count this big with no label was probably meant in metres


def read_notation(
    text: str, *, pace: float | None = None, max_speed: float | None = None,
    races: tuple[tuple[str, float], ...] = (),
) -> LoadedPlan:
    """Read a whiteboard plan. `pace` (s/m), `max_speed` (m/s) and `races` (an athlete's:
    core.races) are the references for 'pace', percentage and race targets; the notation
    itself has no place for them.

    Raises:
        UserError: "notation, column C: what is wrong".
    """
    if len(text) > MAX_NOTATION_CHARS:
        raise UserError(f"notation: {len(text)} characters is too long for a plan "
                        f"(at most {MAX_NOTATION_CHARS})")
    parser = _Parser(text)
    data = parser.plan()
    references = {"pace": pace, "max_speed": max_speed, "races": races}
    data.update({key: value for key, value in references.items() if value})
    try:
        plan = Plan.model_validate(data)
    except ValidationError as error:
        problem = first_problem(error)
        raise UserError(parser.located(problem.path, problem.message)) from None
    unused = [parser.located(path, message) for path, message in plan.unused_values()
              if path[0] not in references]  # the notation has no place for them
    return LoadedPlan(plan, tuple(parser.warnings + unused))


def parse_notation(
    text: str, *, pace: float | None = None, max_speed: float | None = None
) -> Plan:
    """`read_notation` without the warnings."""
    return read_notation(text, pace=pace, max_speed=max_speed).plan


@dataclass
class _Option:
    token: Token  # where it was written ('r60', or 'r 60' joined)
    value: Any
    value_column: int


class _Parser:
    """Recursive descent over the tokens; builds the dict a TOML file would hold."""

    def __init__(self, text: str) -> None:
        self._tokens = Tokens(text)
        self._name = " ".join(text.split())
        self._columns: dict[Path, int] = {(): 1}
        self.warnings: list[str] = []

    def located(self, path: Path, message: str) -> str:
        """'notation, column C: key: message' for the key at `path`."""
        key = next((part for part in reversed(path) if isinstance(part, str)), "blocks")
        where = f"{key.replace('_', ' ')}: " if key not in ("blocks", "segments") else ""
        return f"notation, column {self._column_of(path)}: {where}{message}"

    def _column_of(self, path: Path) -> int:
        """The column of the longest prefix of `path` the parser wrote."""
        for length in range(len(path), -1, -1):
            if (column := self._columns.get(path[:length])) is not None:
                return column
        return 1

    def plan(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self._name, "blocks": []}
        gap: Token | None = None  # a rest or set break written between blocks, waiting
        while True:
            token = self._tokens.peek()
            if token.kind in (Kind.END, Kind.SEMI):
                fail(token, "expected a block such as 4x400m @75s r60")
            if "cooldown" in data:
                fail(token, "the cooldown ends the plan: nothing may follow it")
            if end := ENDS.match(token.text) if token.kind is Kind.WORD else None:
                key = "warmup" if end.group(1).lower() == "wu" else "cooldown"
                if key == "warmup" and (data["blocks"] or "warmup" in data):
                    fail(token, "the warmup comes first")
                self._end(data, key, end.group(2))
            elif self._tokens.option_here():
                gap = self._gap(data["blocks"])
            else:
                data["blocks"].append(self._block(len(data["blocks"])))
                gap = None
            after = self._tokens.take()
            if after.kind is not Kind.END and after.kind is not Kind.SEMI:
                fail(after, f"{after.text!r} is not understood here: expected an option "
                                  f"({OPTIONS_HELP}), '+', ';' or the end")
            if self._tokens.peek().kind is Kind.END:  # the end, or a trailing ';'
                break
            if gap is not None and ENDS.match(self._tokens.peek().text):
                fail(gap, "a rest or set break between blocks needs a block after it")
        if gap is not None:
            fail(gap, "a rest or set break between blocks needs a block after it")
        if not data["blocks"]:
            fail(self._tokens.peek(), "a plan needs at least one block such as 4x400m @75s r60")
        return data

    def _end(self, data: dict[str, Any], key: str, glued: str) -> None:
        """'wu15:00', 'wu 15:00-20:00', 'cd10-15' (bare numbers are minutes)."""
        token = self._tokens.take()
        value = token
        if not glued:
            value = self._tokens.take()
            if value.kind is not Kind.WORD:
                fail(value, f"{key}: give its length, e.g. {token.text}15:00")
            glued = value.text
        column = value.column + (2 if value is token else 0)
        parts = glued.split("-", 1) if "-" in glued.lstrip("-") else [glued]
        try:
            times = [float(part) * 60 if BARE_NUMBER.match(part) else parse_duration(part)
                     for part in parts]
        except ValueError as error:
            fail(Token(Kind.WORD, glued, column), f"{key}: {error}")
        data[key] = times[0]
        self._columns[(key,)] = column
        if len(times) > 1:
            data[f"{key}_max"] = times[1]
            self._columns[(f"{key}_max",)] = column

    def _block(self, number: int) -> dict[str, Any]:
        here: Path = ("blocks", number)
        start = self._tokens.peek()
        self._columns[here] = start.column
        block: dict[str, Any] = {}
        counts = self._tokens.counts()
        if self._tokens.peek().kind is Kind.OPEN:
            if len(counts) > 1:
                fail(counts[1], "write sets x (reps x rep), e.g. 3x(4x400m r60)")
            open_paren = self._tokens.take()
            inner = self._tokens.counts()
            if len(inner) > 1:
                fail(inner[1], "inside the brackets write reps x rep, e.g. 4x400m")
            self._rep(block, here)
            inside = self._options()
            close = self._tokens.take()
            if close.kind is not Kind.CLOSE:
                fail(close, f"expected ')' to close the '(' at column {open_paren.column}")
            several = inner[0] if inner and inner[0].number > 1 else None
            options = self._merged(inside, self._options(), several is not None)
            sets, reps = self._bracket(counts[0] if counts else None, several, options, block)
        else:
            if len(counts) > 2:
                fail(counts[2], "too many 'x': write sets x reps x rep, e.g. 3x4x400m")
            sets, reps = counts if len(counts) == 2 else (None, counts[0] if counts else None)
            self._rep(block, here)
            options = self._options()
        self._count(block, here, "sets", sets)
        self._count(block, here, "reps", reps, start.column)
        for key, option in options.items():
            block[key] = option.value
            self._columns[(*here, key)] = option.token.column
            if key == "rest" and isinstance(option.value, list):
                column = option.value_column
                for index, value in enumerate(option.value):
                    self._columns[(*here, key, index)] = column
                    column += len(value) + 1
        return block

    def _merged(self, inside: dict[str, _Option], after: dict[str, _Option],
                several: bool) -> dict[str, _Option]:
        """The options inside the brackets and after them, each written once; a rest after a
        bracket of several reps reads two ways."""
        rest = after.get("rest")
        if rest and several:
            fail(rest.token, f"{rest.token.text} after a bracket of several reps reads "
                       "two ways: the break between its sets (write sb instead) or the rest "
                       f"before the next block (write '; {rest.token.text};'); the rest "
                       "between its reps goes inside")
        for key, option in after.items():
            if key in inside:
                fail(option.token, f"{key.replace('_', ' ')} is written twice, "
                           f"{inside[key].token.text} inside the brackets and "
                           f"{option.token.text} after them: write it once")
        return {**inside, **after}

    def _bracket(self, outer: Token | None, several: Token | None,
                 options: dict[str, _Option], block: dict[str, Any]) -> tuple[Token | None, ...]:
        """(sets, reps) of 'N x (...)': a set of several reps, a set because of its 'sb', or
        N reps of the one rep inside. What reads two ways is an error naming both."""
        rest, set_break = options.get("rest"), options.get("set_break")
        if several is not None:
            return outer, several
        if set_break is None:
            return None, outer
        if rest is not None and outer is not None:
            count, rep = outer.number, self._rep_text(block)
            sb = set_break.token.text
            fail(rest.token, f"{count}x({rep} {rest.token.text}) {sb} reads two ways: "
                       f"{count} sets of one rep with {sb} between them ({rest.token.text} "
                       f"never used), or {count} reps with {rest.token.text} between them and "
                       f"{sb} after them (write {count}x{rep} {rest.token.text} {sb})")
        return outer, None

    def _count(self, block: dict[str, Any], here: Path, key: str, token: Token | None,
               column: int = 0) -> None:
        if token is not None:
            block[key] = token.number
            self._columns[(*here, key)] = token.column
        elif key == "reps":  # '400m @50s' is one rep
            block[key] = 1
            self._columns[(*here, key)] = column

    def _rep(self, block: dict[str, Any], here: Path) -> None:
        segments = [self._segment((*here, "segments", 0))]
        self._columns[(*here, "segments")] = self._columns[(*here, "segments", 0)]
        while self._tokens.peek().kind is Kind.PLUS:
            plus = self._tokens.take()
            if len(segments) == MAX_SEGMENTS:
                fail(plus, f"a rep has at most {MAX_SEGMENTS} segments")
            segments.append(self._segment((*here, "segments", len(segments))))
        block["segments"] = segments

    @staticmethod
    def _rep_text(block: dict[str, Any]) -> str:
        """The rep as written, for a message: '400m @75s +100m @max'."""
        parts = []
        for segment in block["segments"]:
            amount = next(str(segment[k]) for k in ("distance", "duration", "count")
                          if k in segment)
            words = [amount, segment.get("label"), segment.get("target") and
                     f"@{segment['target']}"]
            parts.append(" ".join(word for word in words if word))
        return " +".join(parts)

    def _segment(self, here: Path) -> dict[str, Any]:
        token, key, value = self._tokens.amount()
        self._columns[here] = token.column
        segment: dict[str, Any] = {key: value}
        self._columns[(*here, key)] = token.column
        if label := self._tokens.label():
            segment["label"] = label.text
            self._columns[(*here, "label")] = label.column
        if self._tokens.peek().kind is Kind.AT:
            at = self._tokens.take()
            target = self._tokens.take()
            if target.kind is not Kind.WORD:
                fail(at, "a target follows '@': 75s, 1:15, 4:55/km, max, pace, 5k or 85%")
            segment["target"] = target.text
            self._columns[(*here, "target")] = target.column
        if key == "count" and "label" not in segment:
            self._count_or_distance(token, segment)
        return segment

    def _count_or_distance(self, token: Token, segment: dict[str, Any]) -> None:
        """'3x4x400 @3:45/km': a count with a time target is a distance without its unit."""
        target = str(segment.get("target", "")).strip().lower()
        guess = f"did you mean {token.text}m?"
        if target and not target.endswith("%"):
            fail(token, f"{token.text} has no unit, so it is a count (ended by a press) and "
                        f"a count takes no time target: {guess}")
        if not target and segment["count"] >= _LIKELY_DISTANCE:
            self._warn(token, f"{token.text} has no unit, so each rep is a count of "
                              f"{token.text}, ended by a press: {guess}")

    def _options(self) -> dict[str, _Option]:
        options: dict[str, _Option] = {}
        while self._tokens.option_here():
            key, token, text, column = self._tokens.option()
            if key in options:
                fail(token, f"{key.replace('_', ' ')} is given twice in this block")
            value: Any = text
            if key == "rest":
                value = self._rests(token, text)
            elif key == "crossings":
                if not text.isdigit() or len(text) > 9:
                    fail(token, f"crossings: {text[:20]!r} is not a whole number")
                value = int(text)
            elif key == "set_break" and BARE_NUMBER.match(text) and float(text) < 10:
                self._warn(token, f"set break: {token.text} is {text} seconds: "
                                  f"did you mean sb{text}:00?")
            options[key] = _Option(token, value, column)
        return options

    def _rests(self, token: Token, text: str) -> str | list[str]:
        """'60', '60,45,30', '60/45/30', or a jog: '200m' with its word ('200m jog')."""
        values = REST_SEPARATORS.split(text)
        if any(not value for value in values):
            fail(token, "rest: a value is missing")
        if any(DISTANCE.match(value) for value in values):
            if len(values) > 1:
                fail(token, "rest: a jog is one distance for every gap (r200m jog)")
            label = self._tokens.label()
            return f"{text} {label.text}" if label else text
        return values[0] if len(values) == 1 else values

    def _gap(self, blocks: list[dict[str, Any]]) -> Token:
        """'4x400m r60; r3:00; 4x200m r30': the rest (or set break) between two blocks."""
        key, token, value, _ = self._tokens.option()
        if not blocks:
            fail(token, f"{token.text} between blocks comes after a block")
        here: Path = ("blocks", len(blocks) - 1)
        block = blocks[-1]
        if key == "set_break":
            if block.get("sets", 1) > 1 or "set_break" in block:
                fail(token, "the block before already ends its sets with a set break "
                            "(give it its own sb)")
            block[key] = value
            self._columns[(*here, key)] = token.column
            return token
        if key != "rest":
            fail(token, f"{token.text} belongs to a block (write it after the rep)")
        rest = self._rests(token, value)
        written = block.get("rest")
        if block.get("sets", 1) > 1 or "set_break" in block:
            fail(token, f"{token.text}: the block before ends with a set break, so no "
                        "rest follows it")
        if isinstance(rest, list):
            fail(token, f"{token.text}: a rest between blocks is one value")
        if written is None and block["reps"] == 1:
            block["rest"] = rest
            self._columns[(*here, "rest")] = token.column
            return token
        gaps = block["reps"] - 1
        if gaps and (is_jog(rest) or is_jog(written)):
            fail(token, f"{token.text}: a jog rest is the same for every gap of a block, "
                        "the one after its last rep too")
        values = written if isinstance(written, list) else [written] * gaps
        if written is None or block["reps"] == 1 or len(values) != gaps:
            fail(token, f"{token.text}: the rest after the block's last rep is already "
                        "given")
        block["rest"] = [*values, rest]
        self._columns[(*here, "rest", gaps)] = token.column
        return token

    def _warn(self, token: Token, message: str) -> None:
        self.warnings.append(f"notation, column {token.column}: {message}")

