"""The subcommands: each one's name and one-line help, in the order `trackside --help` lists them.

Each command lives in its own module, `trackside.commands.<name>` (a dash in the name is an
underscore in the module), imported only when that command runs or shows its own --help, so
`trackside --help` and every other command never pay for its imports. The module has
`define(parser)`, which gives the parser its description and options and sets
`run(args) -> int`. A new command: a line here, and its module with `define`.
"""

COMMANDS: dict[str, str] = {
    "athletes": "the athletes and what their paces come from: list, add, edit, remove",
    "bench": "measure timing, CPU, memory and durability",
    "config": "print an example configuration, or check one",
    "demo": "watch a whole session with a simulated athlete",
    "doctor": "check the button, buzzer, display and sound on this machine",
    "export": "write one session's reps as CSV, JSON or a FIT activity",
    "export-plan": "write a plan as a FIT workout file for a watch",
    "fix": "fix a group's record afterwards: swap a pass, give or drop a mark, undo",
    "forget-phones": "make every paired phone pair again",
    "groups": "the saved groups of athletes: list, save, remove",
    "history": "list the saved sessions, newest first",
    "pace": "pace -> time for a distance (or for the common ones), time -> pace and splits",
    "plans": "list the built-in plans",
    "run": "run a workout",
    "screenshot": "draw the display at a moment of a plan to a PNG",
    "show": "print a plan step by step with targets and the estimated total",
}


def module_name(command: str) -> str:
    """The module that defines and runs `command`."""
    return f"{__name__}.{command.replace('-', '_')}"
