"""The composition root: build the clock, inputs, outputs and screen, then run the loop.

Rules:
  1. Every device is opened inside one ExitStack, so every exit path (the end, quit,
     SIGTERM, an exception) closes them all and leaves the session resumable.
  2. A missing device is never fatal: no display falls back to the terminal, no sound
     card to silence, no GPIO to mock pins. Each fallback is said once, then we go on.
  3. Libraries that are slow to import (pygame) are imported only when used, so
     `trackside show` and the tests stay quick.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

from trackside.adapters.store import SessionRecorder, SessionStore
from trackside.adapters.store_schema import default_path, schedule_json
from trackside.adapters.systemd import Notifier
from trackside.clock import Clock, MonotonicClock, ScaledClock
from trackside.config import Config
from trackside.core.engine import Engine, EngineSettings
from trackside.core.events import QuitRequested, RepRecorded, SensorState
from trackside.core.plan import Plan
from trackside.core.schedule import Schedule, expand
from trackside.eventlog import EventLog
from trackside.headless import StatusLine, StdinControls
from trackside.inbox import Inbox
from trackside.loop import Loop, Outputs, Recorder, Screen
from trackside.simulate import SimulatedAthlete

log = logging.getLogger(__name__)

# Set (to anything) to draw the first frame and exit: how `trackside bench` times start-up.
EXIT_AFTER_FIRST_FRAME = "TRACKSIDE_EXIT_AFTER_FIRST_FRAME"


@dataclass(frozen=True)
class RunConfig:
    plan: Plan
    plan_spec: str  # as the user gave it: a file, a built-in name or the notation
    config: Config = Config()  # hardware, audio, database: the configuration file
    display: str = "auto"  # auto | window | fullscreen | terminal | headless
    size: tuple[int, int] | None = None
    theme: str = "day"
    lead_in_s: float = 5.0
    min_lap_s: float | None = None
    events_path: str | None = None
    speed: float = 1.0  # > 1: a scaled clock (the demo)
    simulate: bool = False  # a simulated athlete presses and crosses (the demo)
    seed: int = 1
    short_warmup_s: float | None = None  # the simulated athlete cuts warmup/cooldown short
    db_path: str | None = None  # None: the config's, else the default data folder
    record: bool = True  # keep the session in the database (not for the demo)
    resume: bool = False  # continue the newest unfinished session, if there is one


def run_session(config: RunConfig, stdin: IO[str] | None = None,
                stdout: IO[str] | None = None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout  # as they are now, not at import
    clock: Clock = ScaledClock(config.speed) if config.speed != 1.0 else MonotonicClock()
    inbox = Inbox()
    settings = config.config
    with ExitStack() as stack:
        _quit_on_sigterm(inbox, clock, stack)
        recorders = _open_recorders(config, stack)
        schedule, done, session_log = _open_session(config, stack)
        if session_log is not None:
            recorders.insert(0, session_log)  # on disk before the event log says it
        beam_wanted = settings.beam.port is not None and not config.simulate
        engine = Engine(schedule, EngineSettings(
            lead_in_s=config.lead_in_s, min_lap_s=config.min_lap_s,
            hold_s=settings.button.hold_s, long_hold_s=settings.button.long_hold_s,
            warning_s=settings.timing.warning_s, count_in=settings.timing.count_in,
            sensor=SensorState.ONLINE if beam_wanted else SensorState.NONE,
        ), done=done)
        screen = _open_screen(config, clock, stdout, stack)
        outputs = Outputs(clock, recorders=recorders)
        loop = Loop(engine, inbox, clock, outputs, screen,
                    linger=config.display != "headless" and not config.simulate)
        if session_log is not None:
            loop.notices.append(lambda: session_log.store.problem)
        if config.simulate:
            athlete = SimulatedAthlete(inbox, seed=config.seed, warmup_s=config.short_warmup_s)
            outputs.observers.append(athlete.observe)
        else:
            _open_gpio(settings, clock, inbox, outputs, loop, stack)
        if beam_wanted:
            _open_beam(settings, clock, inbox, stack)
        if config.display == "headless" and not config.simulate:
            stack.callback(StdinControls(stdin, inbox, clock).close)
        _open_speaker(settings, outputs, stack)
        notifier = Notifier.from_env(time.monotonic)
        stack.callback(notifier.close)
        loop.heartbeat = notifier.heartbeat
        notifier.ready()
        stack.callback(notifier.stopping)
        if config.simulate:  # now, not before the devices opened: a sped-up clock runs fast
            athlete.start(clock.now() + 2.0)
        if os.environ.get(EXIT_AFTER_FIRST_FRAME):
            loop.step(until=clock.now())  # one pass: the first frame, no sleep
        else:
            loop.run()
    return 0


def _open_session(config: RunConfig, stack: ExitStack
                  ) -> tuple[Schedule, tuple[RepRecorded, ...], SessionRecorder | None]:
    """The steps to run, the reps already done (resuming) and the session's record."""
    if not config.record:
        return expand(config.plan), (), None
    store = SessionStore.open(config.db_path or default_path(config.config.database.path))
    stack.callback(store.close)
    point = store.unfinished() if config.resume else None
    if point is not None:
        store.resume(point.session_id)
        log.warning("resuming session %d (%s): %d reps done", point.session_id,
                    point.plan_name, len(point.reps))
        plan = Plan.model_validate_json(point.plan_json)
        return expand(plan), tuple(point.reps), SessionRecorder(store, point.session_id)
    schedule = expand(config.plan)
    session_id = store.start_session(
        plan_spec=config.plan_spec, plan_json=config.plan.model_dump_json(),
        schedule_json=schedule_json(schedule), plan_name=config.plan.name,
        reps_planned=len(schedule.reps), started_utc=datetime.now(UTC))
    return schedule, (), SessionRecorder(store, session_id)


