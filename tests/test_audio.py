"""The speaker, heard through SDL's disk audio driver: raw PCM written in real time.

Each test plays one short cue and reads the PCM back: where the tones are, how long,
at what pitch (from zero crossings). Only a few hundred milliseconds of real time each.
"""

import logging
import time
import wave
from array import array
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest
from view_factory import rep_step, view

from trackside import assets
from trackside.adapters import audio
from trackside.adapters.audio import AudioUnavailable, SpeakerCues
from trackside.core.cues import PATTERNS
from trackside.core.events import Cue, Phase, PhaseStarted


@pytest.fixture
def disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    out = tmp_path / "out.raw"
    monkeypatch.setenv("SDL_AUDIODRIVER", "disk")
    monkeypatch.setenv("SDL_DISKAUDIOFILE", str(out))
    yield out
    pygame.mixer.quit()


def record(out: Path, play: callable, seconds: float) -> tuple[array, int]:
    """Play, wait until `seconds` more of PCM reached the file, and return its left channel."""
    rate, sample_format, channels = pygame.mixer.get_init()
    assert sample_format == -16
    frame_bytes = 2 * channels
    start = out.stat().st_size
    play()
    wanted = start + round((seconds + 0.05) * rate) * frame_bytes
    deadline = time.monotonic() + seconds + 1.0
    while out.stat().st_size < wanted and time.monotonic() < deadline:
        time.sleep(0.01)
    pcm = array("h", out.read_bytes()[start - start % frame_bytes :])
    return pcm[::channels], rate


def tones(samples: array, rate: int) -> list[tuple[float, float]]:
    """Each stretch of sound as (seconds long, Hz); silences under 3 ms are inside a tone."""
    loud = [i for i, x in enumerate(samples) if abs(x) > 300]
    stretches, begin = [], None
    for i, j in zip(loud, loud[1:] + [None]):
        begin = i if begin is None else begin
        if j is None or j - i > 0.003 * rate:
            stretches.append((begin, i))
            begin = None
    found = []
    for begin, end in stretches:
        part = samples[begin : end + 1]
        crossings = sum(1 for a, b in zip(part, part[1:]) if (a < 0) != (b < 0))
        seconds = (end - begin + 1) / rate
        found.append((seconds, crossings / 2 / seconds))
    return found


def test_a_cue_sounds_its_notes_in_order_at_their_pitch_and_length(disk: Path) -> None:
    speaker = SpeakerCues(volume=1.0)
    try:
        samples, rate = record(disk, lambda: speaker.play(Cue.REP_DONE), seconds=0.18)
    finally:
        speaker.close()
    (first_s, first_hz), (second_s, second_hz) = tones(samples, rate)
    assert first_hz == pytest.approx(1318.5, rel=0.02) and first_s == pytest.approx(0.06, abs=0.004)
    assert second_hz == pytest.approx(1760, rel=0.02) and second_s == pytest.approx(0.09, abs=0.004)


def test_tones_match_a_mono_mixer_someone_else_opened(disk: Path) -> None:
    pygame.mixer.init(frequency=22050, size=-16, channels=1, buffer=512)
    speaker = SpeakerCues(volume=1.0)
    try:
        samples, rate = record(disk, lambda: speaker.play(Cue.COUNT), seconds=0.15)
    finally:
        speaker.close()
    assert pygame.mixer.get_init() is not None  # not ours to close
    ((seconds, hz),) = tones(samples, rate)
    assert seconds == pytest.approx(PATTERNS[Cue.COUNT].seconds, abs=0.004)
    assert hz == pytest.approx(880, rel=0.02)


def test_with_a_voice_the_count_is_said_instead_of_beeped(disk: Path) -> None:
    with wave.open(str(assets.path("voice/count_1.wav"))) as clip:
        clip_s = clip.getnframes() / clip.getframerate()
    speaker = SpeakerCues(volume=1.0, voice=True)
    try:
        samples, rate = record(disk, lambda: speaker.play(Cue.COUNT, count=1), seconds=clip_s)
    finally:
        speaker.close()
    heard = tones(samples, rate)
    assert sum(seconds for seconds, _ in heard) > 2 * PATTERNS[Cue.COUNT].seconds  # not a beep
    assert len(heard) >= 1


def test_a_missing_voice_clip_falls_back_to_the_tone_with_one_warning(
    disk: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(audio.assets, "path", lambda name: tmp_path / name)
    speaker = SpeakerCues(voice=True)
    try:
        samples, rate = record(disk, lambda: speaker.play(Cue.SPLIT), seconds=0.04)
    finally:
        speaker.close()
    assert len(tones(samples, rate)) == 1
    assert [r.levelno for r in caplog.records] == [logging.WARNING]


def test_no_sound_device_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_AUDIODRIVER", "no_such_device_driver")
    with pytest.raises(AudioUnavailable, match="no sound device"):
        SpeakerCues()
    assert pygame.mixer.get_init() is None


def test_closing_twice_is_harmless_and_a_closed_speaker_is_silent(disk: Path) -> None:
    pygame.mixer.init(frequency=22050, size=-16, channels=1, buffer=512)  # outlives the speaker
    speaker = SpeakerCues(volume=1.0, voice=True)
    speaker.close()
    speaker.close()
    starting_set_two = PhaseStarted(Phase.LEAD_IN, 0.0, rep_step(7, set_no=2, rep_no=1))

    def play_everything() -> None:
        speaker.play(Cue.GO)
        speaker.publish(view(sets_total=2), [starting_set_two])

    samples, rate = record(disk, play_everything, seconds=0.3)
    assert tones(samples, rate) == []


@pytest.mark.parametrize(("sets", "set_no", "said"), [(2, 2, True), (1, 1, False)])
def test_as_a_set_begins_a_voice_says_which(disk: Path, sets: int, set_no: int,
                                            said: bool) -> None:
    with wave.open(str(assets.path(f"voice/set_{set_no}.wav"))) as clip:
        clip_s = clip.getnframes() / clip.getframerate()
    speaker = SpeakerCues(volume=1.0, voice=True)
    lead_in = PhaseStarted(Phase.LEAD_IN, 0.0, rep_step(7, set_no=set_no, rep_no=1))
    try:
        samples, rate = record(disk, lambda: speaker.publish(view(sets_total=sets), [lead_in]),
                               seconds=clip_s)
    finally:
        speaker.close()
    heard = sum(seconds for seconds, _ in tones(samples, rate))
    assert heard > 0.3 if said else heard == 0  # words, or nothing for a one-set plan


def test_a_volume_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="1.5"):
        SpeakerCues(volume=1.5)
