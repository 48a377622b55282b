"""What a phone is sent of a group: its part of the live state (the finishers as they come,
the calls, CHECK ORDER) and a session's record for fixing (the table after the fixes, the
finishes not seen, the marks, the fixes made).

Rules for this module:
  1. Pure: a View or a session as read in, JSON-ready dicts out, in the big screen's and
     `trackside fix`'s words (core.group_readout, core.fix_words).
  2. A mark and a fix carry the id `trackside fix` calls them by, so a phone's fix is the
     same fix.
"""

from __future__ import annotations

from typing import Any

from trackside.adapters.store_group import GroupRecord
from trackside.core.fix_words import NO_ONES, fix_words, mark_line, rep_labels
from trackside.core.fixes import active
from trackside.core.group_readout import GroupLines, how_they_start, rep_table
from trackside.web.summary_state import table_data, timed_data


def group_live(lines: GroupLines) -> dict[str, Any]:
    """The finishers (newest first), who goes next or just went, CHECK ORDER."""
    return {"call": lines.call, "check": lines.check, "clock_name": lines.clock_name,
            "finishers": [{"name": line.name, "rep": line.rep, **timed_data(line.timed)}
                          for line in lines.finishers]}


def record_data(session_id: int, plan_name: str, group: GroupRecord) -> dict[str, Any]:
    """A group session's record after its fixes, for fixing (rule 2)."""
    assert group.settings is not None
    record = group.record
    names, reps = group.shown_names, group.athletes[0].schedule.reps
    labels = rep_labels(reps)
    standing = {fix.id for fix in active(group.fixes)}
    return {
        "session": session_id,
        "plan": plan_name,
        "athletes": names,
        "start": how_they_start(group.settings),
        "table": table_data(rep_table(names, record.reps, record.missed, reps)),
        "not_seen": [f"{names[missed.athlete]} in rep {labels[missed.index]}"
                     for missed in record.missed],
        "marks": [{"id": mark.id, "line": mark_line(mark, record, names, labels).strip(),
                   "no_ones": mark.judged.role in NO_ONES} for mark in record.marks],
        "fixes": [{"id": fix.id, "made_by": fix.made_by, "made_utc": fix.made_utc,
                   "said": fix_words(fix, names, labels), "standing": fix.id in standing}
                  for fix in group.fixes],
    }
