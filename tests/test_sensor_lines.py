import pytest
from hypothesis import given
from hypothesis import strategies as st

from trackside.core.errors import UserError
from trackside.core.sensor_lines import (
    AlgeChannel,
    Crossed,
    Heartbeat,
    Noise,
    build_protocol,
    decode,
)

ALGE = build_protocol("alge")


def read(protocol, raw: bytes):
    text, noise = decode(raw)
    return noise or protocol.parse(text)


# --- line -------------------------------------------------------------------------------


def test_any_line_is_a_crossing_for_the_simplest_hobby_sensor() -> None:
    assert read(build_protocol("line"), b"BEAM") == Crossed()
    assert read(build_protocol("line"), b"1") == Crossed()


def test_a_pattern_keeps_only_the_lines_it_matches() -> None:
    protocol = build_protocol("line", pattern=r"^BRK\b")
    assert read(protocol, b"BRK 123") == Crossed()
    assert read(protocol, b"ready") == Noise("does not match the pattern '^BRK\\\\b'")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty line"),
        (b"   ", "empty line"),
        (b"\xff\xfeBEAM", "invalid UTF-8 (wrong baud rate?)"),
        (b"\x00\x13BEAM", "control characters (wrong baud rate?)"),
    ],
)
def test_garbage_is_noise_never_a_crossing(raw: bytes, reason: str) -> None:
    for name in ("line", "stamped", "alge"):
        assert read(build_protocol(name), raw) == Noise(reason)


def test_invalid_utf8_is_kept_readable_for_the_event_log() -> None:
    assert decode(b"BE\xffAM")[0] == "BE\ufffdAM"


# --- stamped ----------------------------------------------------------------------------


def test_a_stamped_line_carries_the_sensors_microseconds() -> None:
    stamped = build_protocol("stamped")
    assert read(stamped, b"T 123456789") == Crossed(123.456789)
    assert read(stamped, b"t 4294967295 2") == Crossed(4294.967295)
    assert read(stamped, b"H 1000000") == Heartbeat(1.0)


def test_a_64_bit_counter_is_welcome() -> None:
    assert read(build_protocol("stamped"), b"T 18446744073709551615") == Crossed(
        18446744073709.551615
    )


def test_only_the_chosen_beams_count_but_the_others_still_carry_the_time() -> None:
    stamped = build_protocol("stamped", channels="2")
    assert read(stamped, b"T 5000000 2") == Crossed(5.0)
    assert read(stamped, b"T 5000000") == Noise("beam 1 is not a crossing beam", 5.0)


@pytest.mark.parametrize("raw", [b"T", b"T -5", b"T 12.5", b"X 100", b"T 1 2 3", b"BEAM"])
def test_anything_else_on_a_stamped_port_is_noise(raw: bytes) -> None:
    assert isinstance(read(build_protocol("stamped"), raw), Noise)


# --- ALGE Timy --------------------------------------------------------------------------


def hms(h: int, m: int, s: float) -> float:
    return h * 3600 + m * 60 + s


def test_the_manuals_finish_impulse_is_a_crossing_at_the_timys_time_of_day() -> None:
    reading = read(ALGE, b" 0005 c1 15:43:51,6464 00")
    assert reading == Crossed(pytest.approx(hms(15, 43, 51.6464)))


def test_a_start_impulse_is_not_a_crossing_by_default_but_still_carries_the_time() -> None:
    reading = read(ALGE, b" 0001 c0 15:43:49,8863 00")
    start = pytest.approx(hms(15, 43, 49.8863))
    assert reading == Noise("channel c0 is not a crossing channel", start)


def test_a_time_recalled_from_memory_is_never_a_new_crossing() -> None:
    reading = read(ALGE, b"m 0008 c1 15:44:00,2849 00")
    assert reading == Noise("a time from the Timy's memory, not a live impulse")


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        (b"0002 C1 10:27:28.4172 00", hms(10, 27, 28.4172)),  # TrackTimer: capitals, a point
        (b"  0051 C1  08:44:20.1228 00", hms(8, 44, 20.1228)),  # padded columns
        (b"?0003 c1 10:27:28.4172", hms(10, 27, 28.4172)),  # no valid start number, no group
        (b" 0004 c1 10:27:28.4172 00 0001", hms(10, 27, 28.4172)),  # group and rank
        (b" 0004 c1 10:27:28.4172 00 0001 3F", hms(10, 27, 28.4172)),  # and a checksum
        (b" 0004 c1 10:27:28.4", hms(10, 27, 28.4)),  # tenths only
        (b" 0004 c1 10:27:28:4172 00", hms(10, 27, 28.4172)),  # PC-Timer manual's SS:zhtq
        (b"c1 23:59:59.9999", hms(23, 59, 59.9999)),  # no start number at all
    ],
)
def test_timy_lines_in_every_layout_seen_are_crossings(raw: bytes, seconds: float) -> None:
    assert read(ALGE, raw) == Crossed(pytest.approx(seconds))


