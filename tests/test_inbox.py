"""The inbox: inputs from any thread, handed out in time order, each when its time comes."""

import threading

from trackside.core.events import ButtonPressed, ButtonReleased, Crossing
from trackside.runtime.clock import FakeClock, MonotonicClock
from trackside.runtime.inbox import Inbox


def test_inputs_come_out_in_stamp_order_whatever_order_they_were_put_in() -> None:
    inbox = Inbox()
    for item in (Crossing(3.0), ButtonPressed(1.0), ButtonReleased(2.0)):
        inbox.put(item)
    assert inbox.take_due(10.0) == [ButtonPressed(1.0), ButtonReleased(2.0), Crossing(3.0)]
    assert inbox.take_due(10.0) == []


def test_equal_stamps_keep_the_order_they_arrived_in() -> None:
    inbox = Inbox()
    inbox.put(Crossing(5.0, raw="first"))
    inbox.put(Crossing(5.0, raw="second"))
    assert [item.raw for item in inbox.take_due(5.0)] == ["first", "second"]


def test_an_input_stamped_in_the_future_waits_until_its_time() -> None:
    inbox = Inbox()
    inbox.put(Crossing(60.0))
    assert inbox.take_due(59.9) == []
    assert inbox.take_due(60.0) == [Crossing(60.0)]


def test_waiting_ends_at_the_deadline_or_at_the_first_input_due_whichever_is_sooner() -> None:
    inbox, clock = Inbox(), FakeClock()
    inbox.wait_until(10.0, clock)
    assert clock.t == 10.0
    inbox.put(Crossing(12.5))
    inbox.wait_until(20.0, clock)
    assert clock.t == 12.5  # woken for the input, not the deadline


def test_an_input_put_from_another_thread_wakes_the_waiting_loop() -> None:
    inbox, clock = Inbox(), MonotonicClock()
    start = clock.now()
    putter = threading.Timer(0.02, lambda: inbox.put(ButtonPressed(clock.now())))
    putter.start()
    inbox.wait_until(start + 30.0, clock)  # would sleep half a minute if nobody woke it
    putter.join()
    assert [type(item) for item in inbox.take_due(clock.now())] == [ButtonPressed]
