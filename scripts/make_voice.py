#!/usr/bin/env python3
"""Generate the spoken cues in assets/voice/ from the words in trackside.core.cues.

Needs espeak-ng and sox (Debian: `sudo apt-get install -y espeak-ng sox`). Each clip is
mono, 16 kHz, 16-bit WAV (no dither: the same words give the same bytes), with the
silence before and after trimmed, so a word starts the moment it is played. Run from
the repository root, then commit the files:

    PYTHONPATH=src python3 scripts/make_voice.py [--voice en-gb] [--speed 165]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from trackside.core.cues import voice_lines

OUT = Path(__file__).resolve().parent.parent / "assets" / "voice"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voice", default="en-gb", help="an espeak-ng voice (espeak-ng --voices)")
    parser.add_argument("--speed", type=int, default=165, help="words per minute")
    args = parser.parse_args()
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        print(f"make_voice: install {' and '.join(missing)} first", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    lines = voice_lines()
    for stale in set(OUT.glob("*.wav")) - {OUT / f"{name}.wav" for name in lines}:
        stale.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        for name, words in sorted(lines.items()):
            subprocess.run(
                ["espeak-ng", "-v", args.voice, "-s", str(args.speed), "-w", str(raw), words],
                check=True,
            )
            trim = ["silence", "1", "0.01", "0.5%"]  # drop quiet up to the first sound
            subprocess.run(
                ["sox", "-D", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(OUT / f"{name}.wav"),
                 *trim, "reverse", *trim, "reverse", "norm", "-1"],
                check=True,
            )
            print(f"{name}.wav: {words}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
