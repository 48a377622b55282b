"""tomllib gives no positions: the locator finds the line of every key path."""

from __future__ import annotations

import tomllib

import pytest

from trackside.core.toml_locator import TomlLocator

DOCUMENT = '''\
# a plan
name = "x"   # a comment with [[not.a.table]]
description = """two
lines = 5
[[not.a.table]]"""
"quoted key" = 1
lap.length = { metres = 400, marks = [100, 200] }

[[blocks]]
reps = 4
rest = [
  60,  # after rep 1
  45,
  30,
]
[blocks.set_break]
low = "3:00"

[[blocks]]
reps = 2
[[blocks.segments]]
distance = "400m"
[[blocks.segments]]
distance = '100m'
target = "max"
'''


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("name",), 2),
        (("description",), 3),
        (("quoted key",), 6),
        (("lap", "length", "marks", 1), 7),
        (("blocks",), 9),
        (("blocks", 0), 9),
        (("blocks", 0, "reps"), 10),
        (("blocks", 0, "rest"), 11),
        (("blocks", 0, "rest", 0), 12),
        (("blocks", 0, "rest", 2), 14),
        (("blocks", 0, "set_break", "low"), 17),
        (("blocks", 1), 19),
        (("blocks", 1, "segments", 0, "distance"), 22),
        (("blocks", 1, "segments", 1), 23),
        (("blocks", 1, "segments", 1, "target"), 25),
    ],
)
def test_every_key_path_is_found_on_its_line(path: tuple, line: int) -> None:
    tomllib.loads(DOCUMENT)  # the locator only ever sees documents tomllib accepted
    assert TomlLocator(DOCUMENT).find(path) == (path, line)


def test_a_key_that_is_not_written_falls_back_to_its_table() -> None:
    locator = TomlLocator(DOCUMENT)
    assert locator.find(("blocks", 1, "rest")) == (("blocks", 1), 19)
    assert locator.find(("blocks", 1, "segments", 1, "target", "low")) == (
        ("blocks", 1, "segments", 1, "target"),
        25,
    )
    assert locator.find(("pace",)) == ((), None)


@pytest.mark.parametrize("text", ["[[", "a = ", 'a = "open', "]]]", "= = =", "x = [1, ]]]", "{"])
def test_text_tomllib_refuses_never_breaks_the_locator(text: str) -> None:
    TomlLocator(text).find(("a",))
