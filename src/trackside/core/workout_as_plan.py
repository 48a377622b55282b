"""A structured workout (from a watch, a FIT file or intervals.icu) as a Trackside plan.

Rules for this module:
  1. The steps are read in the order they are run (repeats unrolled), then folded into the
     plan that runs exactly them: warm-up steps first and cool-down steps last become the
     warm-up and cool-down; work steps back to back are the segments of one rep; the rests
     between two reps are one rest, or a set break when one of them ends on the lap button;
     equal reps in a row are one block, equal sets in a row one block of several sets.
  2. What Trackside cannot run as written, but can leave out or run in a way that keeps the
     athlete's session, is one note each (returned, never printed here): the plan still
     loads. A step it cannot end honestly is a UserError.
  3. Targets: Trackside's own text where the workout carries it ('pace', '85%'); else a
     single speed is a pace and a speed range the time range it gives over the step.
  4. Every error and note names where the step was written: "workout.fit, step 4: ...".
  5. Pure: the plan is validated by the same models as a TOML file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from trackside.core.errors import UserError
from trackside.core.plan import Plan
from trackside.core.plan_values import is_label
from trackside.core.problems import Path, first_problem
from trackside.core.workout import Ends, Intensity, Speed, Step, Workout, flatten

Notes = tuple[str, ...]


def plan_of(workout: Workout, source: str, references: dict[str, Any] | None = None
            ) -> tuple[Plan, Notes]:
    """The plan that runs `workout`, and a note for each thing it runs otherwise.

    `source` names the file in every message; `references` ('pace', 'max_speed': the
    command line's; 'races': an athlete's) replace the workout's own.
    """
    fold = _Fold(source)
    data = fold.plan_data(workout)
    data.update(references or {})
    try:
        plan = Plan.model_validate(data)
    except ValidationError as error:
        problem = first_problem(error)
        key = problem.key if problem.key not in (None, "blocks", "segments") else None
        about = f"{key.replace('_', ' ')}: " if key else ""
        raise UserError(f"{source}, {fold.where_of(problem.path)}: {about}{problem.message}"
                        ) from None
    return plan, tuple(dict.fromkeys(fold.notes))  # a step repeated is said once


@dataclass(frozen=True)
class _Gap:
    """What comes between two reps: a rest, or a set break (`set_break` then holds it)."""

    rest_s: float = 0.0
    set_break: dict[str, float] | None = None
    where: str = field(default="", compare=False)


@dataclass
class _Set:
    reps: list[tuple[Step, ...]]
    gaps: list[_Gap]  # one fewer than reps
    set_break: _Gap | None = None  # the one after this set; None for the last


class _Fold:
    def __init__(self, source: str) -> None:
        self.source = source
        self.notes: list[str] = []
        self._where: dict[Path, str] = {}

    def where_of(self, path: Path) -> str:
        for length in range(len(path), -1, -1):
            if (where := self._where.get(path[:length])) is not None:
                return where
        return "the workout"

    def plan_data(self, workout: Workout) -> dict[str, Any]:
        steps = flatten(workout.steps, self.source)
        if not steps:
            raise UserError(f"{self.source}: the workout has no steps")
        self._where[()] = steps[0].where
        start = next((n for n, step in enumerate(steps) if step.intensity is not Intensity.WARMUP),
                     len(steps))
        end = len(steps)
        while end > start and steps[end - 1].intensity is Intensity.COOLDOWN:
            end -= 1
        data: dict[str, Any] = {"name": workout.name, "blocks": []}
        if workout.description:
            data["description"] = workout.description
        for key, value in (("lap", workout.lap_m), ("pace", workout.pace),
                           ("max_speed", workout.max_speed), ("races", workout.races)):
            if value is not None:
                data[key] = value
        for key, part in (("warmup", steps[:start]), ("cooldown", steps[end:])):
            if seconds := self._end_time(key, part):
                data[key] = seconds
        sets = self._sets(steps[start:end])
        if not sets:
            raise UserError(f"{self.source}: the workout has no work step between its "
                            "warm-up and cool-down: nothing to time")
        data["blocks"] = self._blocks(sets)
        return data

    def _note(self, step: Step, text: str) -> None:
        self.notes.append(f"{self.source}, {step.where}: {text}")

    def _end_time(self, key: str, steps: list[Step]) -> float:
        """A warm-up or cool-down: its timed steps, one length; the others left out."""
        what = "warm-up" if key == "warmup" else "cool-down"
        timed = [step for step in steps if step.ends is Ends.TIME]
        for step in steps:
            if step.ends is not Ends.TIME:
                how = "on the lap button" if step.ends is Ends.PRESS else "by distance"
                self._note(step, f"a {what} that ends {how} is left out: Trackside's {what} "
                                 "is timed")
        if len(timed) > 1:
            self._note(timed[0], f"{len(timed)} {what} steps make one {what} of "
                                 f"{_clock(sum(step.amount or 0.0 for step in timed))}")
        if timed:
            self._where[(key,)] = timed[0].where
        return sum(step.amount or 0.0 for step in timed)

    def _sets(self, steps: list[Step]) -> list[_Set]:
        """The work split into reps and the gaps between them, and into sets at set breaks."""
        runs: list[tuple[bool, list[Step]]] = []  # (work?, steps), alternating
        for step in steps:
            work = step.intensity is Intensity.WORK
            if step.intensity in (Intensity.WARMUP, Intensity.COOLDOWN):
                part = "warm-up" if step.intensity is Intensity.WARMUP else "cool-down"
                self._note(step, f"a {part} step between work steps is run as a rest")
            if runs and runs[-1][0] == work:
                runs[-1][1].append(step)
            else:
                runs.append((work, [step]))
        for at, why in ((0, "before the first rep is left out: Trackside waits for the "
                            "button there"),
                        (-1, "after the last rep is left out: the session ends with the last "
                             "rep (then the cool-down)")):
            if runs and not runs[at][0]:
                self._note(runs.pop(at)[1][0], f"the rest {why}")
        sets = [_Set([], [])]
        for work, run in runs:
            if work:
                sets[-1].reps.append(tuple(run))
                continue
            gap = self._gap(run)
            if gap.set_break is None:
                sets[-1].gaps.append(gap)
            else:
                sets[-1].set_break = gap
                sets.append(_Set([], []))
        return sets if sets[0].reps else []

    def _gap(self, rests: list[Step]) -> _Gap:
        """Rests in a row: one rest; a set break if one ends on the button (or a distance)."""
        where = rests[0].where
        timed = [step for step in rests if step.ends is Ends.TIME]
        seconds = sum(step.amount or 0.0 for step in timed)
        if len(timed) == len(rests):
            if len(rests) > 1:
                self._note(rests[0], f"{len(rests)} rests in a row make one of {_clock(seconds)}")
            return _Gap(rest_s=seconds, where=where)
        for step in rests:
            if step.ends in (Ends.DISTANCE, Ends.COUNT):
                self._note(step, "a rest that ends by distance ends when you press the button "
                                 "(a rest ended by a beam crossing is not in Trackside yet)")
        last = rests[-1]
        set_break = {"low": seconds} | ({"high": last.max_s} if last.max_s is not None else {})
        return _Gap(set_break=set_break, where=where)

    def _blocks(self, sets: list[_Set]) -> list[dict[str, Any]]:
        per_set = [self._set_blocks(one) for one in sets]
        blocks: list[dict[str, Any]] = []
        number = 0
        while number < len(sets):
            count = self._same_sets(sets, per_set, number)
            first = per_set[number]
            after = sets[number + count - 1].set_break
            if count > 1:
                block = {**first[0][0], "sets": count}
                between = sets[number].set_break
                if between is not None and between.set_break != {"low": 0.0}:
                    block["set_break"] = between.set_break
                self._place(len(blocks), first[0][1])
                blocks.append(block)
            else:
                for block, where in first:
                    self._place(len(blocks), where)
                    blocks.append(block)
                if after is not None:
                    blocks[-1] = {**blocks[-1], "set_break": after.set_break}
            if after is not None:
                self._where[("blocks", len(blocks) - 1, "set_break")] = after.where
            number += count
        return blocks

    @staticmethod
    def _same_sets(sets: list[_Set], per_set: list[list[tuple[dict[str, Any], dict]]],
                   number: int) -> int:
        """How many sets from `number` on are one block, alike, with alike set breaks."""
        if len(per_set[number]) != 1:
            return 1
        between = sets[number].set_break
        count = 1
        block = per_set[number][0][0]
        while (number + count < len(sets) and len(per_set[number + count]) == 1
               and per_set[number + count][0][0] == block
               and sets[number + count - 1].set_break == between):
            count += 1
        after = sets[number + count - 1].set_break
        if count > 1 and after is not None and after != between:
            count -= 1  # the last of them is followed by another kind of set break
        return count

    def _set_blocks(self, one: _Set) -> list[tuple[dict[str, Any], dict]]:
        """Runs of equal reps: (block data, where its parts were written)."""
        blocks = []
        start = 0
        while start < len(one.reps):
            end = start + 1
            while end < len(one.reps) and one.reps[end] == one.reps[start]:
                end += 1
            rests = [gap.rest_s for gap in one.gaps[start:end]]  # inner gaps and the join
            block: dict[str, Any] = {"reps": end - start,
                                     "segments": [self._segment(step) for step in one.reps[start]]}
            # A rest to the next block is in the file: written out (one value per rep).
            joined = len(rests) == end - start > 1
            if rests:
                block["rest"] = rests if joined or len(set(rests)) > 1 else rests[0]
            rep = one.reps[start][0]
            for key, value in (("splits", rep.splits_m), ("crossings", rep.crossings)):
                if value is not None:
                    block[key] = value
            where = {(): rep.where, ("rest",): one.gaps[start].where if rests else rep.where}
            where |= {("segments", n): step.where for n, step in enumerate(one.reps[start])}
            blocks.append((block, where))
            start = end
        return blocks

    def _place(self, number: int, where: dict) -> None:
        for path, text in where.items():
            self._where[("blocks", number, *path)] = text

    def _segment(self, step: Step) -> dict[str, Any]:
        segment: dict[str, Any] = {}
        if step.name and is_label(step.name):
            segment["label"] = step.name
        elif step.name:
            self._note(step, f"its name {step.name[:20]!r} is left out: a label is words of "
                             "letters (squats, box jumps)")
        match step.ends:
            case Ends.DISTANCE:
                segment["distance"] = step.amount
            case Ends.TIME:
                segment["duration"] = step.amount
            case Ends.COUNT:
                segment["count"] = round(step.amount or 0)
            case Ends.PRESS:
                segment["count"] = 1
                segment.setdefault("label", "effort")
                self._note(step, f"a step that ends on the lap button is run as one "
                                 f"{segment['label']}, ended by the button")
        if step.target_text:
            segment["target"] = step.target_text
        elif step.speed is not None and step.ends is Ends.DISTANCE:
            segment["target"] = _target_text(step.speed, step.amount or 0.0)
        elif step.speed is not None:
            self._note(step, f"the pace target {_pace_text(step.speed)} is left out: only a "
                             "distance rep is timed against a target")
        return segment


def _target_text(speed: Speed, metres: float) -> str:
    """A single speed as a pace ('4:55/km'); a range as the time over `metres` ('1:56-2:00')."""
    if abs(speed.fast - speed.slow) < 5e-4:  # within FIT's resolution (mm/s)
        return _pace_text(speed)
    return f"{_clock(metres / speed.fast, unit='')}-{_clock(metres / speed.slow)}"


def _pace_text(speed: Speed) -> str:
    fast = _clock(1000 / speed.fast, unit="")
    if abs(speed.fast - speed.slow) < 5e-4:
        return f"{fast}/km"
    return f"{_clock(1000 / speed.slow, unit='')}-{fast}/km"


def _clock(seconds: float, unit: str = "s") -> str:
    """To the tenth, as a coach writes it: '58.5s', '1:56', '1:56.4', '4:55' (unit='')."""
    tenths = round(seconds * 10)
    whole, tenth = divmod(tenths, 10)
    minutes, secs = divmod(whole, 60)
    fraction = f".{tenth}" if tenth else ""
    return f"{minutes}:{secs:02d}{fraction}" if minutes else f"{secs}{fraction}{unit}"
