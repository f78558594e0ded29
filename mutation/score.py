"""A module's mutation score without its recorded equivalents, and the verdict on it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from mutation.equivalents import MAX_SHARE
from mutation.mutants import MutantKey


class Outcome(Enum):
    """What running the tests against one mutant showed."""

    KILLED = "killed"  # a test failed, or the run timed out
    SURVIVED = "survived"
    ERROR = "error"  # the mutation or the test run itself broke: no verdict on the tests


@dataclass(frozen=True)
class ModuleScore:
    """The counts behind one module's line in the table."""

    module: str
    mutants: int  # every mutant of the module, annotation-only ones excluded
    annotations: int  # annotation-only mutants, never run
    run: int  # mutants run (all of them, or the sample)
    killed: int
    equivalents: int  # survivors recorded as equivalent
    survivors: tuple[MutantKey, ...]  # survivors not recorded: test gaps
    errors: int
    stale: tuple[MutantKey, ...]  # recorded equivalents that a test killed after all
    recorded: int  # equivalents recorded for the module, run or not
    seconds: float
    threshold: float

    @property
    def score(self) -> float:
        """Killed among the mutants run, equivalent survivors and errors left out, in %."""
        judged = self.run - self.equivalents - self.errors
        return 100.0 if judged <= 0 else 100.0 * self.killed / judged

    @property
    def too_many_equivalents(self) -> bool:
        return self.recorded > MAX_SHARE * self.mutants

    @property
    def passed(self) -> bool:
        return self.score >= self.threshold and not self.too_many_equivalents and not self.errors


def score_module(
    module: str,
    outcomes: Mapping[MutantKey, Outcome],
    mutants: int,
    annotations: int,
    recorded: Iterable[MutantKey],
    seconds: float,
    threshold: float,
) -> ModuleScore:
    """Tally one module's run against the equivalents recorded for it."""
    recorded_keys = set(recorded)
    killed = sum(outcome is Outcome.KILLED for outcome in outcomes.values())
    errors = sum(outcome is Outcome.ERROR for outcome in outcomes.values())
    survived = [key for key, outcome in outcomes.items() if outcome is Outcome.SURVIVED]
    equivalent = [key for key in survived if key in recorded_keys]
    new = tuple(sorted((key for key in survived if key not in recorded_keys), key=_order))
    stale = tuple(
        sorted((key for key in recorded_keys if outcomes.get(key) is Outcome.KILLED), key=_order)
    )
    return ModuleScore(
        module=module,
        mutants=mutants,
        annotations=annotations,
        run=len(outcomes),
        killed=killed,
        equivalents=len(equivalent),
        survivors=new,
        errors=errors,
        stale=stale,
        recorded=len(recorded_keys),
        seconds=seconds,
        threshold=threshold,
    )


def _order(key: MutantKey) -> tuple[str, str, int, str]:
    return (key.line, key.operator, key.index, key.module)


def format_duration(seconds: float) -> str:
    """``42 s``, ``3 min 05 s``, ``1 h 02 min``."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def format_table(scores: Sequence[ModuleScore]) -> str:
    """A markdown table, one line per module, as the README's testing section shows it."""
    rows = [
        "| module | mutants | run | killed | equivalent | survived | score | target | time |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for item in scores:
        verdict = "" if item.passed else " ✗"
        rows.append(
            f"| `{item.module}` | {item.mutants} | {item.run} | {item.killed} "
            f"| {item.equivalents} | {len(item.survivors)} | {item.score:.1f}%{verdict} "
            f"| {item.threshold:g}% | {format_duration(item.seconds)} |"
        )
    return "\n".join(rows)


def problems(item: ModuleScore) -> list[str]:
    """Why a module failed, one line each; empty when it passed."""
    found = []
    if item.score < item.threshold:
        found.append(f"score {item.score:.1f}% is below the threshold {item.threshold:g}%")
    if item.too_many_equivalents:
        limit = int(MAX_SHARE * item.mutants)
        found.append(
            f"{item.recorded} equivalents recorded, more than 10% of {item.mutants} ({limit})"
        )
    if item.errors:
        found.append(f"{item.errors} mutants could not be run (see the session database)")
    return found
