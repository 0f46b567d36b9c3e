"""Solutions get full marks; stubs fail cleanly; partial credit, fail fast, and blocked only when it is true."""
import dataclasses
import os
from pathlib import Path

import pytest

from batch_helpers import TANH
from conftest import explain, result
from grader import catalog, scoring
from grader.feedback import render
from grader.grading import grade
from grader.plugin import Collector
from grader.sandbox.limits import Limits
from mutate import make_submission
from grader.validation import check_stubs

ROOT = Path(__file__).resolve().parent.parent
CLEAN_FAILURES = ('not_implemented', 'wrong')


@pytest.mark.counts
def test_solutions_get_full_marks():
    report = grade(ROOT / 'solutions')
    assert [e.status for e in report.exercises] == ['passed'] * len(catalog.load())
    assert report.score == report.max_score == sum(e.points for e in catalog.load())
    assert report.full_marks


@pytest.mark.counts
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


@pytest.mark.counts
@pytest.mark.parametrize('exercise', [e.id for e in catalog.load()])
def test_each_stub_fails_its_own_exercise(tmp_path, exercise):
    """Solutions with only this exercise's marked regions stubbed: it reports 'not implemented yet'."""
    problems = check_stubs(ROOT / 'solutions', [exercise], tmp_path)
    assert not problems, f'{problems[0].expected}, but:\n{problems[0].shown}'


# Partial credit -----------------------------------------------------------------------------------

def test_nine_of_ten_quiz_answers_earn_nine_of_its_ten_points(grade_patched):
    report = grade_patched([('quiz.toml', 'q1 = "b"', 'q1 = "a"')], ['quiz'])
    quiz = report.exercises[0]
    assert (quiz.points, quiz.max_points, quiz.status) == (9, 10, 'failed')
    assert render.points(quiz) == '9/10' and render.total_line(report) == 'Total: 9/10'


def test_one_of_the_two_derivative_functions_earns_its_share(grade_patched):
    report = grade_patched([('derivatives.py', 'return (f(x + h) - f(x - h)) / (2 * h)', 'return 0.0')],
                           ['derivatives'])
    ex = report.exercises[0]
    # numerical_derivative's check passes on all five inputs; symmetric_derivative's and the lecture slope fail
    assert ex.points == 1.67 and render.points(ex) == '1.67/5' and ex.status == 'failed'


def test_all_or_nothing_exercises_earn_only_full_marks(grade_patched, monkeypatch):
    strict = tuple(dataclasses.replace(e, all_or_nothing=e.id == 'quiz') for e in catalog.load())
    monkeypatch.setattr(catalog, 'load', lambda path=None: strict)
    report = grade_patched([('quiz.toml', 'q1 = "b"', 'q1 = "a"')], ['quiz'])
    assert report.exercises[0].points == 0 and report.score == 0


def test_weights_from_the_points_marker_and_a_check_counts_once_over_its_inputs(tmp_path):
    checks = tmp_path / 'weighted.py'
    checks.write_text(
        'import pytest\n\n'
        '@pytest.mark.points(3)\n'
        'def test_heavy():\n    """heavy"""\n\n'
        '@pytest.mark.parametrize("x", [1, 2, 3])\n'
        'def test_inputs(x):\n    """inputs"""\n    assert x != 2\n')

    class NoSandbox:
        def output(self) -> str:
            return ''
    collector = Collector(NoSandbox())
    assert pytest.main([str(checks), '-q', '-p', 'no:cacheprovider', '-c', os.devnull,
                        '--rootdir', str(tmp_path)], plugins=[collector]) == pytest.ExitCode.TESTS_FAILED
    results = collector.results['weighted']
    assert [(c.name, c.weight, c.input, c.passed) for c in results] == [
        ('heavy', 3.0, '', True), ('inputs', 1.0, '1', True), ('inputs', 1.0, '2', False), ('inputs', 1.0, '3', True)]
    assert scoring.earned(8, results) == 6  # heavy's 3 of the 4 weights: inputs fails on one of its inputs
    assert scoring.earned(8, results, all_or_nothing=True) == 0


