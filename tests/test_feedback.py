"""Feedback that names the mistake: the newer diagnoses, where they point, and how they read."""
from __future__ import annotations

import math
import re

import pytest

from conftest import explain, misconceptions, result
from grader import catalog
from grader.feedback import render
from grader.results import Feedback

E, NN, TRAIN = 'engine.py', 'nn.py', 'train.py'
NEURON_SUM = 'act = sum((wi*xi for wi, xi in zip(self.w, x)), self.b)'
RMUL = 'Value.__rmul__\n        return self * other'
POW_RULE = 'self.grad += other * self.data**(other - 1) * out.grad'


def failing(ex, misconception):
    """The failing checks of ex that name misconception."""
    return [c for c in ex.checks if not c.passed and c.feedback and c.feedback.misconception == misconception]


def line_of(source: str, needle: str) -> int:
    """The line that holds needle: where a diagnosis must point."""
    return next(i + 1 for i, line in enumerate(source.splitlines()) if needle in line)


def test_learning_rate_too_high_is_named_with_the_loss_curve(grade_patched):
    report = grade_patched([(TRAIN, 'p.data += -lr * p.grad', 'p.data += -1.0 * p.grad')], ['training'])
    ex = result(report, 'training')
    assert ex.status == 'failed' and failing(ex, 'lr_too_high'), explain(report)
    fb = failing(ex, 'lr_too_high')[0].feedback
    assert len(fb.curve) == 20 and fb.curve[-1] > fb.curve[0] - 1
    before, after = [float(x) for x in re.findall(r'loss: (\S+) before training, (\S+) after', fb.summary)[0]]
    assert after > before, 'the diagnosis agrees with the losses the grader recomputed'
    text = open(report.submission + '/train.py').read()
    assert fb.where == f"train.py:{line_of(text, 'p.data += -1.0 * p.grad')}"
    text = render.details(ex, color=False)
    assert text.index('Likely mistake: a learning rate so high the loss explodes') < text.index('differ from the lecture')
    assert 'Your loss, step by step:' in text and render.sparkline(fb.curve) in text


def test_wrong_sign_is_not_mistaken_for_a_high_learning_rate(grade_patched):
    report = grade_patched([(TRAIN, 'p.data += -lr * p.grad', 'p.data += lr * p.grad')], ['training'])
    named = misconceptions(result(report, 'training'))
    assert 'wrong_update_sign' in named and 'lr_too_high' not in named, explain(report)


def test_a_loss_that_falls_is_never_called_exploding(grade_patched):
    report = grade_patched([(TRAIN, 'p.data += -lr * p.grad', 'p.data += -0.01 * p.grad')], ['training'])
    ex = result(report, 'training')
    assert ex.status == 'failed' and 'lr_too_high' not in misconceptions(ex), explain(report)
    fb = ex.first_failure.feedback
    before, after = [float(x) for x in re.findall(r'loss: (\S+) before training, (\S+) after', fb.summary)[0]]
    assert after < before, fb.summary


def test_bias_left_out_is_named_in_layers_and_points_at_neuron_call(grade_patched):
    patch = (NN, NEURON_SUM, 'act = sum((wi*xi for wi, xi in zip(self.w, x)))')
    report = grade_patched([patch], ['nn'])
    ex = result(report, 'nn')
    named = {c.name for c in failing(ex, 'neuron_no_bias')}
    assert any('Layer' in n for n in named) and any('MLP' in n for n in named), explain(report)
    source = (report.submission + '/nn.py')
    sum_line = line_of(open(source).read(), NEURON_SUM.replace(', self.b)', ')'))
    assert all(c.feedback.where == f'nn.py:{sum_line}' for c in failing(ex, 'neuron_no_bias'))


def test_bias_missing_from_parameters_points_at_parameters(grade_patched):
    report = grade_patched([(NN, 'return self.w + [self.b]', 'return self.w')], ['nn'])
    ex = result(report, 'nn')
    checks = failing(ex, 'neuron_no_bias')
    assert checks, explain(report)
    text = open(report.submission + '/nn.py').read()
    assert checks[0].feedback.where == f"nn.py:{line_of(text, 'return self.w')}"


def test_pow_without_coefficient_is_never_called_the_other_pow_mistake(grade_patched):
    report = grade_patched([(E, POW_RULE, 'self.grad += self.data**(other - 1) * out.grad')], ['local_backward'])
    named = misconceptions(result(report, 'local_backward'))
    assert 'pow_missing_coefficient' in named and 'pow_missing_n_minus_one' not in named, explain(report)


def test_rmul_recursion_is_diagnosed_not_a_crash(grade_patched):
    report = grade_patched([(E, RMUL, RMUL.replace('return self * other', 'return other * self'))], ['derived_ops'])
    ex = result(report, 'derived_ops')
    checks = failing(ex, 'rmul_recursion')
    assert checks and checks[0].feedback.where.startswith('engine.py:'), explain(report)
    assert not any(c.feedback and c.feedback.kind in ('internal', 'crash') for c in ex.checks), explain(report)
    assert any(c.passed for c in ex.checks), 'the other derived ops still pass'
    text = render.details(ex, color=False)
    assert 'Write self * other' in text  # the explanation, not just the title
    assert text.index('Likely mistake') < text.index('RecursionError')


