"""The files a coach takes away, for reps the fixtures of the CLI tests do not have."""

import csv
import io
from pathlib import Path

from store_support import athlete_reps, open_store

from trackside.adapters.store import NewSession
from trackside.core.plan import Plan
from trackside.core.schedule import expand
from trackside.session_files import as_csv


def test_a_long_reps_splits_keep_every_digit_with_their_distances(tmp_path: Path) -> None:
    plan = Plan.model_validate({"name": "10k", "blocks": [
        {"reps": 1, "distance": "10km", "target": "38:00", "label": "tempo"}]})
    schedule = expand(plan)
    [rep] = athlete_reps(schedule)
    with open_store(tmp_path / "t.db") as store:
        session = store.start_session(NewSession.of("10k.toml", plan, schedule), 0.0)
        store.record_rep(session, rep)
        store.flush()
        [row] = csv.DictReader(io.StringIO(as_csv(store.export(session.id))))
    splits = row["splits"].split(";")
    assert len(splits) == 24 and splits[0] == "400m=91.192"  # every lap to the finish line
    assert splits[-1] == "9600m=2188.608"
    assert (row["label"], row["distance_m"], row["time_s"], row["pace_per_km"]) == (
        "tempo", "10000.0", "2279.8", "3:48/km")
