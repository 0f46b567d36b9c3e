"""Each exercise's status and score: blocked only when its own code is fine and its failures come from a requirement."""
from __future__ import annotations

from collections.abc import Collection
from typing import Callable

from grader import catalog
from grader.catalog import Exercise
from grader.results import CheckResult, ExerciseResult, Feedback
from grader.scoring import earned

Locate = Callable[[str], list[str]]  # 'engine.py:42' -> the exercises that cover that code
OWN, UNKNOWN = 'own', ''


def assemble(chosen: list[Exercise], results: dict[str, list[CheckResult]],
             locate: Locate = lambda where: []) -> list[ExerciseResult]:
    """Give each chosen exercise a status and its score; requirements are judged first, in catalog order."""
    judged: dict[str, ExerciseResult] = {}
    for ex in catalog.load():
        if ex.id in results or ex in chosen:
            checks = results.get(ex.id) or [CheckResult('checks', False, Feedback('no checks ran', kind='internal'))]
            judged_requirements = [judged[r.id] for r in catalog.with_requirements(list(ex.requires)) if r.id in judged]
            failing = [r.id for r in judged_requirements if not r.passed]
            passing = {r.id for r in judged_requirements if r.passed}
            status, blocked_by = _status(ex, checks, failing, locate, passing)
            points = earned(ex.points, checks, ex.all_or_nothing)
            judged[ex.id] = ExerciseResult(ex.id, ex.title, points, ex.points, status, checks, blocked_by)
    return [judged[ex.id] for ex in chosen]


def _status(ex: Exercise, checks: list[CheckResult], failing: list[str], locate: Locate,
            passing: Collection[str] = ()) -> tuple[str, str]:
    """(status, the requirement that fails too); 'blocked' only when no failure is the exercise's own."""
    failed = [c for c in checks if not c.passed and c.feedback]
    failures = [c.feedback for c in failed]
    if not failures and all(c.passed for c in checks):
        return 'passed', ''
    causes = [cause(ex, f, failing, locate, passing) for f in failures]
    for check, origin in zip(failed, causes):
        check.cause = origin
    others = [c for c in causes if c not in (OWN, UNKNOWN)]
    too = others[0] if others else (failing[0] if failing else '')
    if any(f.kind == 'not_implemented' and c == OWN for f, c in zip(failures, causes)):
        return 'not_implemented', too
    if OWN in causes or (UNKNOWN in causes and not failing) or not failures:
        return 'failed', too
    return 'blocked', too


def cause(ex: Exercise, fb: Feedback, failing: list[str], locate: Locate, passing: Collection[str] = ()) -> str:
    """Whose code a failure comes from: OWN, another exercise's id, or UNKNOWN (a wrong number says no more)."""
    if fb.blocked_by and fb.blocked_by != ex.id and fb.blocked_by not in passing:
        return fb.blocked_by  # another exercise's stub, a requirement that hung, or one a check found wrong
    if fb.kind == 'not_implemented':
        return OWN
    if fb.kind in ('not_run', 'internal'):
        return UNKNOWN  # not run after a hang of this exercise: the hang itself says whose it is
    if fb.kind in ('syntax', 'missing_file'):
        file = fb.where.rpartition(':')[0] if fb.where else fb.summary.partition(' ')[0]
        return _by_file(ex, file, failing)
    if fb.where:
        owners = locate(fb.where)
        if ex.id in owners or not owners:
            return OWN if owners or fb.kind == 'error' else UNKNOWN
        return next((o for o in owners if o in failing), OWN)
    # An exception with no frame of the student's: the grader's own call into this exercise's code failed.
    return OWN if fb.kind == 'error' else UNKNOWN


def _by_file(ex: Exercise, file: str, failing: list[str]) -> str:
    """A broken or missing file is the exercise's own if it writes in it, else a failing requirement's."""
    if file in ex.files:
        return OWN
    return next((r for r in failing if file in catalog.get(r).files), OWN)
