"""One module per subcommand. Each has `add_to(subparsers)`, which sets `run(args) -> int`."""

from trackside.commands import export, history

COMMANDS: tuple = (export, history)
