"""The athletes and saved groups in the session database, and the fixes made to a session:
what `trackside athletes`, `groups`, `fix` and a group's `run` read and write.

Rules for this module:
  1. One short connection per call, as the reader's; a read never creates the database (an
     empty list instead), a write creates and migrates it (store_schema). A run recording
     into the same database is never in the way: WAL, and a busy timeout.
  2. Removing an athlete takes them off the list and out of the groups; every session they
     ran keeps them, by name and profile.
  3. A name that is not on the list is a UserError that says so and suggests the closest
     one; two athletes on the list never share a name, whatever its case.
  4. A profile that cannot be read (a row edited by hand) is left out, in one line on
     stderr, as a damaged session is. It never blocks its name: adding an athlete of that
     name replaces the profile (the same athlete: their groups and sessions keep them),
     removing it takes it off the list, and anything else it is asked for says both.
"""

from __future__ import annotations

import difflib
import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from trackside.adapters.store_group import GroupRecord, insert_fix
from trackside.adapters.store_rows import utc_text
from trackside.adapters.store_schema import connect, connect_readonly, migrate, schema_version
from trackside.core.athletes import Profile
from trackside.core.errors import UserError
from trackside.core.fixes import Fix, Record, check
from trackside.core.printable import one_line
from trackside.core.problems import first_problem

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 5.0  # a run's writer commits in milliseconds: wait for it, never fail


@dataclass(frozen=True, slots=True)
class Athlete:
    id: int
    profile: Profile

    @property
    def name(self) -> str:
        return self.profile.name


@dataclass(frozen=True, slots=True)
class _Row:
    """An athlete's row on the list, read or damaged (rule 4)."""

    id: int
    name: str
    athlete: Athlete | None  # None: its profile cannot be read
    problem: str = ""  # why not

    def is_called(self, name: str) -> bool:
        return self.name.casefold() == name.strip().casefold()

    @property
    def shown(self) -> str:
        """The name as kept, on one line: a damaged row's was never checked."""
        return one_line(self.name[:20])

    @property
    def repair(self) -> str:
        """What a coach can do about a damaged row (rule 4), in words."""
        return (f"trackside athletes add {self.shown} replaces it, trackside athletes remove "
                f"{self.shown} takes it off the list")


