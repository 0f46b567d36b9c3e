"""Reports as the batch keeps them: read back from JSON, or made up for a submission that could not be graded."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from grader import catalog
from grader.feedback import clean, render
from grader.results import CheckResult, ExerciseResult, Feedback, NodeDiff, Report


@dataclass
class Outcome:
    """What grading one submission produced: a report, and a note when it could not be graded."""

    report: Report
    note: str = ''
    problems: list[str] = field(default_factory=list)  # how it was read: what a notebook lacked, what was left out
    fingerprint: str = ''  # of the files graded, so a rerun notices a changed submission
    graded_at: float = 0.0  # seconds since the epoch, so a rerun can finish an interrupted --force run


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
    return Report(name, exercises, isolation='')  # no code ran: no level to speak of


def results_json(outcome: Outcome) -> str:
    """Gradescope's results.json; why grading failed, or how the submission was read, is the submission-wide output."""
    doc = json.loads(render.gradescope(outcome.report))
    if outcome.note:
        doc['output'] = f'This submission could not be graded: {clean.line(outcome.note)}'
    elif outcome.problems:
        doc['output'] = reading_notes(outcome.problems) + '\n\n' + doc['output']
    return json.dumps(doc, indent=2)


def reading_notes(problems: list[str]) -> str:
    """How the submission was read (what a notebook lacked, files left out, what was graded), as the student reads it."""
    return 'How your submission was read:\n' + '\n'.join(f' ! {clean.line(p)}' for p in problems)


def stored(outcome: Outcome) -> str:
    """What report.json holds: the whole outcome."""
    return json.dumps({'note': outcome.note, 'problems': outcome.problems, 'fingerprint': outcome.fingerprint,
                       'graded_at': outcome.graded_at,
                       'report': json.loads(render.as_json(outcome.report))}, indent=2)


def load_stored(text: str) -> Outcome:
    """The outcome in report.json; raises BadReport if it is not one."""
    try:
        data = json.loads(text)
    except ValueError as e:
        raise BadReport(f'not JSON ({e})') from None
    if not isinstance(data, dict):
        raise BadReport('not a stored report')
    note, problems, fingerprint = data.get('note'), data.get('problems'), data.get('fingerprint')
    if not (isinstance(note, str) and isinstance(fingerprint, str) and isinstance(problems, list)
            and all(isinstance(p, str) for p in problems)):
        raise BadReport('not a stored report')
    graded_at = data.get('graded_at', 0.0)
    return Outcome(report_from_dict(data.get('report')), note, problems, fingerprint,
                   float(graded_at) if type(graded_at) in (int, float) else 0.0)
