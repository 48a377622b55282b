"""One writer per database: a second run is refused with one line naming the first."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from store_support import mounted

from trackside.adapters.store_lock import DatabaseInUse, DatabaseLock
from trackside.cli import main

Capture = pytest.CaptureFixture[str]


def test_a_second_lock_on_a_database_is_refused_naming_the_holder(tmp_path: Path) -> None:
    db = tmp_path / "trackside.db"
    held = DatabaseLock.take(db)
    with pytest.raises(DatabaseInUse, match=rf"in use by another trackside \(pid {os.getpid()}: "
                                            r"trackside.*, since \d{4}-\d\d-\d\d \d\d:\d\d\)"):
        DatabaseLock.take(db)
    held.release()
    held.release()
    DatabaseLock.take(db).release()  # free again


def test_a_folder_where_no_lock_can_be_made_does_not_stop_a_run(tmp_path: Path) -> None:
    (tmp_path / "ro").mkdir()
    with mounted(tmp_path / "ro", "--bind", "-o", "ro", str(tmp_path / "ro")) as folder:
        DatabaseLock.take(folder / "trackside.db").release()


def test_a_run_on_a_database_in_use_is_one_line_and_exit_2(
        tmp_path: Path, capsys: Capture) -> None:
    db = tmp_path / "trackside.db"
    held = DatabaseLock.take(db)
    try:
        assert main(["run", "2x200m @30s r30", "--headless", "--db", str(db)]) == 2
    finally:
        held.release()
    error = capsys.readouterr().err
    assert error.startswith(f"trackside: error: {db} is in use by another trackside (pid ")
    assert error.count("\n") == 1


def test_a_resume_while_the_service_runs_is_refused_naming_it(tmp_path: Path,
                                                             capsys: Capture) -> None:
    db = tmp_path / "trackside.db"
    src = Path(__file__).parents[1] / "src"
    service = subprocess.Popen(
        [sys.executable, "-m", "trackside", "run", "2x200m @30s r30", "--headless", "--db",
         str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, env={**os.environ, "PYTHONPATH": str(src)})
    try:
        assert service.stdout.readline().startswith("READY")  # it holds the lock by now
        assert main(["run", "--resume", "--headless", "--db", str(db)]) == 2
        error = capsys.readouterr().err
        assert f"(pid {service.pid}: trackside run 2x200m @30s r30 --headless --db {db}" in error
        assert error.count("\n") == 1
    finally:
        service.communicate("quit\n", timeout=10)
    assert service.returncode == 0
