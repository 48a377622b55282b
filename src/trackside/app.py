"""The composition root: build the clock, the inputs, the sinks and the screen; run the loop.

Rules:
  1. Every device is opened inside one ExitStack, so every exit path (the end, quit,
     SIGTERM, an exception) closes them all and leaves the session resumable.
  2. A missing device is never fatal: no display falls back to the terminal, no sound
     card to silence, no GPIO to mock pins. Each fallback is said once, then we go on.
  3. Libraries that are slow to import (pygame) are imported only when used, so
     `trackside show` and the tests stay quick.
  4. The first frame comes first: the screen opens and draws before the button, buzzer,
     beam, stdin and speaker open, and the loop takes its first input only once they all
     have. A run starts at READY, waiting for an input, so no cue is due before then.
     Only what can refuse the run opens before it (the --events file, the pin factory, the
     session's database): a refusal comes before anything is drawn or saved. The phone
     page is served last, after the first frame too.
  5. One run may hold several sessions, on the same devices, screen, database and phone
     page: a plan a phone asks for while nothing runs, or, with `again` (the appliance's
     service), the same plan once a session has ended and its summary is closed. Only a
     quit (Esc, Q, a signal) ends such a run; without `again` and a phone's plan, closing
     the summary does too, as a command on a laptop should.
  6. Threads switch every 1 ms for the whole run (`runtime.thread_switching` says why).
"""

from __future__ import annotations

import logging
import math
import os
import signal
import sys
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from trackside.adapters.eventlog import EventLog
from trackside.adapters.headless import StatusLine, read_controls
from trackside.adapters.spoken_names import name_clips
from trackside.adapters.store_schema import default_path
from trackside.adapters.systemd import Notifier
from trackside.config import Config
from trackside.core.engine import Engine
from trackside.core.errors import UserError
from trackside.core.events import Input, Phase, QuitRequested, SensorState
from trackside.core.group import Roster
from trackside.core.group_run import GroupRun
from trackside.core.plan import Plan
from trackside.core.settings import LATE_S, EngineSettings
from trackside.runtime.clock import Clock, MonotonicClock, ScaledClock
from trackside.runtime.inbox import Inbox
from trackside.runtime.loop import Loop, Screen
from trackside.runtime.sinks import Sinks, Subscriber
from trackside.runtime.thread_switching import quick_switches
from trackside.session_open import (
    OpenedSession,
    open_session,
    open_store,
    resume_line,
    unrecorded,
)
from trackside.standard_output import SturdyOutput

if TYPE_CHECKING:
    from gpiozero.pins import Factory

    from trackside.adapters.audio import SpeakerCues

    from trackside.adapters.store import SessionStore
    from trackside.config import BeamConfig, WebConfig
    from trackside.web.page import PhonePage
    from trackside.web.server import PlanOptions

log = logging.getLogger(__name__)

# Set (to anything) to exit after the first frame, or once every device is open and the
# loop would wait for the first input: how `trackside bench` times start-up.
EXIT_AFTER_FIRST_FRAME = "TRACKSIDE_EXIT_AFTER_FIRST_FRAME"
EXIT_WHEN_READY = "TRACKSIDE_EXIT_WHEN_READY"

Put = Callable[[Input], None]
# Someone who watches the timer and answers through `put` (the demo's simulated athlete).
Participant = Callable[[Put, Clock], Subscriber]


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
    simulate: bool = False  # a participant is the athlete: no button, beam or stdin (the demo)
    db_path: str | None = None  # None: the config's, else the default data folder
    record: bool = True  # keep the session in the database (not for the demo)
    resume: bool = False  # continue an unfinished session, if there is one
    resume_id: int | None = None  # that session (resume), else the newest unfinished one
    summary_s: float = math.inf  # the summary stays up until a press, or this long (real s)
    again: bool = False  # after a session, the next one at READY: only a quit ends the run
    roster: Roster | None = None  # its named athletes: a group's (`plan`: the first one's)


