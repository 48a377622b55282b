"""The athletics rounding rule: measured times are shown rounded up to their precision."""

import pytest

from trackside.core.events import Source
from trackside.core.precision import decimals, precision_s, shown_s


@pytest.mark.parametrize(("seconds", "source", "shown"), [
    (17.991, Source.BEAM, 18.00),  # the next longer 1/100 s
    (18.0, Source.BEAM, 18.00),
    (18.0001, Source.BEAM, 18.01),
    (20.000000000000004, Source.BEAM, 20.00),  # float noise is not a longer time
    (61.21, Source.BUTTON, 61.3),  # hand times: the next longer 1/10 s
    (61.2, Source.BUTTON, 61.2),
    (9.01, Source.REMOTE, 9.1),
])
def test_a_time_is_shown_rounded_up_to_its_precision(seconds, source, shown) -> None:
    assert shown_s(seconds, source) == pytest.approx(shown, abs=1e-9)


def test_the_beam_shows_hundredths_and_a_hand_tenths() -> None:
    assert (precision_s(Source.BEAM), decimals(Source.BEAM)) == (0.01, 2)
    assert (precision_s(Source.BUTTON), decimals(Source.BUTTON)) == (0.1, 1)
    assert (precision_s(Source.REMOTE), decimals(Source.REMOTE)) == (0.1, 1)
