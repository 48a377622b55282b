"""The composition root on the clock it is given: a whole session in no real time."""

import io

import pytest

from trackside.app import RunConfig, run_session
from trackside.commands.simulate import SimulatedAthlete
from trackside.plan_source import load_plan
from trackside.runtime.clock import FakeClock


def test_a_session_runs_to_its_end_on_the_clock_it_is_given() -> None:
    clock, out = FakeClock(), io.StringIO()
    config = RunConfig(plan=load_plan("2x200m @30s r30"), plan_spec="2x200m @30s r30",
                       display="headless", simulate=True, record=False)
    assert run_session(config, clock=clock, stdout=out, participants=[
        lambda put, clock: SimulatedAthlete(put, clock, noise=0.0)]) == 0
    # pressed 2 s after it saw the timer waiting, 5 s lead-in, two 30 s reps, a 30 s rest
    assert clock.t == pytest.approx(2.0 + 5.0 + 30.0 + 30.0 + 30.0)
    summary = out.getvalue().splitlines()[-4:]
    assert summary[0].startswith("FINISHED 2x200m @30s r30: REPS 2")
    assert summary[2:] == ["    1.1 30.00 30.0 s +0.00", "    1.2 30.00 30.0 s +0.00"]
