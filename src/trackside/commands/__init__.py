"""One module per subcommand. Each has `add_to(subparsers)`, which sets `run(args) -> int`."""

from trackside.commands import config, demo, export, history, run

COMMANDS = (config, demo, export, history, run)
