"""The pytest plugin that runs hidden checks against a sandbox and collects their results."""
from __future__ import annotations

import dataclasses
import traceback
from collections import defaultdict
from pathlib import Path
from typing import Callable

import pytest

from grader import catalog
from grader.feedback import clean
from grader.checking.student import CheckFailed, Student
from grader.results import CheckResult, Feedback
from grader.sandbox.runner import Sandbox

HANGS = ('timeout', 'crash')  # failures that would cost every later check that meets them as much again
OUTPUT_TAIL = 2000  # Sandbox.output() keeps this many bytes of a check's output: a full tail means more was cut


class FailFast:
    """What has hung or crashed so far in one grading run, so the checks that would meet it again are not run."""

    def __init__(self, locate: Callable[[str], list[str]] = lambda where: []):
        self.locate = locate
        self.given_up: dict[str, str] = {}  # exercise -> why its remaining checks are not run
        self.hung: dict[str, Feedback] = {}  # exercise -> the hang or crash found in its code
        self.ran: set[str] = set()  # exercises with checks run already, which speak for themselves

    def skip_reason(self, exercise: str) -> Feedback | None:
        """Why this exercise's next check is not run, or None to run it."""
        if exercise in self.given_up:
            return Feedback(f'not run: {self.given_up[exercise]}', kind='timeout')
        for req in catalog.with_requirements([exercise]):
            found = self.hung.get(req.id)
            if found is not None and req.id != exercise:
                what = 'ran out of time' if found.kind == 'timeout' else 'crashed'
                return dataclasses.replace(found, summary=f'not run: {req.id} {what} first ({found.summary})',
                                           kind='not_run', blocked_by=req.id, output='', output_cut=False)
        return None

    def record(self, exercise: str, feedback: Feedback | None) -> None:
        """Note a check's result; a hang or crash counts in this exercise and in the requirement whose code it ran."""
        self.ran.add(exercise)
        if feedback is None:
            return
        if feedback.kind == 'timeout':
            self.given_up.setdefault(exercise, 'an earlier check of this exercise ran out of time')
        if feedback.kind not in HANGS:
            return
        self.hung.setdefault(exercise, feedback)
        requirements = {r.id for r in catalog.with_requirements([exercise])} - {exercise}
        for owner in self.locate(feedback.where) if feedback.where else []:
            if owner in requirements and owner not in self.ran:
                self.hung.setdefault(owner, feedback)
                if feedback.kind == 'timeout':
                    self.given_up.setdefault(owner, f'a check of {exercise} ran out of time in its code')


class Collector:
    """Provides the `student` fixture and records one CheckResult per check, by exercise id."""

    def __init__(self, sandbox: Sandbox, state: FailFast | None = None):
        self.sandbox = sandbox
        self.state = state or FailFast()
        self.results: dict[str, list[CheckResult]] = defaultdict(list)
        self.errors: list[str] = []
        self._weights: dict[str, float] = {}
        self._running = ''  # the check whose output the sandbox is collecting

    def pytest_configure(self, config: pytest.Config) -> None:
        """Declare the points marker, so pytest knows it."""
        config.addinivalue_line('markers', 'points(weight): the check\'s share of its exercise\'s points (default 1)')

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Read every check's weight up front: a bad one is an error in the checks, before any runs."""
        for item in items:
            try:
                self._weights[item.nodeid] = _weight(item)
            except ValueError as e:
                self.errors.append(str(e))

    @pytest.fixture
    def student(self, request: pytest.FixtureRequest) -> Student:
        """The student's code for one check, unless a hang or crash already decided it is not run."""
        exercise = Path(str(request.node.fspath)).stem
        skipped = self.state.skip_reason(exercise)
        if skipped:
            raise CheckFailed(skipped)
        self.sandbox.begin_check()
        self._running = request.node.nodeid
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
        """One CheckResult: cleaned feedback with the check's printed output, its weight and its input."""
        exercise = Path(str(item.fspath)).stem
        name = (item.function.__doc__ or item.name).strip().splitlines()[0]
        feedback = None
        if not passed:
            error = call.excinfo.value if call.excinfo else None
            if isinstance(error, CheckFailed):
                feedback = self._with_output(item, error.feedback)
            else:
                detail = ''.join(traceback.format_exception(error)) if error else 'unknown'
                feedback = Feedback(f'internal error in the grader, not in your code: {error!r}',
                                    kind='internal', output=detail)
            feedback = clean.deep(feedback)
            feedback.summary, feedback.where = clean.line(feedback.summary), clean.line(feedback.where)
        self.state.record(exercise, feedback)
        callspec = getattr(item, 'callspec', None)
        self.results[exercise].append(CheckResult(name, passed, feedback, weight=self._weights.get(item.nodeid, 1.0),
                                                  input=clean.line(callspec.id) if callspec else ''))

    def _with_output(self, item: pytest.Item, feedback: Feedback) -> Feedback:
        """The feedback, with what the student's code printed during this check if nothing is attached yet."""
        if feedback.output or self._running != item.nodeid:
            return feedback
        printed = self.sandbox.output()
        cut = len(printed.encode('utf-8', 'replace')) >= OUTPUT_TAIL
        return dataclasses.replace(feedback, output=printed, output_cut=cut)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """A check module that cannot be collected is the grader's error, kept to report."""
        if report.failed:
            self.errors.append(f'{report.nodeid}: {report.longreprtext}')


def _weight(item: pytest.Item) -> float:
    """The check's weight from @pytest.mark.points(n), 1 without it."""
    marker = item.get_closest_marker('points')
    if marker is None:
        return 1.0
    value = marker.args[0] if marker.args else marker.kwargs.get('weight')
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f'{item.nodeid}: @pytest.mark.points needs a number above 0, not {value!r}')
    return float(value)