def test_diagnosis_is_explained_even_when_only_named():
    fb = Feedback('your code raised TypeError: ...', misconception='missing_radd', kind='error')
    lines = render.feedback_text(fb)
    assert 'Likely mistake: no `__radd__` for sum()' in lines[0] and 'sum() starts from the number 0' in lines[1]


def test_sparkline():
    assert render.sparkline([8, 4, 2, 1, 0]) == '█▅▃▂▁'
    assert render.sparkline([1.0, 1.0]) == '▄▄'
    assert render.sparkline([0.0, math.nan, 1.0, math.inf]) == '▁×█×'
    assert render.sparkline([]) == ''


ADD_FORWARD = "out = Value(self.data + other.data, (self, other), '+')"
RADD_STUB = ('derived_ops: Value.__radd__\n        return self + other',
             'derived_ops: Value.__radd__\n        raise NotImplementedError("derived_ops: Value.__radd__")')


def test_a_stub_the_exercise_does_not_need_is_its_own_mistake_at_the_line_that_called_it(grade_patched):
    """self.data + other with other a Value makes Python call Value.__radd__: forward_ops' bug, not derived_ops'."""
    report = grade_patched([(E, ADD_FORWARD, ADD_FORWARD.replace('other.data', 'other')), (E, *RADD_STUB)],
                           ['forward_ops', 'manual_grads', 'backward'])
    status = {e.id: (e.status, e.blocked_by) for e in report.exercises}
    assert status['forward_ops'][0] == 'failed', explain(report)
    assert status['manual_grads'] == status['backward'] == ('blocked', 'forward_ops'), explain(report)
    fb = result(report, 'forward_ops').first_failure.feedback
    source = open(report.submission + '/engine.py').read()
    assert fb.where == f"engine.py:{line_of(source, 'self.data + other, (self')}" and not fb.blocked_by
    assert fb.summary.startswith('your __add__ ended up calling Value.__radd__, which derived_ops writes and '
                                 'forward_ops does not need: is `other` still a Value'), fb.summary
    assert 'self.data + other, (self, other)' in fb.expression
    assert 'derived_ops' not in render.status_note(result(report, 'forward_ops'))


def test_a_stub_of_a_requirement_still_blocks(grade_patched):
    """derived_ops' __radd__ stub, met from nn through sum(): nn relies on derived_ops, so it is blocked by it."""
    report = grade_patched([(E, *RADD_STUB)], ['nn'])
    nn = result(report, 'nn')
    assert (nn.status, nn.blocked_by) == ('blocked', 'derived_ops'), explain(report)
    assert nn.first_failure.feedback.summary == 'not implemented yet: Value.__radd__'


MUL_FORWARD = "out = Value(self.data * other.data, (self, other), '*')"
MUL_WRAP = ('def __mul__(self, other):\n        other = other if isinstance(other, Value) else Value(other)\n',
            'def __mul__(self, other):\n')


def test_the_wrap_a_number_hint_comes_only_with_a_plain_number_used_as_a_value(grade_patched):
    wrong = grade_patched([(E, MUL_FORWARD, MUL_FORWARD.replace(' * ', ' + '))], ['forward_ops'])
    assert 'Wrap a plain number' not in render.details(wrong.exercises[0], color=False), explain(wrong)
    unwrapped = grade_patched([(E, *MUL_WRAP)], ['forward_ops'])
    fb = unwrapped.exercises[0].first_failure.feedback
    assert "'int' object has no attribute 'data'" in fb.summary and fb.hint.startswith('Wrap a plain number first')


TANH_RULE = 'self.grad += (1 - t**2) * out.grad'


@pytest.mark.parametrize('wrong', ['(1 - self.data**2)', '(1 - t)'])
def test_training_blames_wrong_gradients_of_the_engine_not_the_loop(grade_patched, wrong):
    """train.py is right: with the engine's tanh wrong, training is blocked and names no mistake of its own."""
    report = grade_patched([(E, TANH_RULE, TANH_RULE.replace('(1 - t**2)', wrong))], ['training'])
    ex = result(report, 'training')
    assert ex.status == 'blocked' and ex.blocked_by in ('nn', 'local_backward'), explain(report)
    assert not misconceptions(ex), explain(report)
    assert [c.passed for c in ex.checks if 'mse_loss' in c.name] == [True] and ex.points >= 3.33, 'its own checks earn'
    if wrong == '(1 - t)':  # no exception on the way: the check of the MLP's own pass says it
        fb = ex.first_failure.feedback
        assert fb.summary.startswith('one forward and backward pass of your MLP') and fb.blocked_by == 'nn'
        assert fb.diffs and fb.diffs[0].field == 'grad' and 'model(x).backward()' in fb.expression


def test_a_requirement_that_passes_blocks_nothing():
    from grader.results import CheckResult
    from grader.status import assemble
    claims_nn = [CheckResult('loop', False, Feedback('differs', blocked_by='nn'))]
    nn_passes = {'nn': [CheckResult('mlp', True)], 'training': claims_nn}
    assert assemble([catalog.get('training')], nn_passes)[0].status == 'failed'
    nn_fails = {'nn': [CheckResult('mlp', False, Feedback('wrong'))], 'training': claims_nn}
    assert assemble([catalog.get('training')], nn_fails)[0].status == 'blocked'
