"""Solutions get full marks; untouched stubs fail their own exercises cleanly."""
from pathlib import Path

import pytest

from grader import catalog
from grader.grading import grade
from grader.validation import check_stubs

ROOT = Path(__file__).resolve().parent.parent
CLEAN_FAILURES = ('not_implemented', 'wrong')


def test_solutions_get_full_marks():
    report = grade(ROOT / 'solutions')
    assert [e.status for e in report.exercises] == ['passed'] * len(catalog.load())
    assert report.score == report.max_score == sum(e.points for e in catalog.load())
    assert report.full_marks


def test_untouched_stubs_fail_every_exercise_cleanly():
    report = grade(ROOT / 'exercises')
    assert report.score == 0 and not report.full_marks
    for e in report.exercises:
        assert e.status in ('not_implemented', 'blocked'), (e.id, e.status)
        for c in e.checks:
            assert c.passed or c.feedback.kind in CLEAN_FAILURES, (e.id, c.name, c.feedback)
    first = report.exercises[0].first_failure.feedback
    assert first.summary == 'not implemented yet: numerical_derivative'
    assert first.where == 'derivatives.py:7'


@pytest.mark.parametrize('exercise', [e.id for e in catalog.load()])
def test_each_stub_fails_its_own_exercise(tmp_path, exercise):
    """Solutions with only this exercise's marked regions stubbed: it reports 'not implemented yet'."""
    problems = check_stubs(ROOT / 'solutions', [exercise], tmp_path)
    assert not problems, f'{problems[0].expected}, but:\n{problems[0].shown}'