def test_a_keypad_impulse_counts_only_when_its_channel_is_chosen() -> None:
    line = b" 0009 c1M 12:00:01.23 00"
    pressed = pytest.approx(hms(12, 0, 1.23))
    assert read(ALGE, line) == Noise("channel c1M is not a crossing channel", pressed)
    keypad_too = build_protocol("alge", channels="c1,c1M")
    assert read(keypad_too, line) == Crossed(pytest.approx(hms(12, 0, 1.23)))


def test_channels_come_as_a_list_from_the_config_or_comma_separated_from_the_command_line() -> None:
    from_config = build_protocol("alge", channels=("c1", "c1M"))
    assert from_config == build_protocol("alge", channels="c1,c1M")
    assert build_protocol("stamped", channels=["1", "2"]).beams == frozenset({1, 2})


def test_a_loop_course_can_count_start_and_finish_and_every_split() -> None:
    every = build_protocol("alge", channels="c0-c8")
    assert every.channels == frozenset(AlgeChannel(n) for n in range(9))
    assert isinstance(read(every, b" 0001 c0 15:43:49,8863 00"), Crossed)
    assert isinstance(read(every, b" 0001 c7 15:43:49,8863 00"), Crossed)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"c 0008 c1 15:44:00,2849 00", "a time cleared on the Timy, not a live impulse"),
        (b"d 0008 c1 15:44:00,2849 00", "a disqualification, not a live impulse"),
        (b" 0008 c1 25:44:00,2849 00", "not a time of day: '25:44:00,2849'"),
        (b" 0008 c9 15:44:00,2849 00", "not an ALGE time line"),
        (b"ALGE TIMING", "not an ALGE time line"),
    ],
)
def test_other_timy_output_is_noise_with_a_reason(raw: bytes, reason: str) -> None:
    assert read(ALGE, raw) == Noise(reason)


def test_pc_timers_running_time_may_only_confirm_the_timys_clock() -> None:
    """Sent ten times a second to the tenth: probably its time of day, never a crossing."""
    assert read(ALGE, b"15:43:52.1") == Heartbeat(15 * 3600 + 43 * 60 + 52.1,
                                                  confirms_only=True)
    assert read(ALGE, b"00:00:07.3") == Heartbeat(7.3, confirms_only=True)


def test_each_protocol_bounds_its_sensors_drift_and_the_config_may_say_otherwise() -> None:
    assert build_protocol("stamped").max_drift == 0.005  # an Arduino's resonator
    assert build_protocol("alge").max_drift == 50e-6  # a quartz, against the Pi's own crystal
    assert build_protocol("stamped", max_drift_ppm=100).max_drift == pytest.approx(100e-6)
    assert build_protocol("alge", max_drift_ppm=5, channels="c0").max_drift == pytest.approx(5e-6)


# --- settings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("morse", {}, "unknown protocol 'morse'"),
        ("line", {"pattern": "(["}, "not a regular expression"),
        ("alge", {"pattern": "x"}, "only the line protocol takes a pattern"),
        ("line", {"channels": "c1"}, "the line protocol has no channels"),
        ("alge", {"channels": "c9"}, "'c9' is not an ALGE channel"),
        ("alge", {"channels": "c3-c1"}, "'c3-c1' is not an ALGE channel"),
        ("stamped", {"channels": "one"}, "not a list of beam numbers"),
        ("stamped", {"channels": ("1", "x")}, "not a list of beam numbers"),
        ("line", {"max_drift_ppm": 50}, "max_drift_ppm: the line protocol carries no sensor"),
        ("alge", {"max_drift_ppm": 0}, "max_drift_ppm: 0 is not a clock's drift"),
        ("stamped", {"max_drift_ppm": 2e5}, "max_drift_ppm: 200000 is not a clock's drift"),
    ],
)
def test_bad_settings_are_refused_once_with_the_setting_named(
    name: str, options: dict[str, object], message: str
) -> None:
    with pytest.raises(UserError, match=message):
        build_protocol(name, **options)


# --- whatever arrives -------------------------------------------------------------------


@given(st.binary(max_size=300))
def test_no_protocol_ever_raises_on_arbitrary_bytes(raw: bytes) -> None:
    for protocol in (
        build_protocol("line", pattern="B"),
        build_protocol("stamped", channels="1"),
        ALGE,
    ):
        assert isinstance(read(protocol, raw), Crossed | Heartbeat | Noise)


@given(st.text(max_size=300))
def test_no_protocol_ever_raises_on_arbitrary_text(text: str) -> None:
    for protocol in (build_protocol("line", pattern="B"), build_protocol("stamped"), ALGE):
        assert isinstance(read(protocol, text.encode()), Crossed | Heartbeat | Noise)


@given(st.text(alphabet=st.sampled_from(" 0123456789:.,cCmM?Tt\tH-"), max_size=60))
def test_no_protocol_ever_raises_on_text_that_nearly_parses(text: str) -> None:
    for protocol in (build_protocol("stamped"), ALGE):
        reading = read(protocol, text.encode())
        if not isinstance(reading, Noise):
            assert reading.sensor_s is not None and reading.sensor_s >= 0
