"""`trackside fix SESSION [swap REP A B | assign MARK NAME | drop MARK | undo [FIX]]`: a
group's record, and the fixes a coach makes to it afterwards. Every fix is kept with who
made it and when; nothing recorded is changed or deleted (core.fixes)."""

from __future__ import annotations

import argparse
import getpass
from dataclasses import replace
from datetime import UTC, datetime

from trackside.adapters.store_group import GroupRecord
from trackside.commands.sessions import add_db_options, book, reader, session_id
from trackside.core.errors import UserError
from trackside.core.events import MarkRole
from trackside.core.fixes import Action, Fix, Mark, Record, active, check, corrected, rep_holding
from trackside.core.group_readout import rep_table, table_lines
from trackside.core.units import format_duration

_NO_ONES = (MarkRole.UNEXPECTED, MarkRole.IGNORED, MarkRole.DROPPED)


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
    fix = _fix(args, group)
    try:
        check(fix, group.record, [name.upper() for name in group.names])
    except ValueError as exc:
        raise UserError(f"fix {args.id} {args.action}: {exc}") from None
    kept = replace(fix, id=book(args).add_fix(args.id, fix))
    recorded = group.recorded
    crossings = [[rep.crossings for rep in athlete.schedule.reps] for athlete in group.athletes]
    after = corrected(recorded.reps, recorded.missed, recorded.marks, (*group.fixes, kept),
                      crossings)
    print(f"fix {kept.id} kept ({kept.made_by}): {_said(kept, group)}")
    print("\n".join(table_lines(rep_table([name.upper() for name in group.names], after.reps,
                                          after.missed, group.athletes[0].schedule.reps))))
    return 0


def _fix(args: argparse.Namespace, group: GroupRecord) -> Fix:
    action, values = Action(args.action), args.values
    wanted = {Action.SWAP: 3, Action.ASSIGN: 2, Action.DROP: 1, Action.UNDO: 1}[action]
    if len(values) != wanted and not (action is Action.UNDO and not values):
        usage = {Action.SWAP: "swap REP A B", Action.ASSIGN: "assign MARK NAME",
                 Action.DROP: "drop MARK", Action.UNDO: "undo [FIX]"}[action]
        raise UserError(f"fix {args.id} {action.value}: give {usage}")
    made = datetime.now(UTC).isoformat(timespec="seconds")
    fix = Fix(0, action, made, args.by or _login())
    match action:
        case Action.SWAP:
            return Fix(0, action, made, fix.made_by, index=_rep_index(group, values[0]),
                       athletes=(_lane(group, values[1]), _lane(group, values[2])))
        case Action.ASSIGN:
            return Fix(0, action, made, fix.made_by, mark=_number(values[0], "MARK"),
                       athletes=(_lane(group, values[1]),))
        case Action.DROP:
            return Fix(0, action, made, fix.made_by, mark=_number(values[0], "MARK"))
    standing = active(group.fixes)
    if not standing:
        raise UserError(f"fix {args.id} undo: no fix stands to undo")
    undoes = _number(values[0], "FIX") if values else standing[-1].id
    if undoes not in {one.id for one in standing}:
        raise UserError(f"fix {args.id} undo: there is no fix {undoes} standing (fix "
                        f"{args.id} lists them)")
    return Fix(0, action, made, fix.made_by, undoes=undoes)


def _shown(number: int, plan_name: str, group: GroupRecord, every_mark: bool) -> list[str]:
    names = [name.upper() for name in group.names]
    settings = group.settings
    assert settings is not None
    start = (f"staggered by {format_duration(settings.stagger_s, 1)} s" if settings.stagger_s
             else f"together, resting from the {settings.rest_from.value}")
    lines = [f"session {number}: {plan_name}, {len(names)} athletes, {start}"]
    record = group.record
    lines += ["  " + line for line in table_lines(rep_table(
        names, record.reps, record.missed, group.athletes[0].schedule.reps))]
    labels = _labels(group)
    for missed in record.missed:
        lines.append(f"  not seen: {names[missed.athlete]} in rep {labels[missed.index]} (give "
                     f"them a mark: trackside fix {number} assign MARK {names[missed.athlete]})")
    shown = [mark for mark in record.marks if every_mark or mark.judged.role in _NO_ONES]
    if shown:
        lines.append("  marks" + ("" if every_mark else " that are no one's") + ":")
        lines += [f"  {_mark_line(mark, record, names, labels)}" for mark in shown]
    if group.fixes:
        lines.append("  fixes:")
        lines += [f"  {fix.id:>5}  {fix.made_utc}  {fix.made_by}  {_said(fix, group)}"
                  for fix in group.fixes]
    return lines


def _labels(group: GroupRecord) -> dict[int, str]:
    """Each rep's index -> its name as the table heads it: '3', or '2.3' in a plan of sets."""
    reps = group.athletes[0].schedule.reps
    sets = len({step.set_no for step in reps}) > 1
    return {step.rep_index or 0: f"{step.set_no}.{step.rep_no}" if sets else str(step.rep_index)
            for step in reps}


def _mark_line(mark: Mark, record: Record, names: list[str], labels: dict[int, str]) -> str:
    """'   57  rep 3 +1:12.40 (BEN's GO)  unexpected, beam'."""
    judged = mark.judged
    starts = [rep for athlete in range(len(names))
              if (rep := rep_holding(record, athlete, judged.at)) is not None]
    latest = max(starts, key=lambda rep: rep.started_at, default=None)
    when = "" if latest is None else (
        f"rep {labels[latest.index]} +{format_duration(judged.at - latest.started_at, 2)} "
        f"({names[latest.athlete or 0]}'s GO)")
    whose = (f"{names[judged.athlete or 0]}'s crossing {judged.crossing} of rep "
             f"{labels.get(judged.index or 0, judged.index)}"
             if judged.role is MarkRole.CROSSING else judged.role.value)
    return f"{mark.id:>5}  {when}  {whose}, {judged.source.value}"


def _said(fix: Fix, group: GroupRecord) -> str:
    names = [name.upper() for name in group.names]
    match fix.action:
        case Action.SWAP:
            first, second = fix.athletes
            rep = _labels(group).get(fix.index or 0, fix.index)
            return f"swap rep {rep} {names[first]} {names[second]}"
        case Action.ASSIGN:
            return f"assign mark {fix.mark} to {names[fix.athletes[0]]}"
        case Action.DROP:
            return f"drop mark {fix.mark}"
    return f"undo fix {fix.undoes}"


def _lane(group: GroupRecord, name: str) -> int:
    lane = group.lane(name)
    if lane is None:
        raise UserError(f"no athlete called {name[:20]!r} ran this session (its athletes: "
                        f"{', '.join(group.names)})")
    return lane


def _rep_index(group: GroupRecord, text: str) -> int:
    """A rep as the table heads it: '2.3' (set 2, rep 3), or its number over the plan."""
    set_no, dot, rep_no = text.partition(".")
    if not dot:
        return _number(text, "REP")
    wanted = (_number(set_no, "REP's set"), _number(rep_no, "REP"))
    for step in group.athletes[0].schedule.reps:
        if (step.set_no, step.rep_no) == wanted and step.rep_index is not None:
            return step.rep_index
    raise UserError(f"there is no rep {text} in this session's plan")


def _number(text: str, what: str) -> int:
    if not text.isdigit() or len(text) > 9:
        raise UserError(f"{what} must be a number (got {text[:20]!r})")
    return int(text)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name: a container, a service without one
        return "unknown"
