"""PLAN is a TOML file, a built-in plan or the notation; each mistake is one line saying where."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from trackside.core.errors import UserError
from trackside.core.schedule import expand
from trackside.plan_source import builtin_plans, load_plan, plan_from_toml, read_plan

SAME_WORKOUTS = [
    (
        "4x400m @75s r60",
        """
        [[blocks]]
        reps = 4
        distance = "400m"
        target = "75s"
        rest = 60
        """,
    ),
    (
        "wu15:00; 3x(4x400m @4:55/km r60,45,30) sb3:00-4:00; cd10:00",
        """
        warmup = "15:00"
        cooldown = 600

        [[blocks]]
        sets = 3
        reps = 4
        distance = "400m"
        target = "4:55/km"
        rest = [60, 45, 30]
        set_break = "3:00-4:00"
        """,
    ),
    (
        "4x400m @4:55/km r2:00; 2x400m @4:55/km +100m @max r2:00",
        """
        [[blocks]]
        reps = 4
        distance = "400m"
        target = "4:55/km"
        rest = "2:00"

        [[blocks]]
        reps = 2
        rest = 120
        segments = [
            { distance = "400m", target = "4:55/km" },
            { distance = "100m", target = "max" },
        ]
        """,
    ),
    (
        "4x10 squat @80% r2:00 sb3:00; 3x10m bounds @max r90 c1",
        """
        [[blocks]]
        reps = 4
        count = 10
        label = "squat"
        target = "80%"
        rest = "2:00"
        set_break = { low = 180 }

        [[blocks]]
        reps = 3
        crossings = 1
        rest = 90

        [[blocks.segments]]
        distance = "10m"
        label = "bounds"
        target = "max"
        """,
    ),
    ("8x30s r30", '[[blocks]]\nreps = 8\nduration = "30s"\nrest = "30s"'),
    ("400m @50s sp100m", '[[blocks]]\nreps = 1\ndistance = "400m"\ntarget = "50s"\nsplits = 100'),
]


@pytest.mark.parametrize(("notation", "toml"), SAME_WORKOUTS)
def test_notation_and_toml_give_the_same_model_for_the_same_workout(
    notation: str, toml: str
) -> None:
    from_toml = plan_from_toml(f"name = {notation!r}\n" + textwrap.dedent(toml), "same.toml")
    assert load_plan(notation) == from_toml


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "myplan.toml"
    path.write_text(textwrap.dedent(text).lstrip())
    return str(path)


BAD_FILES = [
    (  # the example from the brief: the rest list is on line 7
        """
        name = "descending"
        warmup = "15:00"

        [[blocks]]
        reps = 4
        distance = "400m"
        rest = [60, 45]
        """,
        "line 7, blocks[0].rest: 4 reps have 3 gaps but the list has 2 values",
    ),
    (
        """
        [[blocks]]
        reps = 0
        distance = "400m"
        """,
        "line 2, blocks[0].reps: must be more than 0 (got 0)",
    ),
    (
        """
        [[blocks]]
        reps = 4
        distance = "400m"
        rest = -60
        """,
        "line 4, blocks[0].rest: must be 0 or more (got -60)",
    ),
    (
        """
        [[blocks]]
        reps = 4
        distance = "400m"
        target = "4:75/km"
        rest = 60
        """,
        "line 4, blocks[0].target: '4:75/km' is not a pace: seconds must be below 60",
    ),
    (
        """
        [[blocks]]
        reps = 4
        distance = "400m"
        rests = 60
        """,
        "line 4, blocks[0].rests: unknown key; did you mean 'rest'?",
    ),
    (
        """
        name = "x"
        warm_up = "15:00"
        [[blocks]]
        reps = 1
        distance = "400m"
        """,
        "line 2, warm_up: unknown key; did you mean 'warmup'?",
    ),
    (
        """
        [[blocks]]
        reps = 2
        rest = [60, -45]

        [[blocks.segments]]
        distance = "400m"
        [[blocks.segments]]
        distance = "100m"
        target = "pace"
        """,
        "line 3, blocks[0].rest[1]: must be 0 or more (got -45)",
    ),
    (
        """
        [[blocks]]
        reps = 1
        [[blocks.segments]]
        distance = "400m"
        [[blocks.segments]]
        distance = "100m"
        target = "pace"
        """,
        "line 7, blocks[0].segments[1].target: 'pace' needs the athlete's race pace",
    ),
    ('name = "x"\n', "blocks: missing"),
    (
        """
        [[blocks]]
        reps = 4
        distance = "400m"
        rest = 60
        target = "fast
        """,
        "line 5, column 15: illegal character",
    ),
]


@pytest.mark.parametrize(("text", "where"), BAD_FILES)
def test_a_bad_file_names_the_line_and_key(tmp_path: Path, text: str, where: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(UserError) as caught:
        load_plan(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, {where}")
    assert "\n" not in message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such plan file"):
        load_plan(str(tmp_path / "nope.toml"))


def test_a_plan_file_without_a_name_is_named_after_the_file(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path, '[[blocks]]\nreps = 1\ndistance = "1mi"'))
    assert plan.name == "myplan"


def test_a_typo_in_a_built_in_name_suggests_the_closest() -> None:
    with pytest.raises(UserError) as caught:
        load_plan("hard-kick-50")
    assert str(caught.value) == (
        "plan 'hard-kick-50' is not a built-in plan: did you mean 'hard-kick-500'? "
        "(see trackside plans)"
    )


def test_a_word_that_is_nothing_says_what_a_plan_can_be() -> None:
    with pytest.raises(UserError, match="not a file, a built-in plan .* or a notation"):
        load_plan("zzzz")


def test_the_athletes_pace_and_speed_replace_the_plans() -> None:
    default = expand(load_plan("hard-kick-500"))
    faster = expand(load_plan("hard-kick-500", pace="4:00/km"))
    assert default.reps[0].target_s == pytest.approx(118.0)
    assert faster.reps[0].target_s == pytest.approx(96.0)
    sprinter = expand(load_plan("cadence-400-600", max_speed="10m/s"))
    assert sprinter.reps[0].legs[0].target_range_s == pytest.approx((400 / 9.5, 400 / 8.0))


def test_a_notation_that_needs_a_pace_takes_it_from_the_option() -> None:
    plan = load_plan("4x400m @pace r60", pace="5:00/km")
    assert expand(plan).reps[0].target_s == pytest.approx(120.0)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"pace": "4:75/km"}, "--pace: '4:75/km' is not a pace"),
        ({"max_speed": "fast"}, "--max-speed: 'fast' is not a speed"),
    ],
)
def test_a_bad_reference_names_its_option(options: dict, message: str) -> None:
    with pytest.raises(UserError, match=message):
        load_plan("sub-50-400", **options)


BUILT_INS = [name for name, _ in builtin_plans()]


def test_the_library_has_the_plans_the_issue_asks_for() -> None:
    assert {
        "descending-400s",
        "hard-kick-500",
        "hard-kick-250",
        "cadence-400-600",
        "sub-50-400",
        "sprint-strength",
    } <= set(BUILT_INS)
    assert all(0 < len(description) <= 100 for _, description in builtin_plans())


@pytest.mark.parametrize("name", BUILT_INS)
def test_every_built_in_validates_under_its_own_name(name: str) -> None:
    plan = load_plan(name)
    schedule = expand(plan)
    assert plan.name == name
    assert schedule.reps
    assert schedule.estimated_total_s > 0


def test_hard_kick_500_is_four_400s_then_two_400s_with_a_sprint() -> None:
    schedule = expand(load_plan("hard-kick-500"))
    assert [rep.distance_m for rep in schedule.reps] == [400] * 4 + [500] * 2
    assert [rep.target_s for rep in schedule.reps[:4]] == [pytest.approx(118.0)] * 4
    assert [leg.max_effort for leg in schedule.reps[-1].legs] == [False, True]


def test_sub_50_beeps_every_100_m_at_12_5_s() -> None:
    (rep,) = expand(load_plan("sub-50-400")).reps
    assert rep.target_s == pytest.approx(50.0)
    assert rep.split_times_s == pytest.approx((12.5, 25.0, 37.5))


def test_a_plan_file_warns_about_what_it_will_never_use(tmp_path: Path) -> None:
    path = write(tmp_path, """
        pace = "4:00/km"
        [[blocks]]
        reps = 1
        distance = "400m"
        target = "75s"
        rest = 60
        """)
    assert read_plan(path).warnings == (
        f"{path}, line 1, pace: never used: no target is the race pace (@pace)",
        f"{path}, line 6, blocks[0].rest: never used: the rep before it is followed by the end",
    )
    assert read_plan(path, pace="4:30/km").warnings[0].endswith("the end")  # given to override


@pytest.mark.parametrize("name", BUILT_INS)
def test_a_built_in_plan_uses_everything_it_says(name: str) -> None:
    assert read_plan(name).warnings == ()
