"""Shared helpers for the grader's own tests: grade a patched copy of solutions/ and explain the report."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
for _p in (str(ROOT), str(TESTS)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from grader import catalog  # noqa: E402
from grader.grading import grade  # noqa: E402
from grader.feedback.misconceptions import MISCONCEPTIONS  # noqa: E402
from grader.results import ExerciseResult, Report  # noqa: E402
from mutate import make_submission  # noqa: E402

ALL_IDS = [e.id for e in catalog.load()]


def unused_id(base: str = 'sigmoid') -> str:
    """An exercise id the catalog does not hold: `base`, else base2, base3, ... (a project may have added `base`)."""
    return next(i for i in (base, *(f'{base}{n}' for n in range(2, 100))) if i not in ALL_IDS)


def missing_checks(exercise_ids: list[str] | None) -> list[str]:
    """Check modules that the grading of these exercises (and what they require) needs but that do not exist."""
    wanted = catalog.with_requirements(list(exercise_ids or ALL_IDS))
    return [e.id for e in wanted if not e.check_path.is_file()]


def skip_unless_checks(exercise_ids: list[str] | None) -> None:
    """Every exercise graded needs its check module; a missing one is a failure, never a skip."""
    missing = missing_checks(exercise_ids)
    if missing:
        pytest.fail('hidden checks not written yet: ' + ', '.join(f'grader/checks/{m}.py' for m in missing))


@pytest.fixture
def grade_patched(tmp_path):
    """grade_patched(patches, exercise_ids) -> Report for a copy of solutions/ with the patches applied.

    The patches are applied (and must apply) before anything else, so a stale patch fails even when
    the grading itself is skipped for want of check modules.
    """
    count = iter(range(1_000_000))

    def run(patches=(), exercise_ids: list[str] | None = None) -> Report:
        submission = make_submission(tmp_path, patches, name=f'submission{next(count)}')
        skip_unless_checks(exercise_ids)
        return grade(submission, list(exercise_ids) if exercise_ids else None)

    return run


def result(report: Report, exercise_id: str) -> ExerciseResult:
    found = [e for e in report.exercises if e.id == exercise_id]
    assert found, f'{exercise_id} is not in the report:\n{explain(report)}'
    return found[0]


def misconceptions(ex: ExerciseResult) -> list[str]:
    """The misconception ids named by the failing checks of one exercise ('' left out)."""
    return [c.feedback.misconception for c in ex.checks
            if not c.passed and c.feedback is not None and c.feedback.misconception]


def explain(report: Report) -> str:
    """The report in a few lines per exercise, for assertion messages."""
    lines = []
    for ex in report.exercises:
        head = f'{ex.id}: {ex.status}' + (f' (blocked by {ex.blocked_by})' if ex.blocked_by else '')
        passed = sum(c.passed for c in ex.checks)
        lines.append(f'{head}  [{passed}/{len(ex.checks)} checks passed]')
        shown = 0
        for c in ex.checks:
            if c.passed or c.feedback is None:
                continue
            shown += 1
            if shown > 4:
                lines.append('    ...')
                break
            f = c.feedback
            lines.append(f'  - {c.name}: [{f.kind}] {f.summary}')
            if f.misconception or f.where:
                lines.append(f'      misconception={f.misconception!r} where={f.where!r}')
            if f.blocked_by:
                lines.append(f'      blocked_by={f.blocked_by!r}')
            if f.kind == 'internal' and f.output:
                lines.append('      ' + f.output.strip().splitlines()[-1][:300])
    return '\n'.join(lines)


__all__ = ['ALL_IDS', 'MISCONCEPTIONS', 'explain', 'grade_patched', 'misconceptions', 'result',
           'skip_unless_checks', 'unused_id']
