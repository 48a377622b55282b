"""The benchmark suite runs and reports in the shape the README and the JSON promise.

Only the cheapest benchmarks, in quick mode with a one-second real-clock window: the
figures themselves are not checked here (they depend on the machine), only that every
figure comes with its goal, its verdict and the reference measured beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trackside.cli import main

CHEAP = ["drift"]


def test_quick_bench_prints_a_table_and_writes_json_with_a_reference_for_every_goal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"

    code = main(["bench", "--quick", "--only", *CHEAP, "--drift-seconds", "2",
                 "--json", str(out)])

    document = json.loads(out.read_text())
    assert code == (0 if document["passed"] else 1)
    assert document["quick"] is True
    assert [result["benchmark"] for result in document["results"]] == CHEAP
    for result in document["results"]:
        assert result["figures"], result["benchmark"]
        for figure in result["figures"]:
            assert figure["headline"] is not None, figure["name"]
            if figure["passed"] is not None:  # a figure with a goal is judged beside a reference
                assert figure["goal"] and figure["reference"] is not None, figure["name"]
    table = capsys.readouterr().out
    assert table.startswith("| benchmark | figure")
    for result in document["results"]:
        for figure in result["figures"]:
            assert figure["name"] in table


def test_bench_refuses_an_unknown_benchmark(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--only", "warp-speed"]) == 2
    assert "warp-speed" in capsys.readouterr().err