def test_points_read_as_people_write_them():
    assert [scoring.shown(p) for p in (5, 5.0, 4.5, 10 / 3, 0.1 + 0.2, 0)] == ['5', '5', '4.5', '3.33', '0.3', '0']


# Fail fast, and blocked only when it is true ------------------------------------------------------

LOOP_IN_BACKWARD = ('engine.py', '        topo = []\n        visited = set()\n',
                    '        topo = []\n        visited = set()\n        while True:\n            pass\n')


def test_an_endless_loop_in_backward_costs_one_time_limit(grade_patched):
    report = grade_patched([LOOP_IN_BACKWARD])
    ran_out = [(e.id, c.name) for e in report.exercises for c in e.checks
               if c.feedback and c.feedback.kind == 'timeout' and not c.feedback.summary.startswith('not run')]
    assert ran_out == [('backward', 'b = a + a gives a.grad == 2')], ran_out
    status = {e.id: (e.status, e.blocked_by) for e in report.exercises}
    for dependent in ('neuron', 'nn', 'training', 'softmax'):
        assert status[dependent] == ('blocked', 'backward'), status
        first = result(report, dependent).first_failure.feedback
        assert first.kind == 'not_run' and first.summary.startswith('not run: backward ran out of time')
    assert status['derived_ops'] == ('passed', '') and status['quiz'] == ('passed', '')
    text = render.details(result(report, 'nn'), color=False)
    assert 'relies on backward' in text and 'did not finish in time' in text


def test_own_mistakes_show_first_with_the_failing_requirement_named_too(grade_patched):
    # nn's own Neuron takes no nonlin, while local_backward's tanh derivative is wrong as well.
    report = grade_patched([TANH, ('nn.py', 'def __init__(self, nin, nonlin=True):', 'def __init__(self, nin):'),
                            ('nn.py', '        self.nonlin = nonlin\n', '        self.nonlin = True\n')],
                           ['nn'])
    nn = report.exercises[0]
    assert (nn.status, nn.blocked_by) == ('failed', 'local_backward'), explain(report)
    text = ' '.join(render.details(nn, color=False).split())
    assert text.index("unexpected keyword argument 'nonlin'") < text.index('local_backward, which this exercise')
    assert render.status_note(nn).endswith('; local_backward fails too')


def test_failures_that_come_from_a_requirement_alone_block(grade_patched):
    report = grade_patched([TANH], ['nn'])
    nn = report.exercises[0]
    assert (nn.status, nn.blocked_by) == ('blocked', 'local_backward'), explain(report)
    assert nn.points == 2.5, 'a blocked exercise earns what its own passing checks earn (zero_grad here)'
    assert ' '.join(render.details(nn, color=False).split()).startswith(
        '── nn: Neuron, Layer, MLP ── This exercise relies on local_backward, which does not pass yet.')


def _printing(flush: str, then: str) -> tuple[str, str, str]:
    body = f'for i in range(15):\n        print("step", i, "x =", x{flush})\n    {then}'
    return ('derivatives.py', 'return (f(x + h) - f(x)) / h', body)


def test_what_the_code_printed_before_it_hung_is_shown_under_the_check(tmp_path):
    folder = make_submission(tmp_path, [_printing(', flush=True', 'while True:\n        pass')])
    report = grade(folder, ['derivatives'], Limits(check_seconds=2))
    fb = report.exercises[0].first_failure.feedback
    assert fb.kind == 'timeout' and fb.output.splitlines()[0] == 'step 0 x = 3.0' and not fb.output_cut
    text = render.details(report.exercises[0], color=False)
    assert '   Your code printed (the last 10 of 15 lines):\n     | step 5 x = 3.0' in text


def test_prints_before_a_wrong_answer_are_shown_too(grade_patched):
    report = grade_patched([_printing('', 'return (f(x + h) - f(x)) / (2 * h)')], ['derivatives'])
    assert 'step 0 x = 3.0' in report.exercises[0].first_failure.feedback.output
