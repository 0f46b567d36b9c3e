"""grade(): run the hidden checks of some exercises against one submission folder."""
from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grader import catalog
from grader.catalog import Exercise
from grader.results import CheckResult, ExerciseResult, Feedback, Report
from grader.sandbox.runner import Limits, Sandbox, SandboxError


class GradingError(Exception):
    """The grading run itself could not happen, for a reason the user can fix."""


def grade(submission: Path, exercise_ids: list[str] | None = None, limits: Limits = Limits(),
          requirements: bool = True) -> Report:
    """Grade the chosen exercises (all by default); requirements are checked too when one fails, unless told not to."""
    submission = Path(submission)
    if not submission.is_dir():
        raise GradingError(f'{submission} is not a folder of exercises')
    chosen = [catalog.get(i) for i in exercise_ids] if exercise_ids else list(catalog.load())
    start = time.monotonic()
    with ThreadPoolExecutor(1) as pool:  # the sandbox starts while pytest and Hypothesis are imported
        starting = pool.submit(Sandbox, submission, limits)
        import pytest  # noqa: F401
        try:
            sandbox = starting.result()
        except SandboxError as e:
            raise GradingError(str(e)) from None
    with sandbox:
        results = run_checks(sandbox, chosen)
        failing = [e for e in chosen if not all(c.passed for c in results.get(e.id, []))]
        extra = [e for e in catalog.with_requirements([e.id for e in failing]) if e.id not in results]
        if extra and requirements:
            results.update(run_checks(sandbox, extra))
    exercises = assemble(chosen, results)
    return Report(str(submission), exercises, time.monotonic() - start, sandbox.level)


def run_checks(sandbox: Sandbox, exercises: list[Exercise]) -> dict[str, list[CheckResult]]:
    """Run the exercises' check modules under pytest, in this process; student code stays in the sandbox."""
    import pytest

    from grader.plugin import Collector

    collector = Collector(sandbox)
    args = [str(e.check_path) for e in exercises] + [
        '-p', 'no:cacheprovider', '-p', 'no:terminal', '-p', 'no:pastebin', '-p', 'no:unraisableexception',
        '-p', 'no:threadexception', '-p', 'no:faulthandler', '-p', 'no:doctest', '-p', 'no:junitxml',
        '-c', os.devnull, '--rootdir', str(catalog.CHECKS_DIR), '--confcutdir', str(catalog.CHECKS_DIR),
        '-W', 'ignore::pytest.PytestAssertRewriteWarning']
    # Third-party pytest plugins installed beside the grader must not change how checks run.
    previous = os.environ.get('PYTEST_DISABLE_PLUGIN_AUTOLOAD')
    os.environ['PYTEST_DISABLE_PLUGIN_AUTOLOAD'] = '1'
    try:
        code = pytest.main(args, plugins=[collector])
    finally:
        if previous is None:
            del os.environ['PYTEST_DISABLE_PLUGIN_AUTOLOAD']
        else:
            os.environ['PYTEST_DISABLE_PLUGIN_AUTOLOAD'] = previous
    if code == pytest.ExitCode.INTERRUPTED:
        raise KeyboardInterrupt  # pytest caught a Ctrl-C: stop, rather than report checks that never ran
    if code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR) or collector.errors:
        raise GradingError('the hidden checks could not be loaded:\n' + '\n'.join(collector.errors or [f'pytest exited with {code!r}']))
    return dict(collector.results)


def assemble(chosen: list[Exercise], results: dict[str, list[CheckResult]]) -> list[ExerciseResult]:
    """Give each exercise a status; a failure caused by an earlier exercise is reported as blocked."""
    failed = {ex_id for ex_id, checks in results.items() if not all(c.passed for c in checks)}
    out = []
    for ex in chosen:
        checks = results.get(ex.id) or [CheckResult('checks', False, Feedback('no checks ran', kind='internal'))]
        status, blocked_by = _status(ex, checks, failed)
        points = ex.points if status == 'passed' else 0
        out.append(ExerciseResult(ex.id, ex.title, points, ex.points, status, checks, blocked_by))
    return out


def _status(ex: Exercise, checks: list[CheckResult], failed: set[str]) -> tuple[str, str]:
    failures = [c.feedback for c in checks if not c.passed and c.feedback]
    if not failures and all(c.passed for c in checks):
        return 'passed', ''
    stubs = [f.blocked_by for f in failures if f.kind == 'not_implemented']
    if '' in stubs:
        return 'not_implemented', ''
    if stubs:
        return 'blocked', stubs[0]
    if any(f.kind in ('syntax', 'missing_file') for f in failures):
        return 'failed', ''
    for req in catalog.with_requirements(list(ex.requires)):
        if req.id in failed:
            return 'blocked', req.id
    return 'failed', ''
