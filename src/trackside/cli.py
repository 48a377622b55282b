"""The `trackside` command: argparse subcommands, each a module in `trackside.commands`.

`main(argv)` returns the exit code: 0 done, 1 a fault at run time, 2 bad input (a plan,
config or argument), printed as one line that says what and where, never a traceback.
Only the command that runs is imported (see `trackside.commands`): `trackside --help`
imports none, `trackside show` none of what `run` needs.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any

from trackside import __version__
from trackside.commands import COMMANDS, module_name
from trackside.core.errors import UserError

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and still exit code 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class _CommandParser(_Parser):
    """A subcommand's parser, defined by the command's module when it first parses.

    argparse hands a subcommand's arguments (its --help too) to its parser's
    `parse_known_args`: only then is the module imported, for the one command given.
    """

    def __init__(self, *, module: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._module: str | None = module

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None
                         ) -> tuple[argparse.Namespace, list[str]]:
        if self._module is not None:
            import_module(self._module).define(self)
            self._module = None
        return super().parse_known_args(args, namespace)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="trackside", description="A track-side interval timer.")
    parser.add_argument("--version", action="version", version=f"trackside {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND",
                                     parser_class=_CommandParser)
    commands.required = True
    for name, summary in COMMANDS.items():
        commands.add_parser(name, help=summary, module=module_name(name))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="trackside: %(message)s",
    )
    try:
        return args.run(args)
    except UserError as exc:
        if os.environ.get("TRACKSIDE_DEBUG"):
            raise
        print(f"trackside: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `trackside history | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
