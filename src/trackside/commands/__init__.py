"""One module per subcommand. Each has `add_to(subparsers)`, which sets `run(args) -> int`."""

from trackside.commands import doctor

COMMANDS: tuple = (doctor,)
