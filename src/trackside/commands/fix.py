"""`trackside fix SESSION [swap REP A B | assign MARK NAME | drop MARK | undo [FIX]]`: a
group's record, and the fixes a coach makes to it afterwards. Every fix is kept with who
made it and when; nothing recorded is changed or deleted (core.fixes)."""

from __future__ import annotations

import argparse
import getpass
from datetime import UTC, datetime

from trackside.adapters.store_group import GroupRecord
from trackside.commands.sessions import add_db_options, book, reader, session_id
from trackside.core.errors import UserError
from trackside.core.fix_words import NO_ONES, fix_words, mark_line, rep_index, rep_labels
from trackside.core.fixes import Action, Fix, undoing
from trackside.core.group_readout import how_they_start, rep_table, table_lines


def define(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Show a group's session (every athlete's time in every rep, the reps whose finish "
        "was not seen, the marks that are no one's, the fixes made), or fix it: `swap REP "
        "A B` gives two athletes each other's crossings in a rep (a pass), `assign MARK "
        "NAME` makes a mark that is no one's that athlete's finish, `drop MARK` makes a "
        "mark no one's, `undo [FIX]` takes back a fix (the last by default). Every fix is "
        "kept, who made it and when; the crossings as recorded never change.")
    parser.add_argument("id", type=session_id, metavar="SESSION",
                        help="the session (see trackside history)")
    parser.add_argument("action", nargs="?", default="show",
                        choices=("show", *(action.value for action in Action)),
                        help="show (the default), swap, assign, drop or undo")
    parser.add_argument("values", nargs="*", metavar="VALUE",
                        help="swap: REP A B (REP as the table heads it: 3, or 2.3 in a plan "
                             "of sets); assign: MARK NAME; drop: MARK; undo: [FIX]")
    parser.add_argument("--by", metavar="NAME", help="who makes the fix (default: your login)")
    parser.add_argument("--all-marks", action="store_true",
                        help="show: every mark, whoever's it is")
    add_db_options(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    session = reader(args).export(args.id)
    group = session.group
    if group is None or group.settings is None:
        raise UserError(f"session {args.id} is not a group's: nothing to fix (fix is for "
                        "sessions run with --athletes or --group)")
    if args.action == "show":
        print("\n".join(_shown(args.id, session.session.plan_name, group, args.all_marks)))
        return 0
    try:
        kept, after = book(args).add_fix(args.id, group, _fix(args, group))
    except ValueError as exc:
        raise UserError(f"fix {args.id} {args.action}: {exc}") from None
    names, reps = group.shown_names, group.athletes[0].schedule.reps
    print(f"fix {kept.id} kept ({kept.made_by}): {fix_words(kept, names, rep_labels(reps))}")
    print("\n".join(table_lines(rep_table(names, after.reps, after.missed, reps))))
    return 0


def _fix(args: argparse.Namespace, group: GroupRecord) -> Fix:
    """The fix the command line asks for; a value that names nothing is a UserError."""
    action, values = Action(args.action), args.values
    wanted = {Action.SWAP: 3, Action.ASSIGN: 2, Action.DROP: 1, Action.UNDO: 1}[action]
    if len(values) != wanted and not (action is Action.UNDO and not values):
        usage = {Action.SWAP: "swap REP A B", Action.ASSIGN: "assign MARK NAME",
                 Action.DROP: "drop MARK", Action.UNDO: "undo [FIX]"}[action]
        raise UserError(f"fix {args.id} {action.value}: give {usage}")
    made = datetime.now(UTC).isoformat(timespec="seconds")
    by = args.by or _login()
    match action:
        case Action.SWAP:
            try:
                index = rep_index(group.athletes[0].schedule.reps, values[0])
            except ValueError as exc:
                raise UserError(str(exc)) from None
            return Fix(0, action, made, by, index=index,
                       athletes=(group.ran(values[1]), group.ran(values[2])))
        case Action.ASSIGN:
            return Fix(0, action, made, by, mark=_number(values[0], "MARK"),
                       athletes=(group.ran(values[1]),))
        case Action.DROP:
            return Fix(0, action, made, by, mark=_number(values[0], "MARK"))
    try:
        undoes = undoing(group.fixes, _number(values[0], "FIX") if values else None)
    except ValueError as exc:
        raise UserError(f"fix {args.id} undo: {exc} (fix {args.id} lists them)") from None
    return Fix(0, action, made, by, undoes=undoes)


def _shown(number: int, plan_name: str, group: GroupRecord, every_mark: bool) -> list[str]:
    names = group.shown_names
    assert group.settings is not None
    lines = [f"session {number}: {plan_name}, {len(names)} athletes, "
             f"{how_they_start(group.settings)}"]
    record = group.record
    reps = group.athletes[0].schedule.reps
    lines += ["  " + line for line in table_lines(rep_table(
        names, record.reps, record.missed, reps))]
    labels = rep_labels(reps)
    for missed in record.missed:
        lines.append(f"  not seen: {names[missed.athlete]} in rep {labels[missed.index]} (give "
                     f"them a mark: trackside fix {number} assign MARK {names[missed.athlete]})")
    shown = [mark for mark in record.marks if every_mark or mark.judged.role in NO_ONES]
    if shown:
        lines.append("  marks" + ("" if every_mark else " that are no one's") + ":")
        lines += [f"  {mark_line(mark, record, names, labels)}" for mark in shown]
    if group.fixes:
        lines.append("  fixes:")
        lines += [f"  {fix.id:>5}  {fix.made_utc}  {fix.made_by}  "
                  f"{fix_words(fix, names, labels)}" for fix in group.fixes]
    return lines


def _number(text: str, what: str) -> int:
    if not text.isdigit() or len(text) > 9:
        raise UserError(f"{what} must be a number (got {text[:20]!r})")
    return int(text)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name: a container, a service without one
        return "unknown"
