"""TOML problems as one line that says where: 'plan.toml, line 7, blocks[0].rest: ...'."""

from __future__ import annotations

import re

from trackside.core.problems import Problem, format_path
from trackside.core.toml_locator import TomlLocator

_TOML_POSITION = re.compile(r"^(.*) \(at line (\d+), column (\d+)\)$", re.DOTALL)


def syntax_error(source: str, message: str) -> str:
    """tomllib's 'Invalid value (at line 3, column 9)' -> 'f.toml, line 3, column 9: invalid value'."""
    if match := _TOML_POSITION.match(message):
        text, line, column = match.groups()
        return f"{source}, line {line}, column {column}: {text[:1].lower()}{text[1:]}"
    return f"{source}: {message[:1].lower()}{message[1:]}"


def located(problem: Problem, text: str, source: str) -> str:
    """The problem with the file, the line of its key (when found) and the key path."""
    _, line = TomlLocator(text).find(problem.path)
    where = [source] + [f"line {line}"] * (line is not None)
    where += [format_path(problem.path)] * bool(problem.path)
    return f"{', '.join(where)}: {problem.message}"
