"""Athletes' names as spoken clips, for a staggered start's calls ('Ben', then 'two', 'one',
'go'): made by espeak-ng (scripts/make_voice.py makes the fixed words the same way).

Rules for this module:
  1. A name's clip is made once and kept in the cache folder ($XDG_CACHE_HOME/trackside/
     names, else ~/.cache/...), named by the name's and the voice's hash, so a run starts
     without waiting for speech it made before.
  2. No espeak-ng, or a name it cannot say: no clip, said once; the screen still calls the
     name, and the speaker says the count.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

VOICE = "en-gb"
SPEED_WPM = 165
_TIMEOUT_S = 10.0


def name_clips(names: Iterable[str], cache: Path | None = None) -> dict[str, Path]:
    """A WAV file for each name espeak-ng could say (rule 1)."""
    names = list(dict.fromkeys(names))
    if not names:
        return {}
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        log.warning("no espeak-ng: the names are shown, not said (Debian: apt-get install "
                    "espeak-ng)")
        return {}
    folder = cache or _cache_folder()
    clips: dict[str, Path] = {}
    for name in names:
        digest = hashlib.sha256(f"{VOICE}/{SPEED_WPM}/{name}".encode()).hexdigest()[:16]
        path = folder / f"{digest}.wav"
        if not path.exists():
            try:
                folder.mkdir(parents=True, exist_ok=True)
                subprocess.run([espeak, "-v", VOICE, "-s", str(SPEED_WPM), "-w",
                                str(path), name], check=True, capture_output=True,
                               timeout=_TIMEOUT_S)
            except (OSError, subprocess.SubprocessError) as exc:
                log.warning("cannot make %s's name clip (%s): the name is shown, not said",
                            name, exc)
                continue
        clips[name] = path
    return clips


def _cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "trackside" / "names"
