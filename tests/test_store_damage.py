"""Damaged rows (edited by hand, or a bad sector) never crash history, export or a resume:
each is skipped or flagged with one line, and a session that cannot be resumed honestly is
said to be damaged and the plan runs fresh."""

import io
import json
import sqlite3
from pathlib import Path

import pytest
from store_support import open_store, start

from trackside.cli import main
from trackside.core.events import ButtonPressed

Capture = pytest.CaptureFixture[str]

FRESH = "starting 2x200m @30s r30"
RESUMED = "resuming session 1 (4x200m): 3 reps done"

# What an adversarial run did to a database; what history, export and `run --resume` say.
DAMAGE = {
    "a rep's source 'laser'": (
        "UPDATE rep SET source = 'laser' WHERE rep_index = 2", None,
        "rep 2 cannot be read: unknown source 'laser'",
        "session 1 cannot be resumed, it is damaged (rep 2 cannot be read: unknown source "
        f"'laser'): {FRESH}"),
    "a garbage start time": (
        "UPDATE session SET started_utc = 'yesterday-ish'",
        "its start time cannot be read ('yesterday-ish')",
        "its start time cannot be read ('yesterday-ish')", RESUMED),
    "invalid plan JSON": (
        "UPDATE session SET plan_json = '{\"blocks\": ['", None, "its plan cannot be read",
        f"session 1 cannot be resumed, it is damaged (its plan cannot be read): {FRESH}"),
    "splits that are not a list": (
        "UPDATE rep SET splits_json = '{' WHERE rep_index IN (1, 3)", None,
        "2 reps cannot be read, the first (rep 1): its splits cannot be read ('{')",
        "session 1 cannot be resumed, it is damaged (2 reps cannot be read"),
    "a time that is text": (
        "UPDATE rep SET ended_at = 'soon' WHERE rep_index = 3", None,
        "rep 3 cannot be read: a time is not a number", "cannot be resumed, it is damaged"),
    "an unknown status": (
        "PRAGMA ignore_check_constraints = 1; UPDATE session SET status = 'paused'",
        "unknown status 'paused'", "unknown status 'paused'", f"nothing to resume: {FRESH}"),
    "an unknown clock": (
        "UPDATE session_run SET clock = 'sundial'",
        "the clock of run 1 cannot be read: unknown clock 'sundial'",
        "the clock of run 1 cannot be read: unknown clock 'sundial'", RESUMED),
    "an input of no known kind": (
        "UPDATE input SET kind = 'Sneeze'", None,
        "an input cannot be read: unknown input 'Sneeze'", RESUMED),
}


@pytest.fixture(params=sorted(DAMAGE))
def damage(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, tuple]:
    """An interrupted session of 3 reps of 4, damaged one way; what each read says of it."""
    db = tmp_path / "trackside.db"
    with open_store(db) as store:
        session, reps = start(store, "distance")
        store.record_input(session, ButtonPressed(at=1.0), 5)
        for rep in reps[:3]:
            store.record_rep(session, rep)
    sql, *says = DAMAGE[request.param]
    sqlite3.connect(db, isolation_level=None).executescript(sql).close()
    return db, tuple(says)


def _damage_lines(capsys: Capture, caplog: pytest.LogCaptureFixture) -> tuple[str, list[str]]:
    """What was printed, and the warnings (one line each on stderr) that say "damaged"."""
    lines = [r.getMessage() for r in caplog.records if "damaged" in r.getMessage()]
    caplog.clear()
    return capsys.readouterr().out, lines


def test_history_flags_a_damaged_session_in_one_line(
        damage: tuple[Path, tuple], capsys: Capture, caplog: pytest.LogCaptureFixture) -> None:
    db, (says, _, _) = damage
    for argv in (["history"], ["history", "--json"]):
        assert main([*argv, "--db", str(db)]) == 0
        out, lines = _damage_lines(capsys, caplog)
        assert lines == ([f"session 1 is damaged: {says}"] if says else [])
    [session] = json.loads(out)
    assert session["problem"] == says


def test_export_leaves_out_what_is_damaged_and_says_so_in_one_line(
        damage: tuple[Path, tuple], capsys: Capture, caplog: pytest.LogCaptureFixture) -> None:
    db, (_, says, _) = damage
    for form in ("csv", "json"):
        assert main(["export", "1", "--format", form, "--db", str(db)]) == 0
        out, lines = _damage_lines(capsys, caplog)
        assert lines == [f"session 1 is damaged: {says}; left out"]
    assert json.loads(out)["problems"] == [says]


def test_resume_goes_on_only_with_a_session_it_can_trust(
        damage: tuple[Path, tuple], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    db, (_, _, says) = damage
    monkeypatch.setattr("sys.stdin", io.StringIO("quit\n"))
    assert main(["run", "2x200m @30s r30", "--resume", "--headless", "--db", str(db)]) == 0
    assert any(says in record.getMessage() for record in caplog.records), caplog.text
