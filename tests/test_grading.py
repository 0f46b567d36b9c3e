"""Solutions get full marks; untouched stubs fail their own exercises cleanly."""
import ast
from pathlib import Path

import pytest

from grader import catalog
from grader.grading import grade
from mutate import make_submission

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


def stub_source(file: str, symbol: str) -> tuple[str, str]:
    """The solution's and the stub's source of one top-level function or Value method."""
    def find(path):
        text = path.read_text()
        tree = ast.parse(text)
        parts = symbol.split('.')
        nodes = tree.body
        for part in parts[:-1]:
            nodes = next(n for n in nodes if getattr(n, 'name', None) == part).body
        node = next(n for n in nodes if getattr(n, 'name', None) == parts[-1])
        return ''.join(text.splitlines(keepends=True)[node.lineno - 1:node.end_lineno])
    return find(ROOT / 'solutions' / file), find(ROOT / 'exercises' / file)


def own_symbols(ex):
    """The symbols an exercise covers that no earlier exercise also covers (forward_ops owns + and *)."""
    earlier = {(f, s) for e in catalog.load()[:catalog.load().index(ex)] for f, ss in e.covers.items() for s in ss}
    return [(f, s) for f, ss in ex.covers.items() for s in ss if (f, s) not in earlier]


@pytest.mark.parametrize('exercise', [e.id for e in catalog.load()])
def test_each_stub_fails_its_own_exercise(tmp_path, exercise):
    """Solutions with one exercise's stubs put back: that exercise reports 'not implemented yet'."""
    ex = catalog.get(exercise)
    # A data file such as quiz.toml has no functions: its whole stub replaces the solution.
    patches = [(f, (ROOT / 'solutions' / f).read_text(), (ROOT / 'exercises' / f).read_text())
               for f in ex.covers if not f.endswith('.py')]
    for file, symbol in own_symbols(ex):
        if not file.endswith('.py'):
            continue
        if symbol in ('Neuron', 'Layer', 'MLP'):
            symbol += '.__init__'
        solution, stub = stub_source(file, symbol)
        patches.append((file, solution, stub))
    report = grade(make_submission(tmp_path, patches), [exercise])
    result = report.exercises[0]
    assert result.status == 'not_implemented', result
    assert result.first_failure.feedback.summary.startswith(('not implemented yet', 'not answered yet'))
