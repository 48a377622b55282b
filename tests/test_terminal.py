"""The terminal view, written to a StringIO; keys through a pseudo-terminal."""

import io
import os
import termios
from collections.abc import Iterator
from dataclasses import replace
from typing import TextIO

import pytest
from terminal_player import play
from view_factory import CARD, FRAME_SEQUENCES, PHASE_VIEWS, frame_sequence, view

from trackside.adapters.terminal import REFRESH_S, TerminalScreen
from trackside.core.events import ButtonPressed, ButtonReleased, Crossing, QuitRequested
from trackside.core.readout import KEY_POLL_S
from trackside.runtime.clock import FakeClock
from trackside.standard_output import SturdyOutput


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class AsciiTerminal(FakeTerminal):
    encoding = "ascii"  # as PYTHONIOENCODING=ascii, or a serial console, leaves stdout


def _shown(name: str, stream: io.StringIO) -> str:
    screen = TerminalScreen(FakeClock(), stream=stream, keys=None)
    screen.show(PHASE_VIEWS[name], 0.0)
    screen.close()
    return stream.getvalue()


def test_a_pipe_gets_one_plain_line_per_change() -> None:
    out = io.StringIO()
    screen = TerminalScreen(FakeClock(), stream=out, keys=io.StringIO())
    screen.show(view(clock_s=45.0), 0.0)
    screen.show(view(clock_s=44.5), 0.5)  # still 45
    screen.show(view(clock_s=44.0), 1.0)
    lines = out.getvalue().splitlines()
    assert lines[0] == ("REST 45 | SET 1/2  REP 3/6 | NEXT 400 m @ 1:05.0 (2:42/km) | "
                        "LAST 1:05.32 +0.32 | BEAM ONLINE")
    assert len(lines) == 2 and lines[1].startswith("REST 44 |")
    assert "\x1b" not in out.getvalue()


def test_a_terminal_gets_big_block_digits_and_the_phase_in_colour() -> None:
    text = _shown("rest", FakeTerminal())
    assert "38;5;16;48;5;196m REST" in text  # black on red
    assert "████" in text
    assert "LAST " in text and "+0.32" in text
    assert text.endswith("\x1b[?25h\x1b[?1049l")  # cursor and screen given back


@pytest.mark.parametrize("name", list(PHASE_VIEWS))
def test_every_phase_shows_in_the_terminal(name: str) -> None:
    assert _shown(name, FakeTerminal())
    assert _shown(name, io.StringIO())


def test_the_summary_lists_every_rep_in_the_terminal() -> None:
    text = _shown("finished", FakeTerminal())
    for set_no in (1, 2):
        for rep_no in range(1, 7):
            assert f"{set_no}.{rep_no} " in text


def test_an_unchanged_view_writes_nothing() -> None:
    out = FakeTerminal()
    screen = TerminalScreen(FakeClock(), stream=out, keys=None)
    screen.show(view(), 0.0)
    written = len(out.getvalue())
    screen.show(view(), 0.0)
    assert len(out.getvalue()) == written


def test_next_change_follows_the_countdown_and_only_a_terminal_with_keys_is_polled(
        pty) -> None:  # noqa: ANN001
    without_keys = TerminalScreen(FakeClock(), stream=io.StringIO(), keys=None)
    assert without_keys.next_change(view(clock_s=45.02), 10.0) == pytest.approx(10.02, abs=1e-5)
    assert without_keys.next_change(view(clock_s=45.5), 10.0) == pytest.approx(10.5, abs=1e-5)
    assert without_keys.next_change(PHASE_VIEWS["ready"], 10.0) is None
    _, keys = pty
    with_keys = TerminalScreen(FakeClock(), stream=io.StringIO(), keys=keys)
    assert with_keys.next_change(view(clock_s=45.5), 10.0) == pytest.approx(10.0 + KEY_POLL_S)
    with_keys.close()


def test_stray_text_on_the_terminal_is_painted_over_within_a_few_seconds() -> None:
    out = FakeTerminal()
    screen = TerminalScreen(FakeClock(), stream=out, keys=None)
    screen.show(view(), 0.0)
    first = out.getvalue()
    screen.show(view(), REFRESH_S - 0.1)
    assert out.getvalue() == first
    screen.show(view(), REFRESH_S)  # a log line may have landed anywhere: every cell again
    assert out.getvalue() == first + first.removeprefix("\x1b[?1049h\x1b[?25l")


@pytest.fixture
def pty() -> Iterator[tuple[int, io.TextIOWrapper]]:
    master, slave = os.openpty()
    keys = os.fdopen(slave, "r")
    yield master, keys
    keys.close()
    os.close(master)


