"""An Activity as a FIT activity file, as Garmin's activity profile lays one out.

Rules for this module:
  1. Messages in time order: File ID, Device Info, the timer's start, then a Record every
     whole second while the timer runs (time and distance so far) with each Lap at its
     end, the timer's stops and starts around an interruption, and last the Session
     (running, track) and the Activity.
  2. A rep's lap holds the rep's time rounded *up* to the millisecond, FIT's resolution:
     never shorter than measured, so its hundredths read as Trackside shows them
     (`core.precision`). A beam's stamp can be finer (0.1 ms); the last digit is lost.
  3. Wall-clock times come from the session's wall-clock anchor, and the anchor's source
     is written beside them (a developer field `clock_source` on the Session).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from garmin_fit_sdk import FIT_EPOCH_S

from trackside import __version__
from trackside.core.activity import Activity, Lap, LapKind
from trackside.core.events import Source
from trackside.core.wall_anchor import WallAnchor
from trackside.formats.fit_file import FitWriter

_TRIGGER = {Source.BEAM: "position_lap", Source.BUTTON: "manual", Source.REMOTE: "manual",
            Source.KEYBOARD: "manual", Source.TIME: "time"}
_INTENSITY = {LapKind.REP: "active", LapKind.REST: "rest", LapKind.SET_BREAK: "rest"}
_NOISE_MS = 1e-6  # float noise must not round 20.000000000000004 s up to 20.001


def activity_file(activity: Activity, anchor: WallAnchor) -> bytes:
    start, end = anchor.wall_at(activity.start_s), anchor.wall_at(activity.end_s)
    writer = FitWriter("activity", start, fields=("clock_source",))
    writer.write("device_info", {
        "timestamp": start, "device_index": "creator", "manufacturer": "development",
        "product": 0, "product_name": f"Trackside {__version__}", "source_type": "local"})
    timeline: list[tuple[float, int, str, dict]] = []  # (time, order at that time, message)
    timeline.append((activity.start_s, 0, "event", _timer(start, "start")))
    for stop, again in activity.stops:
        timeline.append((stop, 3, "event", _timer(anchor.wall_at(stop), "stop_all")))
        timeline.append((again, 0, "event", _timer(anchor.wall_at(again), "start")))
    last = math.floor(end.timestamp())
    for second in range(math.floor(start.timestamp()), last + 1):
        wall = datetime.fromtimestamp(second, start.tzinfo)
        # FIT stamps whole seconds: the first record is the start, the last the finish
        at = activity.end_s if second == last else max(anchor.mono_at(wall), activity.start_s)
        if activity.running(at):
            timeline.append((at, 1, "record", {
                "timestamp": wall, "distance": activity.distance_at(at)}))
    for number, lap in enumerate(activity.laps):
        timeline.append((lap.end_s, 2, "lap", _lap(lap, number, anchor)))
    timeline.append((activity.end_s, 4, "event", _timer(end, "stop_all")))
    for _, _, message, fields in sorted(timeline, key=lambda item: item[:2]):
        writer.write(message, fields)
    elapsed = activity.end_s - activity.start_s
    timer = elapsed - sum(again - stop for stop, again in activity.stops)
    totals = {"timestamp": end, "start_time": start, "total_elapsed_time": _ms(elapsed),
              "total_timer_time": _ms(timer), "total_distance": activity.distance_m,
              "avg_speed": _speed(activity.distance_m, timer)}
    writer.write("session", {
        **totals, "message_index": 0, "sport": "running", "sub_sport": "track",
        "first_lap_index": 0, "num_laps": len(activity.laps), "event": "session",
        "event_type": "stop", "trigger": "activity_end",
        "developer_fields": {"clock_source": anchor.source.value}})
    writer.write("activity", {
        "timestamp": end, "total_timer_time": _ms(timer), "num_sessions": 1, "type": "manual",
        "event": "activity", "event_type": "stop", "local_timestamp": _local(end)})
    return writer.close()


def _lap(lap: Lap, number: int, anchor: WallAnchor) -> dict:
    rep = lap.kind is LapKind.REP
    if rep:
        trigger = _TRIGGER[lap.ended_by or Source.BUTTON]
    else:
        trigger = "time" if lap.kind is LapKind.REST else "manual"  # a set break: a press
    return {"message_index": number, "timestamp": anchor.wall_at(lap.end_s),
            "start_time": anchor.wall_at(lap.start_s), "event": "lap", "event_type": "stop",
            "total_elapsed_time": _ms(lap.elapsed_s, up=rep),
            "total_timer_time": _ms(lap.timer_s, up=rep), "total_distance": lap.distance_m,
            "avg_speed": _speed(lap.distance_m, lap.timer_s), "intensity": _INTENSITY[lap.kind],
            "lap_trigger": trigger, "sport": "running", "sub_sport": "track"}


def _timer(wall: datetime, event_type: str) -> dict:
    return {"timestamp": wall, "event": "timer", "event_type": event_type,
            "timer_trigger": "manual"}


def _ms(seconds: float, up: bool = False) -> float:
    """Seconds that the SDK stores as whole ms: rounded up for a rep, else to the nearest."""
    ms = math.ceil(seconds * 1000 - _NOISE_MS) if up else round(seconds * 1000)
    return ms / 1000


def _speed(metres: float, seconds: float) -> float | None:
    return metres / seconds if metres > 0 and seconds > 0 else None


def _local(wall: datetime) -> int | None:
    """FIT's local_timestamp (local seconds since FIT's epoch), when the wall clock's UTC
    offset is known: a UTC time may be the Pi's own zone or only a placeholder for it."""
    offset = wall.utcoffset() or timedelta()
    if not offset:
        return None
    return math.floor(wall.timestamp() + offset.total_seconds()) - FIT_EPOCH_S

