"""One module per subcommand. Each has `add_to(subparsers)`, which sets `run(args) -> int`."""

from trackside.commands import (
    config,
    demo,
    doctor,
    export,
    history,
    pace,
    plans,
    run,
    screenshot,
    show,
)

COMMANDS = (config, demo, doctor, export, history, pace, plans, run, screenshot, show)