class AthleteBook:
    def __init__(self, path: Path) -> None:
        self.path = path

    # --- athletes ------------------------------------------------------------------

    def athletes(self) -> list[Athlete]:
        """Everyone on the list, by name."""
        with self._reading() as conn:
            rows = [] if conn is None else _rows(conn)
        for row in rows:
            if row.athlete is None:
                log.warning("athlete %s (%s) cannot be read: %s; left out (%s)", row.id,
                            row.shown, row.problem, row.repair)
        found = [row.athlete for row in rows if row.athlete is not None]
        return sorted(found, key=lambda athlete: athlete.name.casefold())

    def find(self, name: str) -> Athlete:
        """The athlete on the list called `name`, whatever its case (rule 3)."""
        with self._reading() as conn:
            row = _named(name, [] if conn is None else _rows(conn))
        if row.athlete is None:
            raise UserError(f"athlete {row.shown} cannot be read ({row.problem}): {row.repair}")
        return row.athlete

    def add(self, profile: Profile) -> int:
        """A new athlete, or one whose profile cannot be read made whole again (rule 4)."""
        with self._writing() as conn:
            damaged = [row for row in _rows(conn)
                       if row.athlete is None and row.is_called(profile.name)]
            self._name_free(conn, profile.name, but=damaged[0].id if damaged else None)
            if damaged:
                log.warning("athlete %s could not be read (%s); replaced with the one given",
                            damaged[0].shown, damaged[0].problem)
                conn.execute("UPDATE athlete SET name = ?, profile_json = ? WHERE id = ?",
                             (profile.name, profile.model_dump_json(), damaged[0].id))
                return damaged[0].id
            cursor = conn.execute("INSERT INTO athlete (name, profile_json) VALUES (?, ?)",
                                  (profile.name, profile.model_dump_json()))
            return int(cursor.lastrowid or 0)

    def update(self, athlete: Athlete, profile: Profile) -> None:
        with self._writing() as conn:
            self._name_free(conn, profile.name, but=athlete.id)
            conn.execute("UPDATE athlete SET name = ?, profile_json = ? WHERE id = ?",
                         (profile.name, profile.model_dump_json(), athlete.id))

    def remove(self, name: str) -> tuple[str, list[str]]:
        """The athlete called `name` (one that cannot be read too, rule 4) off the list and
        out of every group (rule 2); their name as it was kept, and the groups they left."""
        left = []
        with self._writing() as conn:
            row = _named(name, _rows(conn))
            conn.execute("UPDATE athlete SET removed_utc = ? WHERE id = ?",
                         (utc_text(datetime.now(UTC)), row.id))
            for group, members in conn.execute("SELECT name, athletes_json FROM athlete_group"):
                ids = json.loads(members)
                if row.id in ids:
                    left.append(group)
                    conn.execute("UPDATE athlete_group SET athletes_json = ? WHERE name = ?",
                                 (json.dumps([i for i in ids if i != row.id]), group))
        return row.name, left

    # --- groups --------------------------------------------------------------------

    def groups(self) -> list[tuple[str, list[Athlete]]]:
        """Every saved group, by name, with its athletes in start order."""
        everyone = {athlete.id: athlete for athlete in self.athletes()}
        with self._reading() as conn:
            if conn is None:
                return []
            rows = conn.execute("SELECT name, athletes_json FROM athlete_group ORDER BY name")
            return [(name, [everyone[i] for i in json.loads(members) if i in everyone])
                    for name, members in rows]

    def group(self, name: str) -> list[Athlete]:
        for saved, athletes in self.groups():
            if saved.casefold() == name.strip().casefold():
                return athletes
        known = [saved for saved, _ in self.groups()]
        close = difflib.get_close_matches(name.strip(), known, n=1)
        hint = f": did you mean {close[0]}?" if close else ""
        raise UserError(f"no group called {name.strip()[:20]!r}{hint} (trackside groups lists "
                        "them)")

    def save_group(self, name: str, athletes: Sequence[Athlete]) -> None:
        """Save (or replace) the group `name`: `athletes` in start order."""
        with self._writing() as conn:
            conn.execute("DELETE FROM athlete_group WHERE name = ? COLLATE NOCASE", (name,))
            conn.execute("INSERT INTO athlete_group (name, athletes_json) VALUES (?, ?)",
                         (name, json.dumps([athlete.id for athlete in athletes])))

    def remove_group(self, name: str) -> None:
        self.group(name)  # a name that is not there: said, as for an athlete
        with self._writing() as conn:
            conn.execute("DELETE FROM athlete_group WHERE name = ? COLLATE NOCASE", (name,))

    # --- fixes ---------------------------------------------------------------------

    def add_fix(self, session_id: int, group: GroupRecord, fix: Fix) -> tuple[Fix, Record]:
        """Record `fix` to the group's session (core.fixes): a new row, nothing else
        changes; the fix as kept (its id) and the record after it. A fix that cannot be
        made is a ValueError saying why, and nothing is recorded."""
        check(fix, group.record, group.shown_names)
        with self._writing() as conn:
            kept = replace(fix, id=insert_fix(session_id, fix, conn))
        return kept, group.after(kept)

    # --- inside --------------------------------------------------------------------

    @staticmethod
    def _name_free(conn: sqlite3.Connection, name: str, but: int | None = None) -> None:
        for row in _rows(conn):
            if row.is_called(name) and row.id != but:
                how = (row.repair if row.athlete is None
                       else f"trackside athletes edit {row.shown} changes theirs")
                raise UserError(f"there is an athlete called {row.shown} already ({how})")

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        """A read-only connection; None when there is no database or no athlete in it yet."""
        if not self.path.is_file():
            yield None
            return
        try:
            conn = connect_readonly(self.path)
        except sqlite3.Error as exc:
            raise UserError(f"cannot open {self.path}: {exc}") from None
        try:
            yield conn if schema_version(conn) >= 6 else None
        except (sqlite3.DatabaseError, ValidationError, ValueError) as exc:
            raise UserError(f"cannot read {self.path}: {exc}") from None
        finally:
            conn.close()

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = connect(self.path, BUSY_TIMEOUT_S)
        except (OSError, sqlite3.Error) as exc:
            raise UserError(f"cannot open {self.path}: {exc}") from None
        try:
            migrate(conn)
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise UserError(f"cannot write {self.path}: {exc}") from None
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.close()


def _rows(conn: sqlite3.Connection) -> list[_Row]:
    """Every row on the list, each read or said why not (rule 4)."""
    rows = []
    for ident, name, text in conn.execute("SELECT id, name, profile_json FROM athlete"
                                          " WHERE removed_utc IS NULL"):
        try:
            rows.append(_Row(ident, name, Athlete(ident, Profile.model_validate_json(text))))
        except (ValidationError, ValueError) as exc:  # edited by hand, or older limits
            problem = first_problem(exc) if isinstance(exc, ValidationError) else None
            why = (str(exc) if problem is None else
                   f"{problem.key}: {problem.message}" if problem.key else problem.message)
            rows.append(_Row(ident, name, None, why))
    return rows


def _named(name: str, rows: Sequence[_Row]) -> _Row:
    """The row called `name`, whatever its case; else a UserError with the closest name."""
    for row in rows:
        if row.is_called(name):
            return row
    close = difflib.get_close_matches(name.strip(), [row.shown for row in rows], n=1)
    hint = f": did you mean {close[0]}?" if close else ""
    raise UserError(f"no athlete called {name.strip()[:20]!r}{hint} (trackside athletes "
                    "lists them; add one with trackside athletes add NAME)")
