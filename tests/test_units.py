import pytest

from trackside.core.units import (
    format_distance,
    format_duration,
    format_pace,
    parse_distance,
    parse_duration,
    parse_pace,
    parse_speed,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("75", 75), ("75s", 75), ("1:15", 75), ("2min", 120), ("1:02:03", 3723), ("12.5s", 12.5)],
)
def test_durations_read_as_coaches_write_them(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(("text", "metres"), [("400m", 400), ("1.2km", 1200), ("1mi", 1609.344)])
def test_distances(text: str, metres: float) -> None:
    assert parse_distance(text) == pytest.approx(metres)


def test_a_pace_of_4_55_per_km_is_118_seconds_per_400m() -> None:
    assert parse_pace("4:55/km") * 400 == pytest.approx(118.0)
    assert parse_pace("12.5s/100m") * 400 == pytest.approx(50.0)
    assert parse_pace("7:50/mi") * 1609.344 == pytest.approx(470.0)


@pytest.mark.parametrize("text", ["4:75/km", "fast", "0:00/km", "1:60"])
def test_impossible_times_are_refused_with_the_text_quoted(text: str) -> None:
    with pytest.raises(ValueError, match=text.split("/")[0]):
        parse_pace(text) if "/" in text else parse_duration(text)


def test_reference_speed_as_metres_per_second_or_pace() -> None:
    assert parse_speed("8m/s") == 8.0
    assert parse_speed("12.5s/100m") == pytest.approx(8.0)


def test_formatting_truncates_and_drops_needless_parts() -> None:
    assert format_duration(90) == "1:30"
    assert format_duration(59.96, 1) == "59.9"
    assert format_duration(45.25, 2) == "45.25"
    assert format_duration(3725) == "1:02:05"
    assert format_distance(1200) == "1.2 km"
    assert format_distance(400) == "400 m"
    assert format_pace(parse_pace("4:55/km")) == "4:55/km"