def test_keys_from_a_terminal_become_inputs_and_its_mode_is_restored(pty) -> None:  # noqa: ANN001
    master, keys = pty
    before = termios.tcgetattr(keys.fileno())
    screen = TerminalScreen(FakeClock(t=7.0), stream=io.StringIO(), keys=keys)
    assert termios.tcgetattr(keys.fileno()) != before  # cbreak: no Enter needed
    os.write(master, b" lQx")
    assert screen.poll(7.0) == [ButtonPressed(at=7.0), ButtonReleased(at=7.0),
                                Crossing(at=7.0, raw="key l"), QuitRequested(at=7.0)]
    screen.close()
    screen.close()
    assert termios.tcgetattr(keys.fileno()) == before


def test_a_terminal_nobody_sized_gets_the_80x24_screen(pty) -> None:  # noqa: ANN001
    _, unsized = pty  # a pseudo-terminal reports 0x0 until sized, as a serial console may

    class Unsized(FakeTerminal):
        def fileno(self) -> int:
            return unsized.fileno()

    out = Unsized()
    screen = TerminalScreen(FakeClock(), stream=out, keys=None)
    screen.show(PHASE_VIEWS["rep"], 0.0)
    screen.show(PHASE_VIEWS["rep"], 0.1)
    assert "\x1b[24;1H" in out.getvalue() and "\x1b[25;1H" not in out.getvalue()


def test_no_keys_are_read_when_stdin_is_not_a_terminal() -> None:
    screen = TerminalScreen(FakeClock(), stream=io.StringIO(), keys=io.StringIO(" q"))
    assert screen.poll(0.0) == []


def test_closing_after_the_session_leaves_the_summary_on_the_terminal() -> None:
    text = _shown("finished", FakeTerminal())
    after = text.split("\x1b[?1049l")[-1]  # what stays once the alternate screen is gone
    assert "FINISHED" in after and "AVERAGE" in after
    assert all(f"{set_no}.{rep_no} " in after for set_no in (1, 2) for rep_no in range(1, 7))


def test_a_running_rep_rewrites_only_the_cells_of_the_digit_that_changed() -> None:
    out = FakeTerminal()
    screen = TerminalScreen(FakeClock(), stream=out, keys=None)
    screen._size = lambda: (100, 30)  # type: ignore[method-assign]  # a roomier terminal
    running = PHASE_VIEWS["rep"]
    screen.show(replace(running, clock_s=47.3), 0.0)
    first = len(out.getvalue())
    screen.show(replace(running, clock_s=47.4), 0.1)
    tenth = len(out.getvalue()) - first
    assert 0 < tenth < first / 8
    assert "47.4" not in out.getvalue()  # block digits only: nothing else on screen changed


def _sized(size: tuple[int, int], stream: TextIO) -> TerminalScreen:
    screen = TerminalScreen(FakeClock(), stream=stream, keys=None)
    screen._size = lambda: size  # type: ignore[method-assign]
    return screen


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("frames", FRAME_SEQUENCES)
def test_writing_frame_after_frame_leaves_what_a_fresh_frame_shows(
        frames: str, size: tuple[int, int]) -> None:
    columns, rows = size
    anything = tuple(tuple(("?", "1") for _ in range(columns)) for _ in range(rows))
    out = FakeTerminal()
    screen, shown, written = _sized(size, out), anything, 0
    for number, frame in enumerate(frame_sequence(frames)):
        screen.show(frame, number * 0.01)  # well within REFRESH_S: only changed cells
        shown, written = play(out.getvalue()[written:], shown), len(out.getvalue())
        fresh = FakeTerminal()
        _sized(size, fresh).show(frame, 0.0)
        assert shown == play(fresh.getvalue(), anything), (frame.phase, frame.clock_s)


def test_a_terminal_that_cannot_show_block_characters_gets_hashes_and_no_qr_code() -> None:
    out = AsciiTerminal()
    screen = _sized((120, 40), SturdyOutput(out))  # as the app gives it standard output
    screen.show(PHASE_VIEWS["rest"], 0.0)
    screen.show(replace(PHASE_VIEWS["ready"], phone=CARD), 1.0)
    screen.show(PHASE_VIEWS["finished"], 2.0)
    screen.close()
    text = out.getvalue()
    text.encode("ascii")  # every character as itself: nothing for the stream to escape
    assert "######" in text and "CODE 483 921" in text and "AVERAGE" in text


def test_a_terminal_that_shows_block_characters_gets_the_qr_code() -> None:
    out = FakeTerminal()
    _sized((120, 40), out).show(replace(PHASE_VIEWS["ready"], phone=CARD), 0.0)
    assert "▀" in out.getvalue() and "\x1b[0;30;107m" in out.getvalue()