def _open_gpio(settings: Config, clock: Clock, inbox: Inbox, outputs: Outputs, loop: Loop,
               stack: ExitStack) -> None:
    """The button(s), the buzzer and the LED. Off a Pi: mock pins (said once)."""
    from trackside.adapters.gpio import BuzzerCues, StartButton, StatusLed, pin_factory

    factory = pin_factory()
    stack.callback(factory.close)  # registered first: closed after every device
    debounce_s = settings.button.debounce_ms / 1000
    for pin in (settings.button.pin, settings.button.second_pin):
        if pin is not None:
            button = StartButton(pin, inbox, clock, pin_factory=factory, debounce_s=debounce_s)
            stack.callback(button.close)
    if settings.buzzer.kind != "none":
        buzzer = BuzzerCues(settings.buzzer.pin, settings.buzzer.kind, clock, pin_factory=factory)
        stack.callback(buzzer.close)
        outputs.players.insert(0, buzzer)  # the buzzer first: it is the precise cue
    if settings.led.pin is not None:
        led = StatusLed(settings.led.pin, pin_factory=factory)
        stack.callback(led.close)
        loop.indicators.append(lambda view: led.show(view.phase, view.sensor))


def _open_beam(settings: Config, clock: Clock, inbox: Inbox, stack: ExitStack) -> None:
    """The serial beam sensor: a reader thread that stamps lines and reconnects by itself."""
    from trackside.adapters.beam import BeamSensor

    # The reader stamps lines on its own thread: let it in within 1 ms of a byte arriving,
    # not after the default 5 ms switch interval, while the main thread draws.
    sys.setswitchinterval(0.001)
    beam = settings.beam
    sensor = BeamSensor(beam.port or "auto", inbox, clock, protocol=beam.protocol,
                        baud=beam.baud, pattern=beam.pattern, channels=beam.channels,
                        max_drift_ppm=beam.max_drift_ppm)
    stack.callback(sensor.close)


def _open_speaker(settings: Config, outputs: Outputs, stack: ExitStack) -> None:
    if not settings.audio.enabled:
        return
    from trackside.adapters.audio import AudioUnavailable, SpeakerCues

    try:
        speaker = SpeakerCues(settings.audio.volume, settings.audio.voice)
    except AudioUnavailable as exc:
        log.warning("no sound card (%s): speaker cues off, the timer runs on", exc)
        return
    stack.callback(speaker.close)
    outputs.players.append(speaker)


def _quit_on_sigterm(inbox: Inbox, clock: Clock, stack: ExitStack) -> None:
    """systemd's stop: finish the pass, record the session as interrupted, close devices."""
    previous = signal.signal(signal.SIGTERM, lambda *_: inbox.put(QuitRequested(clock.now())))
    stack.callback(signal.signal, signal.SIGTERM, previous)


def _open_screen(config: RunConfig, clock: Clock, stdout: IO[str], stack: ExitStack) -> Screen:
    """The window (or full screen), else the terminal view; `headless` is the status line."""
    screen: Screen
    if config.display == "headless":
        screen = StatusLine(stdout)
    elif config.display == "terminal":
        screen = _terminal(clock, stdout)
    else:
        from trackside.adapters.display import DisplayUnavailable, PygameScreen

        desktop = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        fullscreen = config.display == "fullscreen" or (config.display == "auto" and not desktop)
        try:
            screen = PygameScreen(clock, size=config.size, fullscreen=fullscreen,
                                  theme=config.theme)
        except DisplayUnavailable as exc:
            log.warning("%s: showing the timer in this terminal instead", exc)
            screen = _terminal(clock, stdout)
    stack.callback(screen.close)
    return screen


def _terminal(clock: Clock, stdout: IO[str]) -> Screen:
    from trackside.adapters.terminal import TerminalScreen

    return TerminalScreen(clock, stdout)


def _open_recorders(config: RunConfig, stack: ExitStack) -> list[Recorder]:
    recorders: list[Recorder] = []
    if config.events_path:
        events = EventLog.open(config.events_path)
        stack.callback(events.close)
        recorders.append(events)
    return recorders
