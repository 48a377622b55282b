"""A staggered group's voice: each athlete's name as a clip, said in place of the count."""

import logging
import math
import os
import stat
import wave
from array import array
from pathlib import Path

import pytest
from test_audio import disk, record, tones  # noqa: F401 - disk: the audio fixture

from trackside.adapters.audio import SpeakerCues
from trackside.adapters.spoken_names import name_clips
from trackside.core.events import Cue


def _tone(path: Path, hz: float, seconds: float, rate: int = 16000) -> Path:
    samples = array("h", (round(20000 * math.sin(2 * math.pi * hz * i / rate))
                          for i in range(round(seconds * rate))))
    with wave.open(str(path), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(rate)
        clip.writeframes(samples.tobytes())
    return path


def test_a_called_athletes_name_is_said_in_place_of_the_count(disk: Path,  # noqa: F811
                                                               tmp_path: Path) -> None:
    ben = _tone(tmp_path / "ben.wav", 440.0, 0.5)
    speaker = SpeakerCues(volume=1.0, voice=True, names={"Ben": ben})
    try:
        samples, rate = record(disk, lambda: speaker.play(Cue.COUNT, count=3, name="Ben"),
                               seconds=0.5)
    finally:
        speaker.close()
    assert any(abs(hz - 440) < 25 and seconds > 0.4 for seconds, hz in tones(samples, rate))


def test_a_speaker_learns_the_names_of_a_group_a_phone_starts_later(disk: Path,  # noqa: F811
                                                                     tmp_path: Path) -> None:
    speaker = SpeakerCues(volume=1.0, voice=True)  # the first session: one athlete
    try:
        speaker.learn({"Cam": _tone(tmp_path / "cam.wav", 660.0, 0.5),
                       "Dee": tmp_path / "missing.wav"})  # a clip that will not load
        samples, rate = record(disk, lambda: speaker.play(Cue.COUNT, count=3, name="Cam"),
                               seconds=0.5)
        speaker.play(Cue.COUNT, count=3, name="Dee")  # the count said in its place
    finally:
        speaker.close()
    assert any(abs(hz - 660) < 25 and seconds > 0.4 for seconds, hz in tones(samples, rate))


def test_each_name_is_made_once_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "bin" / "espeak-ng"  # writes its text to the -w file, and counts calls
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\nwhile [ "$1" != "-w" ]; do shift; done\n'
                    f'echo made >> {tmp_path}/calls\nprintf %s "$3" > "$2"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    first = name_clips(["Ana", "Ben"], tmp_path / "cache")
    again = name_clips(["Ben", "Ana"], tmp_path / "cache")
    assert first == again and first["Ben"].read_text() == "Ben"
    assert (tmp_path / "calls").read_text().count("made") == 2


def test_without_espeak_the_names_are_shown_not_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with caplog.at_level(logging.WARNING):
        assert name_clips(["Ana"], tmp_path / "cache") == {}
    assert caplog.messages == ["no espeak-ng: the names are shown, not said (Debian: apt-get "
                               "install espeak-ng)"]
