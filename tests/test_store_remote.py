"""A phone's commands are kept like the button's: recorded, read back, exported as JSON, and
said in the event log."""

import io
import json
from pathlib import Path

from store_support import open_store, started

from trackside.adapters.eventlog import EventLog
from trackside.core.events import Command, Commanded, Source
from trackside.session_files import as_json


def test_a_phone_command_is_saved_read_back_and_exported(tmp_path: Path) -> None:
    command = Commanded(12.5, Command.HOLD, Source.REMOTE)
    with open_store(tmp_path / "trackside.db") as store:
        handle, _ = started(store, "distance")
        store.record_input(handle, command, 12_500_000_000)
        assert store.flush() and store.problem is None  # saving goes on
        session = store.export(handle.id)
    assert [logged.item for logged in session.inputs] == [command]
    exported = json.loads(json.dumps(as_json(session)))["inputs"][0]
    assert (exported["kind"], exported["command"], exported["source"]) == (
        "Commanded", "hold", "remote")


def test_the_event_log_says_what_a_phone_commanded() -> None:
    stream = io.BytesIO()
    EventLog(stream.write).input(Commanded(2.5, Command.PRESS, Source.REMOTE))
    assert json.loads(stream.getvalue()) == {"type": "command", "mono_ns": 2_500_000_000,
                                             "command": "press", "source": "remote"}
