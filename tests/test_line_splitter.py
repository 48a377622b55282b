from hypothesis import given
from hypothesis import strategies as st

from trackside.core.line_splitter import LineSplitter, RawLine


def test_lines_end_at_cr_lf_or_crlf() -> None:
    lines = LineSplitter().feed(b"a\rb\nc\r\nd\n\ne")
    assert lines == [RawLine(b"a"), RawLine(b"b"), RawLine(b"c"), RawLine(b"d"), RawLine(b"")]


def test_a_crlf_split_across_two_reads_is_one_line_end() -> None:
    splitter = LineSplitter()
    assert splitter.feed(b"T 1\r") == [RawLine(b"T 1")]
    assert splitter.feed(b"\nT 2\r") == [RawLine(b"T 2")]
    assert splitter.feed(b"\n\n") == [RawLine(b"")]


def test_a_line_arriving_in_pieces_comes_out_whole() -> None:
    splitter = LineSplitter()
    assert splitter.feed(b" 0005 c1 15:4") == []
    assert splitter.feed(b"3:51,6464 00\r") == [RawLine(b" 0005 c1 15:43:51,6464 00")]


def test_an_overlong_line_is_cut_and_marked_and_the_next_line_is_intact() -> None:
    splitter = LineSplitter(max_bytes=8)
    assert splitter.feed(b"0123456789") == []
    assert splitter.feed(b"abcdef" * 1000) == []  # the buffer does not grow
    assert splitter.feed(b"\nT 5\n") == [RawLine(b"01234567", overlong=True), RawLine(b"T 5")]


def test_an_unfinished_line_can_be_taken_out_when_the_port_goes() -> None:
    splitter = LineSplitter()
    splitter.feed(b"T 12")
    assert splitter.pending() == RawLine(b"T 12")
    assert splitter.pending() is None


@given(st.binary(max_size=200), st.lists(st.integers(0, 200), max_size=10))
def test_how_the_bytes_are_chopped_into_reads_changes_nothing(data: bytes, cuts: list[int]) -> None:
    whole = LineSplitter(max_bytes=16)
    expected = whole.feed(data)
    chopped = LineSplitter(max_bytes=16)
    got: list[RawLine] = []
    points = sorted({0, len(data), *(min(c, len(data)) for c in cuts)})
    for start, end in zip(points, points[1:]):
        got += chopped.feed(data[start:end])
    assert got == expected
    assert all(len(line.data) <= 16 for line in got)
