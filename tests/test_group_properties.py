"""Properties of who crossed, for any group: 2-12 athletes at their own paces, together or
staggered, over one to three laps, on the beam or the button; with passes, double breaks,
runners leaving the line and crossings the beam missed.

  - no mark is ever lost: each crossing or press is judged once, with its own stamp;
  - every athlete's rep has a time or is flagged as not seen;
  - with no passes and no misses, every time goes to the athlete who ran it.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine_helpers import walk
from group_helpers import GO, group_engine, marks, missed, start, times
from trackside.core.events import (
    Command,
    Commanded,
    Crossing,
    Effect,
    Input,
    MarkRole,
    Phase,
    Source,
)
from trackside.core.group import GroupSettings

LAP_M = 400


@dataclass(frozen=True)
class Scenario:
    per_400_s: tuple[float, ...]
    laps: int
    stagger_s: float
    beam: bool
    marks: tuple[tuple[float, int, int], ...]  # (at, athlete, crossing) as run; -1: no one's
    finishes: dict[int, float]  # athlete -> when they really finished (if it was marked)

    def engine_run(self) -> tuple[list[Effect], list[float]]:
        """What the engine did, and the stamps of the marks it had to judge: every crossing,
        and every press while the set ran (after it, a press is the button's gesture)."""
        group = (GroupSettings.staggered(self.stagger_s) if self.stagger_s
                 else GroupSettings())
        engine = group_engine(f"{self.laps * LAP_M}m @pace", self.per_400_s, group)
        effects, judged = start(engine), []
        for at, _, _ in sorted(self.marks):
            effects += walk(engine, at)
            if self.beam or engine.phase in (Phase.REP, Phase.REST):
                judged.append(at)
            item: Input = (Crossing(at) if self.beam
                           else Commanded(at, Command.PRESS, Source.BUTTON))
            effects += engine.handle(item)
        effects += walk(engine, GO + 10_000.0)
        assert engine.phase is Phase.FINISHED
        return effects, judged


def _expected(per_400_s: tuple[float, ...], laps: int, stagger_s: float
              ) -> list[tuple[float, int, int]]:
    """(when the target puts it, athlete, crossing), in that order."""
    return sorted((GO + athlete * stagger_s + crossing * pace, athlete, crossing)
                  for athlete, pace in enumerate(per_400_s) for crossing in range(1, laps + 1))


@st.composite
def clean_runs(draw: st.DrawFn) -> Scenario:
    """Every athlete crosses where the target order puts them, none is missed; a beam sees
    double breaks and, in a start together, the runners leaving the line."""
    count = draw(st.integers(2, 12))
    laps = draw(st.integers(1, 3))
    per_400 = tuple(draw(st.lists(st.floats(55, 95), min_size=count, max_size=count)))
    stagger = draw(st.sampled_from([0.0, 0.0, 10.0])) or draw(st.sampled_from([0.0, 4.0, 7.5]))
    beam = draw(st.booleans())
    expected = _expected(per_400, laps, stagger)
    gap = min(b[0] - a[0] for a, b in zip(expected, expected[1:], strict=False))
    assume(gap > 0.35)  # a pass needs no overtaking: distinct moments, apart
    wobble = min(0.2, (gap - 0.31) / 2)
    run = [(at + draw(st.floats(-wobble, wobble)), athlete, crossing)
           for at, athlete, crossing in expected]
    extra: list[tuple[float, int, int]] = []
    if beam:
        for at, athlete, crossing in run:
            if draw(st.booleans()):  # the same body breaks the beam again
                extra.append((at + draw(st.floats(0.01, 0.29)), athlete, crossing))
        if not stagger:
            extra += [(GO + draw(st.floats(0.05, 2.0)), -1, 0) for _ in range(count)]
    finishes = {athlete: at for at, athlete, crossing in run if crossing == laps}
    return Scenario(per_400, laps, stagger, beam, tuple(run + extra), finishes)


@st.composite
def any_runs(draw: st.DrawFn) -> Scenario:
    """Anything: off-target runs that pass each other, crossings not seen, doubles, leaving."""
    count = draw(st.integers(2, 12))
    laps = draw(st.integers(1, 3))
    per_400 = tuple(draw(st.lists(st.floats(55, 95), min_size=count, max_size=count)))
    stagger = draw(st.sampled_from([0.0, 5.0, 12.0]))
    beam = draw(st.booleans())
    run: list[tuple[float, int, int]] = []
    for target, athlete, crossing in _expected(per_400, laps, stagger):
        if draw(st.integers(0, 9)) == 0:
            continue  # not seen
        go = GO + athlete * stagger
        at = go + (target - go) * draw(st.floats(0.7, 1.35))
        run.append((at, athlete, crossing))
        if beam and draw(st.integers(0, 3)) == 0:
            run.append((at + draw(st.floats(0.0, 0.6)), athlete, crossing))
    if beam:
        run += [(GO + athlete * stagger + draw(st.floats(0.0, 2.5)), -1, 0)
                for athlete in range(count) if draw(st.booleans())]
    run += [(draw(st.floats(GO, GO + 400)), -1, 0) for _ in range(draw(st.integers(0, 3)))]
    return Scenario(per_400, laps, stagger, beam, tuple(run), {})


@settings(max_examples=150, deadline=None)
@given(any_runs())
def test_no_mark_is_lost_and_every_rep_has_a_time_or_a_flag(scenario: Scenario) -> None:
    effects, stamps = scenario.engine_run()
    judged = marks(effects)
    assert sorted(mark.at for mark in judged) == stamps
    timed, flagged = times(effects), missed(effects)
    athletes = range(len(scenario.per_400_s))
    assert sorted([*timed, *flagged]) == [(athlete, 1) for athlete in athletes]
    finishes = [mark for mark in judged if mark.role is MarkRole.CROSSING
                and mark.crossing == scenario.laps]
    assert len(finishes) == len(timed)  # each time is a mark's, each such mark one time


@settings(max_examples=150, deadline=None)
@given(clean_runs())
def test_with_no_passes_and_no_misses_every_time_goes_to_its_athlete(
        scenario: Scenario) -> None:
    effects, _ = scenario.engine_run()
    assert missed(effects) == []
    assert [mark for mark in marks(effects) if mark.role is MarkRole.UNEXPECTED] == []
    for (athlete, _), seconds in times(effects).items():
        go = GO + athlete * scenario.stagger_s
        assert abs(go + seconds - scenario.finishes[athlete]) < 1e-9
