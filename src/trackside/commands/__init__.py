"""One module per subcommand. Each has `add_to(subparsers)`, which sets `run(args) -> int`."""

from trackside.commands import (
    bench,
    config,
    demo,
    doctor,
    export,
    forget_phones,
    history,
    pace,
    plans,
    run,
    screenshot,
    show,
)

COMMANDS = (bench, config, demo, doctor, export, forget_phones, history, pace, plans, run,
            screenshot, show)
