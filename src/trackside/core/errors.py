"""The one error type that means "the user gave us something we cannot use"."""


class UserError(Exception):
    """A bad plan, config or argument. The CLI prints it as one line and exits 2.

    The message names the problem and where it is: 'plan.toml, line 7, blocks[0].rest: ...'
    or "notation, column 9: ...".
    """
