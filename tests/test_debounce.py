from hypothesis import given
from hypothesis import strategies as st

from trackside.core.debounce import Debouncer
from trackside.core.events import ButtonPressed, ButtonReleased


def feed(debouncer: Debouncer, edges: list[tuple[bool, float]], until: float) -> list:
    out = []
    for pressed, at in edges:
        out += debouncer.edge(pressed, at)
    return out + debouncer.settle(until)


def test_a_clean_press_and_release_are_stamped_at_their_edges() -> None:
    events = feed(Debouncer(0.01), [(True, 1.0), (False, 1.3)], until=2.0)
    assert events == [ButtonPressed(at=1.0), ButtonReleased(at=1.3)]


def test_chatter_within_the_window_is_one_press_stamped_at_first_contact() -> None:
    chatter = [(True, 1.0), (False, 1.002), (True, 1.004), (False, 1.007), (True, 1.009)]
    assert feed(Debouncer(0.01), chatter, until=1.5) == [ButtonPressed(at=1.0)]


def test_a_press_is_only_reported_once_it_has_held_for_the_window() -> None:
    debouncer = Debouncer(0.01)
    assert debouncer.edge(True, 1.0) == []
    assert debouncer.deadline() == 1.01
    assert debouncer.settle(1.009) == []
    assert debouncer.settle(1.01) == [ButtonPressed(at=1.0)]
    assert debouncer.deadline() is None


def test_a_glitch_that_comes_straight_back_is_no_press() -> None:
    assert feed(Debouncer(0.01), [(True, 1.0), (False, 1.003)], until=2.0) == []


def test_a_phantom_release_during_a_hold_is_ignored() -> None:
    edges = [(True, 1.0), (False, 2.0), (True, 2.0005), (False, 3.0)]
    assert feed(Debouncer(0.01), edges, until=4.0) == [ButtonPressed(1.0), ButtonReleased(3.0)]


def test_a_repeated_report_of_the_same_level_is_not_a_second_press() -> None:
    edges = [(True, 1.0), (True, 1.5), (True, 2.0), (False, 3.0), (False, 3.5)]
    assert feed(Debouncer(0.01), edges, until=4.0) == [ButtonPressed(1.0), ButtonReleased(3.0)]


def test_an_edge_after_a_quiet_window_settles_the_previous_burst_at_once() -> None:
    debouncer = Debouncer(0.01)
    debouncer.edge(True, 1.0)
    assert debouncer.edge(False, 1.2) == [ButtonPressed(at=1.0)]


edge_lists = st.lists(
    st.tuples(st.booleans(), st.floats(min_value=0, max_value=0.05)), max_size=40
)


@given(edge_lists)
def test_presses_and_releases_always_alternate_and_keep_time_order(
    steps: list[tuple[bool, float]],
) -> None:
    debouncer, at, events, stamps = Debouncer(0.01), 0.0, [], set()
    for pressed, gap in steps:
        at += gap
        stamps.add(at)
        events += debouncer.edge(pressed, at)
    events += debouncer.settle(at + 1.0)
    kinds = [type(event) for event in events]
    assert kinds == [ButtonPressed, ButtonReleased] * (len(kinds) // 2) + [ButtonPressed] * (
        len(kinds) % 2
    )
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert {e.at for e in events} <= stamps
