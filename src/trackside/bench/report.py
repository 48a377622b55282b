"""The suite's table (a Markdown table, aligned, so it reads in a terminal and in the README)
and its JSON file."""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from trackside.bench.result import Figure, Result

_HEADER = ("benchmark", "figure", "unit", "median", "p99", "max", "floor / naive, same run",
           "ratio", "goal", "")


def table(results: Sequence[Result]) -> str:
    rows = [_HEADER]
    for result in results:
        for figure in result.figures:
            rows.append(_row(result.benchmark, figure))
    widths = [max(len(row[column]) for row in rows) for column in range(len(_HEADER))]
    lines = ["| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths)) + " |"
             for row in rows]
    lines.insert(1, "| " + " | ".join("-" * width for width in widths) + " |")
    notes = [f"- {result.benchmark}: {note}" for result in results for note in result.notes]
    return "\n".join(lines + ([""] + notes if notes else []))


def _row(benchmark: str, figure: Figure) -> tuple[str, ...]:
    spread = figure.spread
    median, p99, largest = (
        (number(spread.median), number(spread.p99), number(spread.max)) if spread
        else (number(figure.value), "", ""))
    reference = "" if figure.reference is None else (
        f"{number(figure.reference)} ({figure.reference_name})")
    ratio = "" if figure.ratio is None else f"{figure.ratio:.2f}x"
    verdict = {True: "PASS", False: "FAIL", None: ""}[figure.passed]
    return (benchmark, figure.name, figure.unit, median, p99, largest, reference, ratio,
            figure.goal, verdict)


def number(value: float | None) -> str:
    """Three significant figures, no exponent for everyday sizes."""
    if value is None:
        return ""
    if value == int(value) and abs(value) < 1e6:
        return f"{value:.0f}"
    size = abs(value)
    if size >= 100:
        return f"{value:.0f}"
    if size >= 10:
        return f"{value:.1f}"
    if size >= 0.01:
        return f"{value:.3g}" if size < 1 else f"{value:.2f}"
    return f"{value:.2g}"


def write_json(results: Sequence[Result], path: str | Path, *, quick: bool) -> None:
    document = {
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "passed": all(result.passed for result in results),
        "results": [result.as_json() for result in results],
    }
    Path(path).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
