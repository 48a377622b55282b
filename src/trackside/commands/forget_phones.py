"""`trackside forget-phones`: every paired phone must pair again (with the new code).

It asks the running timer's phone page, from this machine: the page accepts it only from
the Pi itself. A restart forgets the phones too (nothing is kept on disk).
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request

from trackside.commands.options import web_address, web_settings
from trackside.config import load_config
from trackside.core.rep_words import counted
from trackside.web.server import EVERY_ADDRESS, http_url

TIMEOUT_S = 5.0


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Forget every paired phone: the timer draws a new code and QR code, and each phone "
        "must pair again. Run it on the Pi, while the timer runs.")
    parser.add_argument("--config", metavar="FILE", help="the configuration file ([web] port)")
    parser.add_argument("--web", type=web_address, metavar="[HOST:]PORT",
                        help="where the page is served (default: the config's [web])")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    web = web_settings(args, load_config(args.config).web)
    page = http_url("127.0.0.1" if web.host in EVERY_ADDRESS else web.host, web.port)
    url = f"{page}/api/phones/forget"
    request = urllib.request.Request(url, b"{}", method="POST", headers={
        "X-Trackside": "1", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as reply:
            forgotten = json.loads(reply.read())["forgotten"]
    except urllib.error.HTTPError as exc:
        print(f"trackside: the phone page refused: {_reason(exc)}", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError) as exc:
        print(f"trackside: no phone page answers at {page} ({getattr(exc, 'reason', exc)}): "
              "is the timer running with [web] on?", file=sys.stderr)
        return 1
    print(f"forgot {counted(forgotten, 'phone')}: each pairs again with the new code on the "
          "screen")
    return 0


def _reason(error: urllib.error.HTTPError) -> str:
    try:
        return json.loads(error.read())["error"]
    except (ValueError, KeyError, OSError):
        return f"HTTP {error.code}"
