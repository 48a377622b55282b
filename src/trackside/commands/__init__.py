"""One module per subcommand. Each has `add_to(subparsers)`, which sets `run(args) -> int`."""

from trackside.commands import pace, plans, show

COMMANDS: tuple = (pace, plans, show)
