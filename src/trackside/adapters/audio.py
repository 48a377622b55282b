"""Cues on a speaker, through pygame.mixer.

Rules for this module:
  1. pygame.mixer only, no numpy: every cue's tones (core.cues) are synthesised once, at
     start-up, with `array`, in the format the mixer really runs at (`get_init()`: rate,
     sample format, channels; the default mixer is stereo, and a mono buffer would play
     at half length).
  2. `play` never blocks: it starts a sound on our own mixer channel and returns. A new
     cue cuts the one playing.
  3. No sound device: the constructor raises AudioUnavailable (the app says so once and
     runs silent). A missing voice clip falls back to the cue's tones.
  4. With `voice`, a cue that has words (core.cues.SPOKEN, counts) says them from the WAV
     clips in assets/voice/ (scripts/make_voice.py) instead of its tones; and as a set's
     lead-in starts, the speaker (a subscriber of the loop) says which set ('set two'). A
     cue that calls an athlete (a staggered start) says their name (adapters.spoken_names)
     in place of its count ('Ben', 'two', 'one', 'go'), or before its words.
"""

from __future__ import annotations

import functools
import logging
import math
import os
from array import array
from collections.abc import Mapping, Sequence
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame  # noqa: E402 - after the banner is hidden

from trackside import assets  # noqa: E402
from trackside.core.cues import (  # noqa: E402
    PATTERNS,
    Pattern,
    clip_for_cue,
    clip_for_set,
    voice_lines,
)
from trackside.core.events import Cue, Effect, Phase, PhaseStarted  # noqa: E402
from trackside.core.view import View  # noqa: E402
from trackside.stderr_capture import stderr_to_log  # noqa: E402

log = logging.getLogger(__name__)

BUFFER_SAMPLES = 512  # about 12 ms of latency at 44.1 kHz; 1024 doubles it
_RAMP_S = 0.004  # fade each note in and out, so it starts and stops without a click
_PEAK = 0.9  # of full scale, before the volume
# pygame's sample format code -> (array typecode, full scale, the value of silence)
_FORMATS = {
    -8: ("b", 127, 0),
    8: ("B", 127, 128),
    -16: ("h", 32767, 0),
    16: ("H", 32767, 32768),
    -32: ("f", 1.0, 0),  # pygame-ce reports 32-bit float output as -32
}


class AudioUnavailable(RuntimeError):
    """No sound device (or none the mixer can use): run silent."""


class SpeakerCues:
    """Plays each cue, as tones or spoken words, on the default sound device."""

    def __init__(self, volume: float = 0.8, voice: bool = False,
                 names: Mapping[str, Path] | None = None) -> None:
        """`names`: each athlete's name and its clip's file (spoken_names), for a group."""
        if not 0.0 <= volume <= 1.0:
            raise ValueError(f"volume must be between 0 and 1, not {volume}")
        self._owns_mixer = pygame.mixer.get_init() is None
        if self._owns_mixer:
            _open_mixer(BUFFER_SAMPLES)
        rate, sample_format, channels = pygame.mixer.get_init()
        if sample_format not in _FORMATS:
            self._quit_mixer()
            raise AudioUnavailable(f"the mixer runs an unknown sample format: {sample_format}")
        self._tones = {
            cue: self._sound(synthesise(PATTERNS[cue], rate, sample_format, channels), volume)
            for cue in Cue
        }
        self._voice = _load_voice(volume) if voice else {}
        self._volume, self._says_names = volume, voice
        self._names: dict[str, pygame.mixer.Sound] = {}
        self.learn(names or {})
        pygame.mixer.set_reserved(1)  # channel 0 is ours: sounds played elsewhere never take it
        self._channel = pygame.mixer.Channel(0)
        self._closed = False

    def learn(self, names: Mapping[str, Path]) -> None:
        """Say these athletes' names too (a group started from the phone brings new ones):
        `names` maps each to its clip's file (spoken_names); a clip that will not load is
        left out, the count said in its place."""
        if not self._says_names:
            return
        for name, path in names.items():
            sound = None if name in self._names else self._sound_file(path, self._volume)
            if sound is not None:
                self._names[name] = sound

    @staticmethod
    def _sound_file(path: Path, volume: float) -> pygame.mixer.Sound | None:
        try:
            sound = pygame.mixer.Sound(file=path)  # converted to the mixer's format
        except (pygame.error, FileNotFoundError):
            return None
        sound.set_volume(volume)
        return sound

    @staticmethod
    def _sound(pcm: array, volume: float) -> pygame.mixer.Sound:
        sound = pygame.mixer.Sound(buffer=pcm.tobytes())
        sound.set_volume(volume)
        return sound

    def play(self, cue: Cue, *, count: int | None = None, name: str = "") -> None:
        """Sound `cue` now, cutting short whatever this speaker is playing.

        `count` is the number a COUNT cue stands for (3, 2, 1): with a voice, it is said;
        `name`, the athlete it calls: said in place of the count, or before the words.
        """
        if self._closed:
            return
        clip = self._voice.get(clip_for_cue(cue, count) or "")
        called = self._names.get(name)
        if called is not None and cue is Cue.COUNT:
            clip = called
        elif called is not None:
            self._channel.play(called)
            self._channel.queue(clip or self._tones[cue])
            return
        self._channel.play(clip or self._tones[cue])

    def describe(self) -> str:
        """'44100 Hz, 16-bit, 2 channels, pulseaudio': what the mixer really runs."""
        rate, sample_format, channels = pygame.mixer.get_init()
        driver = pygame.mixer.get_driver()
        return f"{rate} Hz, {abs(sample_format)}-bit, {channels} channels, {driver}"

    def publish(self, view: View, effects: Sequence[Effect]) -> None:
        """Say which set begins ('set two'), with a voice and more than one set."""
        if self._closed or view.sets_total < 2:
            return
        for effect in effects:
            match effect:
                case PhaseStarted(phase=Phase.LEAD_IN, step=step) if step and step.rep_no == 1:
                    self._say(self._voice.get(clip_for_set(step.set_no or 0) or ""))

    def _say(self, clip: pygame.mixer.Sound | None) -> None:
        """Say `clip` after whatever is playing."""
        if clip is None:
            return
        if self._channel.get_busy():
            self._channel.queue(clip)
        else:
            self._channel.play(clip)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._channel.stop()
        self._quit_mixer()

    def _quit_mixer(self) -> None:
        if self._owns_mixer:
            pygame.mixer.quit()


