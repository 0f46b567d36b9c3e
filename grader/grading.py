"""grade(): run the hidden checks of some exercises against one submission folder."""
from __future__ import annotations

import contextlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grader import catalog
from grader.feedback.attribution import Locator
from grader.loop.cancel import Cancel, Cancelled
from grader.catalog import Exercise
from grader.plugin import FailFast
from grader.results import CheckResult, Report
from grader.sandbox.runner import Limits, Sandbox, SandboxError
from grader.status import assemble


class GradingError(Exception):
    """The grading run itself could not happen, for a reason the user can fix."""


def grade(submission: Path, exercise_ids: list[str] | None = None, limits: Limits = Limits(),
          requirements: bool = True, cancel: Cancel | None = None) -> Report:
    """Grade the chosen exercises (all by default); requirements are checked too when one fails, unless told not to.

    With `cancel`, a request from another thread stops the run with Cancelled, its sandbox closed.
    """
    submission = Path(submission)
    if not submission.is_dir():
        raise GradingError(f'{submission} is not a folder of exercises')
    chosen = [catalog.get(i) for i in exercise_ids] if exercise_ids else list(catalog.load())
    start = time.monotonic()
    cancel = cancel or Cancel()
    cancel.check()
    with ThreadPoolExecutor(1) as pool:  # the sandbox is set up while pytest is imported
        starting = pool.submit(Sandbox, submission, limits, start=False)
        import pytest  # noqa: F401
        try:
            sandbox = starting.result()
        except SandboxError as e:
            raise GradingError(str(e)) from None
    # Its child is started here: a child dies with the thread that started it (PR_SET_PDEATHSIG).
    try:
        sandbox.start()
    except SandboxError as e:
        raise GradingError(str(e)) from None
    with sandbox:
        locate = Locator(sandbox.read_text)
        state = FailFast(locate)
        results = run_checks(sandbox, chosen, state, cancel)
        failing = [e for e in chosen if not all(c.passed for c in results.get(e.id, []))]
        extra = [e for e in catalog.with_requirements([e.id for e in failing]) if e.id not in results]
        if extra and requirements:
            results.update(run_checks(sandbox, extra, state, cancel))
        exercises = assemble(chosen, results, locate)
    return Report(str(submission), exercises, time.monotonic() - start, sandbox.level)


def run_checks(sandbox: Sandbox, exercises: list[Exercise], state: FailFast | None = None,
               cancel: Cancel | None = None) -> dict[str, list[CheckResult]]:
    """Run the exercises' check modules under pytest, in this process; student code stays in the sandbox."""
    import pytest

    from grader.plugin import Collector

    collector = Collector(sandbox, state)
    args = [str(e.check_path) for e in exercises] + [
        '-p', 'no:cacheprovider', '-p', 'no:terminal', '-p', 'no:pastebin', '-p', 'no:unraisableexception',
        '-p', 'no:threadexception', '-p', 'no:faulthandler', '-p', 'no:doctest', '-p', 'no:junitxml',
        '-c', os.devnull, '--rootdir', str(catalog.CHECKS_DIR), '--confcutdir', str(catalog.CHECKS_DIR),
        '-W', 'ignore::pytest.PytestAssertRewriteWarning']
    # Third-party pytest plugins installed beside the grader must not change how checks run.
    previous = os.environ.get('PYTEST_DISABLE_PLUGIN_AUTOLOAD')
    os.environ['PYTEST_DISABLE_PLUGIN_AUTOLOAD'] = '1'
    try:
        with cancel.armed() if cancel else contextlib.nullcontext():
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


__all__ = ['Cancelled', 'GradingError', 'assemble', 'grade', 'run_checks']
