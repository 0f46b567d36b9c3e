"""The pytest plugin that runs hidden checks against a sandbox and collects their results."""
from __future__ import annotations

import traceback
from collections import defaultdict
from pathlib import Path

import pytest

from grader.checking.student import CheckFailed, Student
from grader.results import CheckResult, Feedback
from grader.sandbox.runner import Sandbox


class Collector:
    """Provides the `student` fixture and records one CheckResult per check, by exercise id."""

    def __init__(self, sandbox: Sandbox):
        self.sandbox = sandbox
        self.results: dict[str, list[CheckResult]] = defaultdict(list)
        self.given_up: dict[str, str] = {}  # exercise -> why its remaining checks are skipped
        self.errors: list[str] = []

    @pytest.fixture
    def student(self, request: pytest.FixtureRequest) -> Student:
        exercise = Path(str(request.node.fspath)).stem
        if exercise in self.given_up:
            # Once a check hung or crashed, the others would mostly wait for the same loop again.
            raise CheckFailed(Feedback(f'not run: {self.given_up[exercise]}', kind='timeout'))
        self.sandbox.begin_check()
        return Student(self.sandbox, exercise)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
        # Replaces pytest's own report: formatting its tracebacks cost most of a failing run's time.
        passed = call.excinfo is None
        if call.when == 'call' or (call.when == 'setup' and not passed):
            self._record(item, call, passed)
        return pytest.TestReport(item.nodeid, item.location, {}, 'passed' if passed else 'failed',
                                 None if passed else 'see the grader\'s feedback', call.when)

    def _record(self, item: pytest.Item, call: pytest.CallInfo, passed: bool) -> None:
        exercise = Path(str(item.fspath)).stem
        name = (item.function.__doc__ or item.name).strip().splitlines()[0]
        feedback = None
        if not passed:
            error = call.excinfo.value if call.excinfo else None
            if isinstance(error, CheckFailed):
                feedback = error.feedback
                if feedback.kind == 'timeout':
                    self.given_up.setdefault(exercise, 'an earlier check of this exercise ran out of time')
            else:
                detail = ''.join(traceback.format_exception(error)) if error else 'unknown'
                feedback = Feedback(f'internal error in the grader, not in your code: {error!r}',
                                    kind='internal', output=detail)
        self.results[exercise].append(CheckResult(name, passed, feedback))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.errors.append(f'{report.nodeid}: {report.longreprtext}')