def _open_mixer(buffer: int) -> None:
    try:
        with stderr_to_log(log, "sound device"):  # ALSA complains straight to fd 2
            pygame.mixer.init(frequency=44100, size=-16, channels=2, buffer=buffer)
    except pygame.error as exc:
        under_systemd = "INVOCATION_ID" in os.environ  # systemd sets it for every service
        hint = (
            "; a systemd service needs XDG_RUNTIME_DIR=/run/user/<uid> to reach PulseAudio or"
            " PipeWire"
            if under_systemd and not os.environ.get("XDG_RUNTIME_DIR")
            else ""
        )
        raise AudioUnavailable(f"no sound device: {exc}{hint}") from exc


def synthesise(pattern: Pattern, rate: int, sample_format: int, channels: int) -> array:
    """The pattern as raw PCM: sine tones and silences, interleaved for `channels`."""
    code = _FORMATS[sample_format][0]
    samples = array(code)
    for note in pattern.notes:
        frames = round(note.seconds * rate)
        if note.hz is None:
            samples += _silence(code, frames, sample_format)
        else:
            samples += _tone(note.hz, frames, rate, sample_format)
    if channels == 1:
        return samples
    interleaved = array(code, bytes(samples.itemsize * len(samples) * channels))
    for channel in range(channels):
        interleaved[channel::channels] = samples
    return interleaved


def _silence(code: str, frames: int, sample_format: int) -> array:
    return array(code, [_FORMATS[sample_format][2]] * frames)


@functools.lru_cache(maxsize=64)  # patterns repeat notes: synthesise each once
def _tone(hz: float, frames: int, rate: int, sample_format: int) -> array:
    code, full_scale, offset = _FORMATS[sample_format]
    step, gain = 2 * math.pi * hz / rate, _PEAK * full_scale
    wave = [gain * math.sin(step * i) for i in range(frames)]
    ramp = min(round(_RAMP_S * rate), frames // 2)
    for i in range(ramp):
        fade = i / ramp
        wave[i] *= fade
        wave[frames - 1 - i] *= fade
    if code == "f":
        return array(code, wave)
    if offset:
        return array(code, [round(x) + offset for x in wave])
    return array(code, map(round, wave))


def _load_voice(volume: float) -> dict[str, pygame.mixer.Sound]:
    clips: dict[str, pygame.mixer.Sound] = {}
    missing = []
    for name in voice_lines():
        path = assets.path(f"voice/{name}.wav")
        try:
            clips[name] = pygame.mixer.Sound(file=path)  # converted to the mixer's format
        except (pygame.error, FileNotFoundError):
            missing.append(name)
            continue
        clips[name].set_volume(volume)
    if missing:
        log.warning("voice clips missing (%s): those cues beep instead", ", ".join(missing))
    return clips
