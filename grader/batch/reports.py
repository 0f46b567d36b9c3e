"""Reports as the batch keeps them: read back from JSON, or made up for a submission that could not be graded."""
from __future__ import annotations

import dataclasses
import json
from typing import Any

from grader import catalog, render
from grader.results import CheckResult, ExerciseResult, Feedback, NodeDiff, Report


class BadReport(ValueError):
    """JSON that is not a grading report."""


def report_from_dict(data: Any) -> Report:
    """The Report that render.as_json wrote; raises BadReport for anything else."""
    try:
        exercises = [_build(ExerciseResult, e, checks=[_check(c) for c in e['checks']]) for e in data['exercises']]
        return _build(Report, data, exercises=exercises)
    except (KeyError, TypeError, AttributeError) as e:
        raise BadReport(f'not a grading report ({type(e).__name__}: {e})') from None


def _check(data: dict) -> CheckResult:
    fb = data.get('feedback')
    feedback = _build(Feedback, fb, diffs=[_build(NodeDiff, d) for d in fb.get('diffs', [])]) if fb else None
    return _build(CheckResult, data, feedback=feedback)


def _build(cls: type, data: dict, **given: Any) -> Any:
    """An instance of the dataclass from the keys it knows; keys written by other versions are ignored."""
    known = {f.name for f in dataclasses.fields(cls)}
    return cls(**{**{k: v for k, v in data.items() if k in known}, **given})


def unreadable_report(name: str, reason: str) -> Report:
    """Score 0 on every exercise, each saying why the submission could not be graded."""
    feedback = Feedback(f'this submission could not be graded: {reason}', kind='unreadable')
    exercises = [ExerciseResult(e.id, e.title, 0, e.points, 'error', [CheckResult('submission', False, feedback)])
                 for e in catalog.load()]
    return Report(name, exercises)


def results_json(report: Report, note: str, problems: list[str]) -> str:
    """Gradescope's results.json; why grading failed, or what a notebook lacked, is the submission-wide output."""
    doc = json.loads(render.gradescope(report))
    if note:
        doc['output'] = f'This submission could not be graded: {note}'
    elif problems:
        doc['output'] = 'Your notebook:\n' + '\n'.join(f' ! {p}' for p in problems)
    return json.dumps(doc, indent=2)


def stored(report: Report, note: str, problems: list[str]) -> str:
    """What report.json holds: the whole report, the note and the notebook's problems."""
    return json.dumps({'note': note, 'problems': problems, 'report': json.loads(render.as_json(report))}, indent=2)


def load_stored(text: str) -> tuple[Report, str, list[str]]:
    """The report, note and problems from report.json; raises BadReport if it is not one."""
    try:
        data = json.loads(text)
    except ValueError as e:
        raise BadReport(f'not JSON ({e})') from None
    if not isinstance(data, dict) or not isinstance(data.get('note'), str):
        raise BadReport('not a stored report')
    problems = data.get('problems', [])
    if not isinstance(problems, list) or not all(isinstance(p, str) for p in problems):
        raise BadReport('not a stored report')
    return report_from_dict(data.get('report')), data['note'], problems
