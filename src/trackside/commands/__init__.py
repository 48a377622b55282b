"""One module per subcommand. Each has `add_to(subparsers)`, which sets `run(args) -> int`."""

from trackside.commands import config, demo, pace, plans, run, screenshot, show

COMMANDS = (config, demo, pace, plans, run, screenshot, show)