def run_session(config: RunConfig, *, clock: Clock | None = None, stdin: IO[str] | None = None,
                stdout: IO[str] | None = None, participants: Sequence[Participant] = ()) -> int:
    """Run a session to its end (or quit), and the sessions after it (rule 5); 0.
    `clock`: by default the real one, sped up `config.speed` times."""
    stdin = stdin or sys.stdin  # as they are now, not at import (None: closed, `run <&-`)
    stdout = SturdyOutput(stdout or sys.stdout)  # a full disk or a closed terminal: said once
    if clock is None:
        clock = ScaledClock(config.speed) if config.speed != 1.0 else MonotonicClock()
    inbox = Inbox()
    settings = config.config
    sinks = Sinks(clock)
    with ExitStack() as stack:
        _quit_on_signals(inbox, clock, stack)
        quick_switches(stack)
        events = _open_event_log(config, stack)  # refused before a session is started
        factory = None if config.simulate else _open_pin_factory(stack)  # so is the GPIO
        store = _open_store(config, clock, stack)
        session = _open_session(config.plan, config.plan_spec, config.roster, store, clock,
                                resume=config.resume, resume_id=config.resume_id)
        if session.recorder is not None:
            sinks.keep_durably(session.recorder)
        if events is not None:
            sinks.add_recorder(events, "NOT LOGGING", first=lambda: events.run_started(
                session.anchor, session.resumed_id, len(session.done)), retry=events.retry)
        beam_wanted = settings.beam.port is not None and not config.simulate
        timing = EngineSettings(
            lead_in_s=config.lead_in_s, min_lap_s=config.min_lap_s,
            hold_s=settings.button.hold_s, long_hold_s=settings.button.long_hold_s,
            warning_s=settings.timing.warning_s, count_in=settings.timing.count_in,
            # the demo's athlete crosses a simulated beam: its times are a beam's, said so
            sensor=(SensorState.ONLINE if beam_wanted else SensorState.SIMULATED
                    if config.simulate else SensorState.NONE),
            late_s=LATE_S * config.speed,  # a moment of real time, on a sped-up clock too
        )
        engine = _engine(session, timing)
        screen = _open_screen(config, clock, stdout, stack)
        # headless prints the summary once and ends, unless the phone page is on: the phone is
        # a screen then, its summary and downloads stay up. A sped-up clock shows it for as
        # long in real time.
        summary_shown = config.display != "headless" or settings.web.enabled
        linger = config.summary_s * config.speed if summary_shown else 0.0
        loop = Loop(engine, inbox, clock, sinks, screen, linger=linger)
        loop.run_once(until=clock.now())  # the first frame, at once: rule 4
        if os.environ.get(EXIT_AFTER_FIRST_FRAME):
            return 0
        if factory is not None:
            _open_gpio(settings, factory, clock, inbox, sinks, stack)
        if beam_wanted:
            open_beam(settings.beam, clock, inbox.put, stack)
        if config.display == "headless" and not config.simulate:
            read_controls(stdin, inbox.put, clock)
        speaker = _open_speaker(settings, sinks, stack, _called(session))
        for participant in participants:
            sinks.add_subscriber(participant(inbox.put, clock), "SIMULATION OFF")
        page = _open_phone_page(config, loop, store, stack)
        if page is not None:
            page.start()  # after the first frame: it adds nothing to start-up
        notifier = Notifier.from_env(clock.now)
        stack.callback(notifier.close)
        loop.heartbeat = notifier.heartbeat
        notifier.ready()
        stack.callback(notifier.stopping)
        if os.environ.get(EXIT_WHEN_READY):
            return 0
        loop.run()
        while (upcoming := _next_plan(loop, session, config.again)) is not None:
            session = _open_session(*upcoming, store, clock)
            if session.recorder is not None:
                sinks.keep_durably(session.recorder)
            if speaker is not None and (called := _called(session)):
                speaker.learn(name_clips(called))  # a phone's group: names made before GO
            loop.next_session(_engine(session, timing))
            loop.run()
    # every device is closed: the terminal is ours again
    if (line := resume_line(session, config.db_path)) is not None:
        print(line, file=stdout)
    return 0


def _open_store(config: RunConfig, clock: Clock, stack: ExitStack) -> SessionStore | None:
    """The database every session of the run is recorded in; None: none is (the demo)."""
    if not config.record:
        return None
    return open_store(config.db_path or default_path(config.config.database.path), clock.now,
                      stack)


def _open_session(plan: Plan, plan_spec: str, roster: Roster | None,
                  store: SessionStore | None, clock: Clock, *, resume: bool = False,
                  resume_id: int | None = None) -> OpenedSession:
    """The steps to run, the reps already done (resuming) and the session's record."""
    if store is None:
        return unrecorded(plan, plan_spec, clock.now, roster)
    return open_session(plan, plan_spec, store, clock.now, resume=resume, resume_id=resume_id,
                        roster=roster)


def _engine(session: OpenedSession, timing: EngineSettings) -> Engine:
    """The session's engine: a group's runs its lanes; one athlete runs as anyone alone."""
    roster = session.roster
    group = (GroupRun(roster, timing, session.done)
             if roster is not None and len(roster.names) > 1 else None)
    return Engine(session.schedule, timing, done=session.done, group=group,
                  resumed=session.resumed_id is not None)


def _called(session: OpenedSession) -> tuple[str, ...]:
    """The names a staggered group's voice calls."""
    roster = session.roster
    if roster is None or len(roster.names) < 2 or not roster.settings.calls_names:
        return ()
    return roster.names


def _next_plan(loop: Loop, ended: OpenedSession, again: bool
               ) -> tuple[Plan, str, Roster | None] | None:
    """What runs after the session the loop ended (rule 5): a phone's plan (with its
    athletes), the same plan and athletes again, or nothing (the run ends)."""
    if (request := loop.plan_request) is not None:
        return request.plan, request.spec, request.roster
    if again and not loop.quitting and loop.engine.phase is Phase.FINISHED:
        return ended.plan, ended.plan_spec, ended.roster
    return None


