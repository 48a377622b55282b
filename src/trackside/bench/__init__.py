"""The benchmark suite: `trackside bench` or `python -m trackside.bench`.

Rules for this package:
  1. Every figure is measured beside a floor (the best this machine can do: a bare
     blocking read, a bare sleep, a bare import) or a naive reference (polling once a
     frame, redrawing at 60 fps), in the same run, so the ratio holds on a noisy machine.
  2. Each benchmark is one module with `run(options) -> Result`, listed in `suite.py`.
     It measures the product's own pieces (the loop, the engine, the window, the
     adapters, the CLI in a subprocess), never a copy of them.
  3. `--quick` runs everything in well under a minute; the full run takes minutes. Not
     part of the test suite (a smoke test runs the cheapest ones quickly).
"""
