"""Phones for the benchmarks: many plain SSE clients in a process of their own, on loopback.

`python -m trackside.bench.phone_clients URL --clients 10 --seconds 30 [--churn]`

Each client reads the live stream as a phone's page does (and asks the Pi's clock every
20 s); with --churn each one connects, waits for the first state, drops the connection and
comes back, over and over. Bounded by --seconds; prints one JSON line: what it did.
They run in their own process so the timer's figures carry only the server's own cost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from urllib.parse import urlsplit

_CLOCK_EVERY_S = 20.0


async def _request(host: str, port: int, path: str) -> tuple[asyncio.StreamReader,
                                                               asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
                 .encode())
    await writer.drain()
    return reader, writer


async def _first_state(reader: asyncio.StreamReader) -> None:
    while (line := await reader.readline()) and not line.startswith(b"data:"):
        pass


async def _staying(host: str, port: int, until: float, counts: dict[str, int]) -> None:
    reader, writer = await _request(host, port, "/api/events")
    counts["connects"] += 1
    next_clock = time.monotonic() + random.uniform(0, _CLOCK_EVERY_S)
    try:
        while time.monotonic() < until:
            try:
                line = await asyncio.wait_for(reader.readline(), 0.5)
            except TimeoutError:
                line = b"-"
            if not line:
                return
            counts["states"] += line.startswith(b"data:")
            if time.monotonic() >= next_clock:
                _, clock = await _request(host, port, "/api/time")
                clock.close()
                next_clock += _CLOCK_EVERY_S
    finally:
        writer.close()


async def _churning(host: str, port: int, until: float, counts: dict[str, int]) -> None:
    while time.monotonic() < until:
        try:
            reader, writer = await _request(host, port, "/api/events")
            await asyncio.wait_for(_first_state(reader), 5.0)
            counts["connects"] += 1
            writer.close()  # dropped without a goodbye, as a phone walking away
        except (OSError, TimeoutError):
            counts["failed"] += 1
        await asyncio.sleep(random.uniform(0.5, 1.5))  # a phone that comes and goes


async def _main(url: str, clients: int, seconds: float, churn: bool) -> dict[str, int]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    until = time.monotonic() + seconds
    counts = {"connects": 0, "states": 0, "failed": 0}
    client = _churning if churn else _staying
    await asyncio.gather(*(client(host, port, until, counts) for _ in range(clients)),
                         return_exceptions=True)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--churn", action="store_true")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(_main(args.url, args.clients, args.seconds, args.churn))))


if __name__ == "__main__":
    main()