def _open_phone_page(config: RunConfig, loop: Loop, store: SessionStore | None,
                     stack: ExitStack) -> PhonePage | None:
    """The coach's phone page, if the config or `--web` asks for it. Started by the caller."""
    if not config.config.web.enabled:
        return None
    from trackside.web.server import PlanOptions

    plan, timing = config.config.plan, config.config.timing
    options = PlanOptions(plan.pace or "", plan.max_speed or "", timing.lap_m,
                          timing.double_break_s)
    page = phone_page(config.config.web, options, loop, store)
    stack.callback(page.close)
    return page


def phone_page(web: WebConfig, options: PlanOptions, loop: Loop, store: SessionStore | None
               ) -> PhonePage:
    """The phone page on `loop`: it hears every pass, its card shows at READY, its faults on
    every screen, a phone's clock anchors `store`'s sessions, its athletes are `store`'s.
    Not served until `start`."""
    from trackside.adapters.athlete_book import AthleteBook
    from trackside.web.page import PhonePage, log_phone_clock

    page = PhonePage(web, loop.clock, loop.inbox.put, lambda: loop.engine.idle, store, options,
                     anchor=store.anchor if store is not None else log_phone_clock,
                     athletes=AthleteBook(store.path) if store is not None else None)
    loop.sinks.add_subscriber(page.hub, "PHONE PAGE OFF")
    loop.sinks.add_notice(page.notice, "PHONE PAGE OFF")
    loop.pairing = page.card
    return page


def _open_pin_factory(stack: ExitStack) -> Factory:
    """Off a Pi: mock pins (said once). A factory asked for by name that does not start
    is refused here, before a session is started in the database."""
    from trackside.adapters.gpio import pin_factory

    factory = pin_factory()
    stack.callback(factory.close)  # registered before the devices: closed after them all
    return factory


def _open_gpio(settings: Config, factory: Factory, clock: Clock, inbox: Inbox, sinks: Sinks,
               stack: ExitStack) -> None:
    """The button(s), the buzzer and the LED on `factory`'s pins."""
    from trackside.adapters.gpio import BuzzerCues, StartButton, StatusLed

    debounce_s = settings.button.debounce_ms / 1000
    for pin in (settings.button.pin, settings.button.second_pin):
        if pin is not None:
            button = StartButton(pin, inbox.put, clock, pin_factory=factory,
                                 debounce_s=debounce_s)
            stack.callback(button.close)
    if settings.buzzer.kind != "none":
        buzzer = BuzzerCues(settings.buzzer.pin, settings.buzzer.kind, clock, pin_factory=factory)
        stack.callback(buzzer.close)
        sinks.add_player(buzzer, "BUZZER OFF")  # opened before the speaker: the precise cue
    if settings.led.pin is not None:
        led = StatusLed(settings.led.pin, pin_factory=factory)
        stack.callback(led.close)
        sinks.add_display(led, "LED OFF")


def open_beam(beam: BeamConfig, clock: Clock, put: Put, stack: ExitStack) -> None:
    """The serial beam sensor: a reader thread that stamps lines and reconnects by itself
    (the benchmarks open it here too, so they measure what the app runs)."""
    from trackside.adapters.beam import BeamSensor

    sensor = BeamSensor(beam.port or "auto", put, clock, protocol=beam.sensor_protocol,
                        baud=beam.baud)
    stack.callback(sensor.close)


def _open_speaker(settings: Config, sinks: Sinks, stack: ExitStack,
                  called: Sequence[str] = ()) -> SpeakerCues | None:
    """`called`: the athletes a staggered group's voice calls by name. None: no speaker (or
    one without a voice: it learns no names)."""
    if not settings.audio.enabled:
        return None
    from trackside.adapters.audio import AudioUnavailable, SpeakerCues

    names = name_clips(called) if called and settings.audio.voice else {}
    try:
        speaker = SpeakerCues(settings.audio.volume, settings.audio.voice, names)
    except AudioUnavailable as exc:
        log.warning("no sound card (%s): speaker cues off, the timer runs on", exc)
        return None
    stack.callback(speaker.close)
    sinks.add_player(speaker, "SPEAKER OFF")
    sinks.add_subscriber(speaker, "SPEAKER OFF")  # it says which set begins
    return speaker


# systemd's stop, Ctrl-C, a closed terminal or SSH session: each ends the session the same
# way, as a quit: the pass finishes, the session is recorded as interrupted (resumable), the
# summary is shown and every device is closed.
QUIT_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def _quit_on_signals(inbox: Inbox, clock: Clock, stack: ExitStack) -> None:
    for number in QUIT_SIGNALS:
        previous = signal.getsignal(number)
        if previous == signal.SIG_IGN:  # `nohup`, a background job: ignored, as asked
            continue
        signal.signal(number, lambda *_: inbox.put(QuitRequested(clock.now())))
        stack.callback(signal.signal, number, previous)


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


def _open_event_log(config: RunConfig, stack: ExitStack) -> EventLog | None:
    """The --events file, opened for appending: one that cannot be is refused now."""
    if not config.events_path:
        return None
    try:
        events = EventLog.open(config.events_path)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        reason = exc.strerror.lower() if isinstance(exc, OSError) and exc.strerror else exc
        raise UserError(f"--events {config.events_path}: cannot append to it ({reason})"
                        ) from None
    stack.callback(events.close)
    return events
