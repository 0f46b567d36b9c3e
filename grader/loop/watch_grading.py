"""One save's grading for `grade watch`, in two stages in one sandbox: the exercise in focus, then the rest.

The rest never grades the focus again: its checks are merged in, and what hung or crashed in it is not
met again, so an endless loop costs one time limit, not one per stage.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from grader import catalog
from grader.feedback.attribution import Locator
from grader.loop.cancel import Cancel
from grader.catalog import Exercise
from grader.grading import GradingError, run_checks
from grader.plugin import FailFast
from grader.results import CheckResult, Report
from grader.sandbox.runner import Limits, Sandbox, SandboxError
from grader.status import assemble


def grade_in_stages(submission: Path, first: list[str], scope: list[str] | None, limits: Limits, cancel: Cancel,
                    on_first: Callable[[Report], None]) -> Report:
    """Grade `first` alone (on_first gets its report, without its requirements), then the rest of the scope
    and the requirements of what fails, as grade() does; returns the whole report."""
    submission = Path(submission)
    if not submission.is_dir():
        raise GradingError(f'{submission} is not a folder of exercises')
    chosen = [catalog.get(i) for i in scope] if scope else list(catalog.load())
    focus = [catalog.get(i) for i in first]
    start = time.monotonic()
    cancel.check()
    try:
        sandbox = Sandbox(submission, limits)
    except SandboxError as e:
        raise GradingError(str(e)) from None
    with sandbox:
        locate = Locator(sandbox.read_text)
        state = FailFast(locate)  # shared by both stages: a hang in the focus is not run into again
        results = _run(sandbox, focus, state, cancel, {})

        def report(exercises: list[Exercise]) -> Report:
            assembled = assemble(exercises, results, locate)
            return Report(str(submission), assembled, time.monotonic() - start, sandbox.level)

        if focus:
            on_first(report(focus))
        results = _run(sandbox, chosen, state, cancel, results)
        failing = [e.id for e in chosen if not all(c.passed for c in results.get(e.id, []))]
        results = _run(sandbox, catalog.with_requirements(failing), state, cancel, results)
        return report(chosen)


def _run(sandbox: Sandbox, exercises: list[Exercise], state: FailFast, cancel: Cancel,
         results: dict[str, list[CheckResult]]) -> dict[str, list[CheckResult]]:
    """The results so far, with the checks of those exercises not graded yet."""
    todo = [e for e in exercises if e.id not in results]
    return {**results, **run_checks(sandbox, todo, state, cancel)} if todo else results
