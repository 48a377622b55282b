from trackside.core.flood_gate import FloodGate


def test_a_burst_passes_then_only_the_rate_and_the_rest_is_counted() -> None:
    gate = FloodGate(rate=50, burst=100)
    admitted = sum(gate.admit(now=0.0) for _ in range(1000))
    assert admitted == 100
    assert gate.take_dropped() == 900
    assert gate.take_dropped() == 0
    admitted = sum(gate.admit(now=i / 1000) for i in range(1, 10_001))  # 1000 a second for 10 s
    assert 500 <= admitted <= 501
    assert gate.take_dropped() == 10_000 - admitted


def test_an_ordinary_sensor_never_meets_the_gate() -> None:
    gate = FloodGate(rate=50, burst=100)
    assert all(gate.admit(now=i / 10) for i in range(10_000))  # ten lines a second for 1000 s
    assert gate.take_dropped() == 0
