"""Race targets: '@5k', '@hm' and the others at the athlete's own race pace, a missing race
worked out by Riegel's formula, every race time checked."""

from datetime import UTC, datetime

import pytest

from trackside.core.athletes import Profile, reference_lines
from trackside.core.errors import UserError
from trackside.core.plan import Plan
from trackside.core.plan_as_workout import workout_of
from trackside.core.races import RACES, RaceTime, race_time, riegel_s
from trackside.core.schedule import expand
from trackside.core.workout_as_plan import plan_of
from trackside.formats.fit_workout import read_workout, workout_file
from trackside.plan_source import load_plan


def test_riegels_formula_scales_a_time_by_the_distance_to_the_power_1_06() -> None:
    assert riegel_s(1200.0, 5000, 10_000) == pytest.approx(1200.0 * 2**1.06)


def test_a_race_the_athlete_has_run_is_theirs_and_a_missing_one_comes_from_the_nearest() -> None:
    times = (("5k", 1200.0), ("marathon", 12_000.0))
    assert race_time(times, "5k") == RaceTime(RACES["5k"], 1200.0)
    ten = race_time(times, "10k")
    assert ten is not None and ten.derived_from == RaceTime(RACES["5k"], 1200.0)
    assert ten.seconds == pytest.approx(riegel_s(1200.0, 5000, 10_000))
    assert str(ten) == "10K 41:41 (4:10/km), from the 5K 20:00 by Riegel"
    assert race_time((), "5k") is None


@pytest.mark.parametrize(("target", "seconds"), [
    ("5k", 96.0),  # 20:00 for 5K: 4:00/km, 96 s a 400
    ("hm", 400 * riegel_s(1200.0, 5000, 21_097.5) / 21_097.5),
    ("half", 400 * riegel_s(1200.0, 5000, 21_097.5) / 21_097.5),
    ("mile", 400 * riegel_s(1200.0, 5000, 1609.344) / 1609.344),
])
def test_a_race_target_is_the_athletes_pace_for_that_race(target: str, seconds: float) -> None:
    plan = load_plan(f"4x400m @{target} r60", athlete=Profile(name="Ana", races=(("5k", 1200.0),)))
    assert expand(plan).reps[0].target_s == pytest.approx(seconds)


def test_a_race_target_without_race_times_says_what_it_needs() -> None:
    with pytest.raises(UserError, match="'10k' needs the athlete's race times"):
        load_plan("4x400m @10k r60")


@pytest.mark.parametrize(("races", "message"), [
    ({"5k": "9:00"}, "5K in 9:00.0 is faster than the world record"),
    ({"10k": "14:00:00"}, "slower than 60:00/km"),
    ({"15k": "50:00"}, "'15k' is not a race"),
])
def test_a_race_time_no_one_runs_is_refused(races: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Profile.model_validate({"name": "Ana", "races": races})


def test_show_says_whose_each_target_is_and_which_was_worked_out() -> None:
    athlete = Profile(name="Ana", races=(("5k", 1200.0),), pace=0.25)
    plan = load_plan("4x400m @hm r60; 4x400m @5k r60; 400m @pace", athlete=athlete)
    assert reference_lines(plan, athlete) == [
        "@pace: Ana's race pace 4:10/km",
        "@5k: Ana's 5K 20:00 (4:00/km)",
        "@hm: Ana's half marathon 1:32:00 (4:22/km), from the 5K 20:00 by Riegel",
    ]


def test_a_plan_with_race_times_goes_to_a_watch_and_back_the_same() -> None:
    plan = Plan.model_validate({"name": "r", "races": {"5k": "21:30"}, "blocks": [
        {"reps": 2, "distance": "400m", "target": "hm", "rest": 60}]})
    data, _ = workout_file(workout_of(plan), datetime(2026, 5, 2, tzinfo=UTC))
    back, _ = plan_of(read_workout(data, "r.fit")[0], "r.fit")
    assert expand(back).reps == expand(plan).reps
