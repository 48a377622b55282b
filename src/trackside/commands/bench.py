"""`trackside bench [--quick] [--json FILE] [--only NAME ...]`: the benchmark suite."""

from __future__ import annotations

import argparse
import sys

from trackside.commands.options import seconds


def define(parser: argparse.ArgumentParser) -> None:
    from trackside.bench.suite import BENCHMARKS

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = (
        "Measure the timing, CPU, memory and durability figures, each beside a\n"
        "floor or a naive reference measured in the same run. Prints a table; exit 1 if\n"
        "a goal is missed.\n\nbenchmarks:\n" + "\n".join(
            f"  {name:<11} {about}" for name, (_, about) in BENCHMARKS.items()))
    parser.add_argument("--quick", action="store_true",
                        help="short runs, well under a minute in all (noisier figures)")
    parser.add_argument("--json", metavar="FILE", help="also write the results to FILE")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), metavar="NAME",
                        help=f"run only these ({', '.join(BENCHMARKS)})")
    parser.add_argument("--drift-seconds", type=seconds, metavar="S",
                        help="the real-clock drift window (default 10 s quick, 2 min full; "
                             "the issue's figure is 10 minutes: 10min)")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from trackside.bench.report import table, write_json
    from trackside.bench.result import Result
    from trackside.bench.suite import Options, run_suite

    def progress(result: Result) -> None:
        verdict = "ok" if result.passed else "MISSED A GOAL"
        print(f"bench: {result.benchmark} ({result.seconds:.1f} s) {verdict}", file=sys.stderr)

    options = Options(quick=args.quick, drift_s=args.drift_seconds)
    results = run_suite(args.only or (), options, progress)
    print(table(results))
    if args.json:
        write_json(results, args.json, quick=args.quick)
    return 0 if all(result.passed for result in results) else 1
