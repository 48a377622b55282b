"""The words of the whiteboard notation: the lexer, the shapes of its words, and a cursor
over the tokens that reads the pieces every part of the grammar shares (counts, labels,
options). `notation` puts them together into a plan.

Rules for this module:
  1. Case does not matter anywhere ('3X4X400M', 'SB 3:00'); a list may be separated by ','
     or '/' with spaces around ('r60, 45, 30' is 'r60,45,30'), and an option letter may stand
     apart from its value ('r 60', 'sp 100 m').
  2. A token knows its 1-based column; every failure is "notation, column C: ...".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, NoReturn

from trackside.core.errors import UserError


class Kind(Enum):
    SEMI = ";"
    OPEN = "("
    CLOSE = ")"
    PLUS = "+"
    AT = "@"
    TIMES = "Nx"
    WORD = "word"
    END = "end"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str
    column: int  # 1-based

    @property
    def number(self) -> int:
        """The N of an 'Nx' token."""
        return int(self.text.rstrip("xX× \t"))


_LEXEME = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<times>\d{1,9}\s*[x×]\s*(?=[\d(]))"  # 4x before a number or a '('
    r"|(?P<punct>[;()+@])"
    r"|(?P<word>[^\s;()+@]+)",
    re.IGNORECASE,
)
_NUMBER = r"\d+(?:\.\d+)?"
DISTANCE = re.compile(rf"^{_NUMBER}(?:m|km|k|mi|mile|miles)$", re.IGNORECASE)
_DURATION = re.compile(
    rf"^(?:{_NUMBER}(?:s|sec|secs|min|mins|h|\"|'')|\d+:\d+(?::\d+)?(?:\.\d+)?"
    rf"|{_NUMBER}'(?:{_NUMBER}(?:\"|'')?)?)$",
    re.IGNORECASE,
)
_COUNT = re.compile(r"^\d+$")
BARE_NUMBER = re.compile(rf"^{_NUMBER}$")
_UNITS = frozenset(("m", "km", "k", "mi", "mile", "miles", "s", "sec", "secs", "min", "mins"))
_LABEL = re.compile(r"^[^\W\d_]+(?:['_-][^\W\d_]+)*$")
_OPTION = re.compile(r"^(sb|sp|r|c)([\d.:,/-].*)$", re.IGNORECASE)
_OPTION_LETTERS = frozenset(("sb", "sp", "r", "c"))
ENDS = re.compile(r"^(wu|cd)(.*)$", re.IGNORECASE)
_OPTION_KEYS = {"r": "rest", "sb": "set_break", "sp": "splits", "c": "crossings"}
OPTIONS_HELP = "r60 rest, sb3:00 set break, sp100m splits, c2 crossings"
REST_SEPARATORS = re.compile(r"[,/]")


def is_jog(rest: Any) -> bool:
    """Whether a rest value as written is a distance ('200m jog')."""
    return isinstance(rest, str) and bool(DISTANCE.match(rest.split(maxsplit=1)[0]))


def lex(text: str) -> list[Token]:
    """The tokens of `text`, then an END token one column past its end."""
    tokens: list[Token] = []
    for match in _LEXEME.finditer(text):
        kind = match.lastgroup
        column = match.start() + 1
        if kind == "times":
            tokens.append(Token(Kind.TIMES, match.group(), column))
        elif kind == "punct":
            tokens.append(Token(Kind(match.group()), match.group(), column))
        elif kind == "word":
            last = tokens[-1] if tokens else None
            joins_list = last and last.kind is Kind.WORD and (
                last.text.endswith((",", "/")) or match.group().startswith((",", "/"))
            )
            if joins_list:  # 'r60, 45, 30' is 'r60,45,30'; '3:45 / km' is '3:45/km'
                tokens[-1] = Token(Kind.WORD, last.text + match.group(), last.column)
            else:
                tokens.append(Token(Kind.WORD, match.group(), column))
    tokens.append(Token(Kind.END, "", len(text) + 1))
    return tokens


class Tokens:
    """A cursor over the tokens of one notation."""

    def __init__(self, text: str) -> None:
        self._tokens = lex(text)
        self._at = 0

    def peek(self) -> Token:
        return self._tokens[self._at]

    def take(self) -> Token:
        token = self._tokens[self._at]
        self._at = min(self._at + 1, len(self._tokens) - 1)
        return token

    def counts(self) -> list[Token]:
        counts = []
        while self.peek().kind is Kind.TIMES:
            counts.append(self.take())
        return counts

    def amount(self) -> tuple[Token, str, str | int]:
        """The amount a segment starts with: (its token, 'distance' | 'duration' | 'count',
        its value as written); '400 m' is read as '400m'."""
        token = self.take()
        if token.kind is not Kind.WORD:
            fail(token, "expected a distance (400m), a time (30s, 1:30) or a count (10)")
        text = token.text
        unit = self.peek()
        if BARE_NUMBER.match(text) and unit.kind is Kind.WORD and unit.text.lower() in _UNITS:
            text += self.take().text
        if DISTANCE.match(text):
            return token, "distance", text
        if _DURATION.match(text):
            return token, "duration", text
        if _COUNT.match(text) and len(text) <= 9:
            return token, "count", int(text)
        if BARE_NUMBER.match(text):
            fail(token, f"{text[:20]!r} is not a count: a count is a whole number up to 1000 "
                        "(a distance needs its unit: 400m)")
        fail(token, f"{text!r} is not a distance (400m), a time (30s, 1:30) or a count (10)")

    def label(self) -> Token | None:
        """Words after an amount that say what it is of: 'squats', 'box jumps'."""
        words: list[Token] = []
        while (word := self.peek()).kind is Kind.WORD and _LABEL.match(word.text):
            if self.option_here():
                break
            words.append(self.take())
        if not words:
            return None
        return Token(Kind.WORD, " ".join(word.text for word in words), words[0].column)

    def option_here(self) -> bool:
        """Whether an option starts here: 'r60', or 'r' then a value ('r 60')."""
        token = self.peek()
        if token.kind is not Kind.WORD:
            return False
        if _OPTION.match(token.text):
            return True
        following = self._tokens[min(self._at + 1, len(self._tokens) - 1)]
        return (token.text.lower() in _OPTION_LETTERS and following.kind is Kind.WORD
                and following.text[:1] in "0123456789.-")

    def option(self) -> tuple[str, Token, str, int]:
        """The next option as (key, its token, its value text, the value's column);
        'r 60' is read as 'r60'."""
        token = self.take()
        if _OPTION.match(token.text):
            letters = 2 if token.text[:2].lower() in ("sb", "sp") else 1
            value_column = token.column + letters
        else:
            value = self.take()
            value_column = value.column
            token = Token(Kind.WORD, token.text + value.text, token.column)
        match = _OPTION.match(token.text)
        assert match is not None
        value = match.group(2)
        unit = self.peek()
        if (BARE_NUMBER.match(value) and unit.kind is Kind.WORD
                and DISTANCE.match(value + unit.text)):  # 'r200 m jog', 'sp 100 m'
            value += self.take().text
            token = Token(Kind.WORD, token.text + unit.text, token.column)
        return _OPTION_KEYS[match.group(1).lower()], token, value, value_column


def fail(token: Token, message: str) -> NoReturn:
    at_end = "at the end, " if token.kind is Kind.END else ""
    raise UserError(f"notation, column {token.column}: {at_end}{message}")
