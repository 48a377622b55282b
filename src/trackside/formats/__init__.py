"""Files other tools read and write: FIT activities and workouts (Garmin's FIT SDK).

The pure parts (a plan as workout steps and back, intervals.icu workout text, a session as
an activity's laps) live in `trackside.core`; these modules only encode and decode bytes.
garmin-fit-sdk is imported here and nowhere else, and only by the commands that use it.
"""
