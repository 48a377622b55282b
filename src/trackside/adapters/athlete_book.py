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
     stderr, as a damaged session is.
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


class AthleteBook:
    def __init__(self, path: Path) -> None:
        self.path = path

    # --- athletes ------------------------------------------------------------------

    def athletes(self) -> list[Athlete]:
        """Everyone on the list, by name."""
        with self._reading() as conn:
            if conn is None:
                return []
            rows = conn.execute("SELECT id, name, profile_json FROM athlete"
                                " WHERE removed_utc IS NULL").fetchall()
        found = []
        for ident, name, text in rows:
            try:
                found.append(Athlete(ident, Profile.model_validate_json(text)))
            except (ValidationError, ValueError) as exc:  # edited by hand, or older limits
                why = first_problem(exc).message if isinstance(exc, ValidationError) else exc
                log.warning("athlete %s (%.20s) cannot be read: %s; left out", ident, name, why)
        return sorted(found, key=lambda athlete: athlete.name.casefold())

    def find(self, name: str) -> Athlete:
        """The athlete on the list called `name`, whatever its case (rule 3)."""
        everyone = self.athletes()
        for athlete in everyone:
            if athlete.name.casefold() == name.strip().casefold():
                return athlete
        names = [athlete.name for athlete in everyone]
        close = difflib.get_close_matches(name.strip(), names, n=1)
        hint = f": did you mean {close[0]}?" if close else ""
        raise UserError(f"no athlete called {name.strip()[:20]!r}{hint} (trackside athletes "
                        "lists them; add one with trackside athletes add NAME)")

    def add(self, profile: Profile) -> int:
        with self._writing() as conn:
            self._name_free(conn, profile.name)
            cursor = conn.execute("INSERT INTO athlete (name, profile_json) VALUES (?, ?)",
                                  (profile.name, profile.model_dump_json()))
            return int(cursor.lastrowid or 0)

    def update(self, athlete: Athlete, profile: Profile) -> None:
        with self._writing() as conn:
            self._name_free(conn, profile.name, but=athlete.id)
            conn.execute("UPDATE athlete SET name = ?, profile_json = ? WHERE id = ?",
                         (profile.name, profile.model_dump_json(), athlete.id))

    def remove(self, athlete: Athlete) -> list[str]:
        """Off the list and out of every group (rule 2); the groups they left."""
        left = []
        with self._writing() as conn:
            conn.execute("UPDATE athlete SET removed_utc = ? WHERE id = ?",
                         (utc_text(datetime.now(UTC)), athlete.id))
            for name, members in conn.execute("SELECT name, athletes_json FROM athlete_group"):
                ids = json.loads(members)
                if athlete.id in ids:
                    left.append(name)
                    conn.execute("UPDATE athlete_group SET athletes_json = ? WHERE name = ?",
                                 (json.dumps([i for i in ids if i != athlete.id]), name))
        return left

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
        for ident, taken in conn.execute("SELECT id, name FROM athlete WHERE removed_utc IS NULL"):
            if taken.casefold() == name.casefold() and ident != but:
                raise UserError(f"there is an athlete called {taken} already (trackside "
                                f"athletes edit {taken} changes theirs)")

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

