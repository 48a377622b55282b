"""The `trackside` command: argparse subcommands, each a module in `trackside.commands`.

`main(argv)` returns the exit code: 0 done, 1 a fault at run time, 2 bad input (a plan,
config or argument), printed as one line that says what and where, never a traceback.
Only the command that runs is imported (see `trackside.commands`): `trackside --help`
imports none, `trackside show` none of what `run` needs.

Rules:
  1. This is the one error path: a command raises UserError for bad input and lets an
     output failure rise; nothing else prints errors or chooses exit codes.
  2. What is printed is one line whatever the user wrote: control characters in a value
     (a newline in a TOML key, an escape sequence) are shown escaped.
  3. Text the terminal cannot encode (PYTHONIOENCODING=ascii and a plan named 'Café') is
     shown escaped, never a crash; undecodable input on stdin is replaced, never a crash.
"""

from __future__ import annotations

import argparse
import errno
import io
import logging
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import IO, Any

from trackside import __version__
from trackside.commands import COMMANDS, module_name
from trackside.core.errors import UserError
from trackside.core.printable import one_line
from trackside.standard_output import drop_output

EXIT_FAULT = 1
EXIT_BAD_INPUT = 2
# A write that failed with no file named: standard output to a full disk, a closed terminal.
_WRITE_FAULTS = {errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG}


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and still exit code 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT,
                  f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")

    def _print_message(self, message: str, file: IO[str] | None = None) -> None:
        # argparse drops a failed write (`--help > /dev/full` would exit 0): let it rise
        # to `main`, which says it and exits 1.
        if message:
            (file or sys.stderr).write(message)


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
    _tolerant_streams()
    try:
        code = _run(argv)
        sys.stdout.flush()  # a full disk is said here, not at exit (--help's text too)
        return code
    except BrokenPipeError:  # `trackside history | head`: the reader left; said by 1 alone
        drop_output(sys.stdout)
        return EXIT_FAULT
    except OSError as exc:
        if exc.errno not in _WRITE_FAULTS or exc.filename is not None:
            raise
        _flush_or_drop(sys.stdout)
        _say(f"trackside: error: cannot write the output ({exc.strerror})")
        return EXIT_FAULT


def _say(line: str) -> None:
    """`line` on stderr; if stderr cannot be written either, nothing (the exit code says
    it), and nothing more is tried there: no traceback, no second failure at exit."""
    try:
        print(line, file=sys.stderr, flush=True)
    except OSError:
        drop_output(sys.stderr)


def _run(argv: Sequence[str] | None) -> int:
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
        print(f"trackside: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


def _tolerant_streams() -> None:
    """Streams that never raise for text they cannot encode or decode (rule 3), and a
    standard output even when it was closed (`>&-`)."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    for stream, errors in ((sys.stdout, "backslashreplace"), (sys.stderr, "backslashreplace"),
                           (sys.stdin, "replace")):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=errors)


def _flush_or_drop(stream: IO[str]) -> None:
    """Write out what is still buffered, or if that fails too, send it nowhere (so there
    is no second error at exit)."""
    try:
        stream.flush()
    except OSError:
        drop_output(stream)
