"""Serial checks: which ports are there, does the beam's open, and crossings live."""

from __future__ import annotations

from trackside.adapters.beam import AUTO, BeamSensor, find_port, list_serial_ports, try_open
from trackside.checks import Finding, Probe, Status
from trackside.core.events import Crossing, SensorLost, SensorNoise
from trackside.core.rep_words import counted
from trackside.runtime.inbox import Inbox


def check_serial_ports(probe: Probe) -> Finding:
    ports = list_serial_ports()
    if ports:
        return Finding("serial", Status.OK, "ports: " + ", ".join(ports))
    if probe.beam.port is None:
        return Finding("serial", Status.SKIP, "no serial ports, and no beam configured")
    return Finding("serial", Status.FAIL, "no serial ports at all",
                   "plug the sensor in; `dmesg | tail` shows whether the USB adapter was seen")


def check_beam(probe: Probe) -> Finding:
    if probe.beam.port is None:
        return Finding("beam", Status.SKIP, "none configured: the button times the reps")
    port = find_port() if probe.beam.port == AUTO else probe.beam.port
    if port is None:
        return Finding("beam", Status.FAIL, "beam.port is 'auto' but no USB serial device "
                       "was found", "plug the sensor in, or set beam.port to its "
                       "/dev/serial/by-id/ path")
    if problem := try_open(port, probe.beam.baud):
        return Finding("beam", Status.FAIL, f"{port}: {problem}", problem)
    return _watch(probe, port)


def _watch(probe: Probe, port: str) -> Finding:
    """Open it as the timer would and show what arrives for `watch_s` seconds."""
    inbox = Inbox()
    sensor = BeamSensor(port, inbox.put, probe.clock, protocol=probe.beam.sensor_protocol,
                        baud=probe.beam.baud)
    crossings = noise = 0
    lost = ""
    start = probe.clock.now()
    until = start + probe.watch_s
    probe.say(f"watching {port} for {probe.watch_s:g} s: break the beam now")
    try:
        while probe.clock.now() < until:
            inbox.wait_until(until, probe.clock)
            for item in inbox.take_due(probe.clock.now()):
                match item:
                    case Crossing(at=at, raw=raw):
                        crossings += 1
                        probe.say(f"  crossing at +{at - start:.3f} s  {raw!r}")
                    case SensorNoise():
                        noise += 1
                    case SensorLost(reason=reason):
                        lost = reason
    finally:
        sensor.close()
    if lost:
        return Finding("beam", Status.FAIL, f"{port} went away: {lost}",
                       "check the cable and the adapter; the timer reconnects by itself")
    return Finding("beam", Status.OK, f"{port} opens at {probe.beam.baud} baud "
                   f"({probe.beam.protocol}): {counted(crossings, 'crossing')}, "
                   f"{counted(noise, 'other line')} "
                   f"in {probe.watch_s:g} s")
