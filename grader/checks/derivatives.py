"""Hidden checks for `derivatives`: numerical and symmetric difference quotients."""
import pytest

from grader.checking import CheckFailed, close, number_or_fail
from grader.feedback.misconceptions import MISCONCEPTIONS
from grader.results import Feedback, NodeDiff
from grader.sandbox.probe_functions import FUNCTIONS

CASES = [('lecture', 3.0, 0.0001), ('lecture', -2.0, 0.001), ('cube', 1.5, 0.0001), ('sin', 0.7, 0.001), ('exp', 1.0, 0.01)]
SHOWN = {'lecture': '3*x**2 - 4*x + 5', 'cube': 'x**3 - 2*x', 'sin': 'math.sin(x)', 'exp': 'math.exp(x)'}


def one_sided(f, x, h):
    return (f(x + h) - f(x)) / h


def symmetric(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def expect(student, function, name, x, h, right, wrong):
    got = number_or_fail(student.run('call', {'module': 'derivatives', 'function': function,
                                              'args': [{'f': name}, x, h]}, ('derivatives',)),
                         f'{function}(f, {x}, {h})')
    f = FUNCTIONS[name]
    expected = right(f, x, h)
    if close(expected, got):
        return
    feedback = Feedback(f'{function} is off for f(x) = {SHOWN[name]} at x = {x}, h = {h}',
                        expression=f'{function}(f, {x}, {h})', diffs=[NodeDiff('slope', 'value', expected, got)])
    for misconception, guess in wrong:
        if close(guess(f, x, h), got):
            feedback.misconception = misconception
            feedback.diagnosis = MISCONCEPTIONS[misconception].explanation
            feedback.where = student.locate('derivatives', function, misconception)
            break
    raise CheckFailed(feedback)


@pytest.mark.parametrize('name,x,h', CASES)
def test_numerical_derivative(student, name, x, h):
    """numerical_derivative is rise over run: (f(x+h) - f(x)) / h"""
    expect(student, 'numerical_derivative', name, x, h, one_sided, [
        ('derivative_no_run', lambda f, x, h: f(x + h) - f(x)),
        ('one_sided_for_symmetric', symmetric),
        ('one_sided_run_is_h', lambda f, x, h: (f(x + h) - f(x)) / (2 * h)),
    ])


@pytest.mark.parametrize('name,x,h', CASES)
def test_symmetric_derivative(student, name, x, h):
    """symmetric_derivative is (f(x+h) - f(x-h)) / 2h"""
    expect(student, 'symmetric_derivative', name, x, h, symmetric, [
        ('symmetric_run_is_h', lambda f, x, h: (f(x + h) - f(x - h)) / h),
        ('symmetric_precedence', lambda f, x, h: (f(x + h) - f(x - h)) / 2 * h),
        ('derivative_no_run', lambda f, x, h: f(x + h) - f(x - h)),
        ('one_sided_for_symmetric', one_sided),
    ])


def test_lecture_slope(student):
    """the slope of 3x**2 - 4x + 5 at x = 3 comes out close to 14"""
    got = number_or_fail(student.run('call', {'module': 'derivatives', 'function': 'symmetric_derivative',
                                              'args': [{'f': 'lecture'}, 3.0, 0.0001]}, ('derivatives',)),
                         'symmetric_derivative(f, 3.0)')
    if abs(got - 14.0) > 1e-3:
        raise CheckFailed(Feedback('the slope at x = 3 should be close to 14',
                                   diffs=[NodeDiff('slope', 'value', 14.0, got)]))
