"""Where Trackside's own files are (voice clips, fonts, firmware sketches).

One scheme, for a checkout and an install alike: the files live in the repository's
top-level `assets/` folder, and `src/trackside/_assets` is a symlink to it. From a
checkout (PYTHONPATH=src, or `pip install -e .`) the symlink leads to `assets/`; a
`pip install .` copies the files into the package as package data
(`trackside/_assets/...`, see `[tool.setuptools.package-data]` in pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

_ROOT = Path(__file__).resolve().parent / "_assets"


def path(name: str) -> Path:
    """The file `name` ('voice/go.wav') under assets/; it may not exist."""
    return _ROOT / name
