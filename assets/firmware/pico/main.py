"""Trackside reference beam sensor for a Raspberry Pi Pico running MicroPython.

See hardware.md, "Beam sensors". An IR break-beam receiver on GP15 pulls it low while the beam
is broken. A hard interrupt stamps each break; the loop sends Trackside's `stamped` format over
USB (the baud rate does not matter on the Pico's USB serial):
    T <microseconds>   the beam was broken then
    H <microseconds>   a heartbeat, ten a second: lets Trackside map this clock onto its own
MicroPython's ticks_us() wraps every 18 minutes, so the loop counts microseconds since start-up
in a Python integer, which never wraps.

Copy it to the Pico as main.py (Thonny, or `mpremote cp main.py :main.py`), then run:
    trackside run PLAN --serial /dev/serial/by-id/usb-MicroPython_... --protocol stamped
"""

import time
from array import array

from machine import Pin

BEAM = Pin(15, Pin.IN, Pin.PULL_UP)  # break-beam receivers are open collector
REARM_US = 10000  # one break per 10 ms: ignores receiver chatter
HEARTBEAT_US = 100000
SLOTS = 8

stamps = array("i", [0] * SLOTS)  # ticks_us() values; the interrupt may not allocate
stamped = 0  # counts up in the interrupt
sent = 0  # counts up in the loop
last_break = time.ticks_us()


def on_beam_broken(pin):
    global stamped, last_break
    now = time.ticks_us()
    if time.ticks_diff(now, last_break) < REARM_US:
        return
    last_break = now
    if stamped - sent < SLOTS:  # full: drop it (the engine would lock it out)
        stamps[stamped % SLOTS] = now
        stamped += 1


BEAM.irq(on_beam_broken, Pin.IRQ_FALLING, hard=True)

base_ticks = time.ticks_us()
base_us = 0  # microseconds since start-up at base_ticks; moved on at every heartbeat


def micros(ticks):
    return base_us + time.ticks_diff(ticks, base_ticks)


while True:
    while sent != stamped:
        print("T", micros(stamps[sent % SLOTS]))
        sent += 1
    now = time.ticks_us()  # stamped before sending: never after the fact
    if time.ticks_diff(now, base_ticks) >= HEARTBEAT_US:
        base_us, base_ticks = micros(now), now
        print("H", base_us)
    time.sleep_ms(1)
