"""`trackside athletes` and `groups`, and the options that run a plan with them: every mistake
one line and exit 2."""

import json
import logging
import sqlite3
from pathlib import Path

import pytest

from trackside.cli import main

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "sessions.db"


def _ok(capsys: Capture, *argv: str) -> str:
    assert main(list(argv)) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def _refused(capsys: Capture, *argv: str) -> str:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err


def test_athletes_are_added_listed_edited_and_removed(db: Path, capsys: Capture) -> None:
    assert _ok(capsys, "athletes", "--db", str(db)).startswith("no athletes yet")
    assert _ok(capsys, "athletes", "add", "Ana", "--5k", "19:10", "--max-speed", "8.5m/s",
               "--db", str(db)) == "added Ana: 5K 19:10; top speed 8.50 m/s\n"
    _ok(capsys, "athletes", "add", "Ben", "--10k", "38:30", "--db", str(db))
    assert _ok(capsys, "athletes", "edit", "ana", "--forget", "max-speed", "--pace", "4:00/km",
               "--db", str(db)) == "now Ana: 5K 19:10; pace 4:00/km\n"
    listed = json.loads(_ok(capsys, "athletes", "--json", "--db", str(db)))
    assert [athlete["name"] for athlete in listed] == ["Ana", "Ben"]
    assert listed[1]["all_races"]["5k"]["derived_from"] == "10k"
    assert _ok(capsys, "athletes", "remove", "Ben", "--db", str(db)).startswith(
        "removed Ben from the list")
    assert _ok(capsys, "athletes", "--db", str(db)) == "Ana: 5K 19:10; pace 4:00/km\n"


@pytest.mark.parametrize(("argv", "message"), [
    (["athletes", "add", "Ana"], "there is an athlete called Ana already"),
    (["athletes", "add", "ANA"], "there is an athlete called Ana already"),
    (["athletes", "add", "Ann,Bo"], "is not a name"),
    (["athletes", "add"], "give the athlete's NAME"),
    (["athletes", "add", "Bo", "--5k", "fast"], "argument --5k: 'fast' is not a duration"),
    (["athletes", "add", "Bo", "--hm", "50:00"], "faster than the world record"),
    (["athletes", "edit", "Anna"], "no athlete called 'Anna': did you mean Ana?"),
    (["athletes", "edit", "Ana", "--forget", "speed"], "--forget: speed is not a race"),
    (["groups", "save", "tue", "Ana,Zed"], "no athlete called 'Zed'"),
    (["groups", "save", "tue", "Ana,ana"], "an athlete is named twice"),
    (["groups", "remove", "wed"], "no group called 'wed'"),
])
def test_a_mistake_is_one_line(db: Path, capsys: Capture, argv: list[str], message: str) -> None:
    _ok(capsys, "athletes", "add", "Ana", "--db", str(db))
    assert message in _refused(capsys, *argv, "--db", str(db))


def test_a_group_is_saved_in_start_order_and_loses_an_athlete_removed(
        db: Path, capsys: Capture) -> None:
    for name in ("Ana", "Ben", "Cam"):
        _ok(capsys, "athletes", "add", name, "--db", str(db))
    assert _ok(capsys, "groups", "save", "tuesday", "Cam,Ana,Ben", "--db", str(db)) == (
        "saved tuesday: Cam, Ana, Ben\n")
    _ok(capsys, "athletes", "remove", "ana", "--db", str(db))
    assert _ok(capsys, "groups", "--db", str(db)) == "tuesday: Cam, Ben\n"
    assert _ok(capsys, "groups", "remove", "Tuesday", "--db", str(db)).startswith("removed")
    assert _ok(capsys, "groups", "--db", str(db)).startswith("no groups yet")


def _damage(db: Path, name: str) -> None:
    """A profile edited by hand into one that cannot be read."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE athlete SET profile_json = '{\"name\": 7}' WHERE name = ?",
                     (name,))
    conn.close()


def test_a_damaged_athlete_is_said_and_adding_that_name_again_makes_them_whole(
        db: Path, capsys: Capture, caplog: pytest.LogCaptureFixture) -> None:
    for name in ("Ana", "Ben"):
        _ok(capsys, "athletes", "add", name, "--db", str(db))
    _ok(capsys, "groups", "save", "tue", "Ben,Ana", "--db", str(db))
    _damage(db, "Ana")
    assert _ok(capsys, "athletes", "--db", str(db)) == "Ben: no paces yet\n"
    refused = _refused(capsys, "athletes", "edit", "ana", "--pace", "4:00/km", "--db", str(db))
    assert refused.startswith("trackside: error: athlete Ana cannot be read (name: ")
    assert "trackside athletes add Ana replaces it" in refused
    with caplog.at_level(logging.WARNING, logger="trackside.adapters.athlete_book"):
        assert _ok(capsys, "athletes", "add", "ana", "--5k", "19:10", "--db", str(db)) == (
            "added ana: 5K 19:10\n")
    assert caplog.messages[-1].startswith("athlete Ana could not be read (name: ")
    assert _ok(capsys, "groups", "--db", str(db)) == "tue: Ben, ana\n"  # the same athlete


def test_a_damaged_athlete_can_be_removed(db: Path, capsys: Capture) -> None:
    _ok(capsys, "athletes", "add", "Ana", "--db", str(db))
    _damage(db, "Ana")
    assert _ok(capsys, "athletes", "remove", "ANA", "--db", str(db)) == (
        "removed Ana from the list; their sessions keep them\n")
    assert _ok(capsys, "athletes", "--db", str(db)).startswith("no athletes yet")


def test_show_with_an_athlete_says_whose_targets_they_are(db: Path, capsys: Capture) -> None:
    _ok(capsys, "athletes", "add", "Ana", "--5k", "20:00", "--db", str(db))
    out = _ok(capsys, "show", "4x400m @hm r60", "--athlete", "Ana", "--db", str(db))
    assert ("Ana's targets, @hm: Ana's half marathon 1:32:00 (4:22/km), from the 5K 20:00 "
            "by Riegel") in out
    assert "400 m @ 1:44.7" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["--athletes", "Ana,Zed"], "no athlete called 'Zed'"),
    (["--group", "nope"], "no group called 'nope'"),
    (["--stagger", "10"], "--stagger: for a group of athletes"),
    (["--athletes", "Ana", "--rest-from", "first"], "--rest-from: for a group of athletes"),
    (["--athletes", "Ana,Ben", "--stagger", "10", "--rest-from", "last"],
     "--rest-from last: a staggered start rests each athlete from their own finish"),
    (["--athletes", "Ana,Ben", "--double-break", "5"], "--double-break"),
    (["--athletes", "Ana,Ben", "4x400m @10k r60"], "Ana: notation, column 9: target: '10k' "
                                                   "needs the athlete's race times"),
])
def test_a_run_with_athletes_that_cannot_be_is_refused_before_it_starts(
        db: Path, capsys: Capture, argv: list[str], message: str) -> None:
    for name in ("Ana", "Ben"):
        _ok(capsys, "athletes", "add", name, "--db", str(db))
    plan = [] if any(" @" in word for word in argv) else ["4x400m @75s r60"]
    assert message in _refused(capsys, "run", *plan, *argv, "--headless", "--db", str(db))
