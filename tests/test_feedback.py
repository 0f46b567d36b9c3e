"""Feedback that names the mistake: the newer diagnoses, where they point, and how they read."""
from __future__ import annotations

import math

from conftest import explain, misconceptions, result
from grader import render
from grader.checks.training import explodes, replay
from grader.results import Feedback

E, NN, TRAIN = 'engine.py', 'nn.py', 'train.py'
NEURON_SUM = 'act = sum((wi*xi for wi, xi in zip(self.w, x)), self.b)'
RMUL = 'Value.__rmul__\n        return self * other'
POW_RULE = 'self.grad += other * self.data**(other - 1) * out.grad'


def failing(ex, misconception):
    """The failing checks of ex that name misconception."""
    return [c for c in ex.checks if not c.passed and c.feedback and c.feedback.misconception == misconception]


def def_line(source: str, needle: str) -> int:
    """The line of the `def` that encloses the first line containing needle."""
    lines = source.splitlines()
    at = next(i for i, line in enumerate(lines) if needle in line)
    return next(i + 1 for i in range(at, -1, -1) if lines[i].lstrip().startswith('def '))


def test_learning_rate_too_high_is_named_with_the_loss_curve(grade_patched):
    report = grade_patched([(TRAIN, 'p.data += -lr * p.grad', 'p.data += -1.0 * p.grad')], ['training'])
    ex = result(report, 'training')
    assert ex.status == 'failed' and failing(ex, 'lr_too_high'), explain(report)
    fb = failing(ex, 'lr_too_high')[0].feedback
    assert len(fb.curve) == 20 and fb.curve[-1] > fb.curve[0] - 1
    text = open(report.submission + '/train.py').read()
    assert fb.where == f"train.py:{def_line(text, 'p.data += -1.0 * p.grad')}"
    text = render.details(ex, color=False)
    assert text.index('Likely mistake: a learning rate so high the loss explodes') < text.index('the loss goes wrong')
    assert 'Your loss, step by step:' in text and render.sparkline(fb.curve) in text


def test_wrong_sign_is_not_mistaken_for_a_high_learning_rate(grade_patched):
    report = grade_patched([(TRAIN, 'p.data += -lr * p.grad', 'p.data += lr * p.grad')], ['training'])
    named = misconceptions(result(report, 'training'))
    assert 'wrong_update_sign' in named and 'lr_too_high' not in named, explain(report)


def test_explodes_tells_overshooting_from_learning():
    initial = [[[0.1 * (i + j + k) - 0.3 for k in range(n)] for j in range(m)] for i, (m, n) in enumerate([(4, 4), (4, 5), (1, 5)])]
    assert not explodes(replay(initial))  # the lecture's own loop
    assert explodes([6.0, 3.0, float('inf')] + [8.0] * 17)  # overflow
    assert explodes([6.0, 9.0] + [8.0] * 18)  # grows
    assert explodes([6.0, 1.0, 7.9] + [7.9] * 17)  # jumps up and freezes there (saturated tanh)
    assert not explodes([6.0] * 20)  # never updated: some other mistake, not too big a step
    assert not explodes([3.7, 1.9, 1.3, 1.4] + [0.05] * 16)  # a small bump on the way down is normal


def test_bias_left_out_is_named_in_layers_and_points_at_neuron_call(grade_patched):
    patch = (NN, NEURON_SUM, 'act = sum((wi*xi for wi, xi in zip(self.w, x)))')
    report = grade_patched([patch], ['nn'])
    ex = result(report, 'nn')
    named = {c.name for c in failing(ex, 'neuron_no_bias')}
    assert any('Layer' in n for n in named) and any('MLP' in n for n in named), explain(report)
    source = (report.submission + '/nn.py')
    call_line = def_line(open(source).read(), NEURON_SUM.replace(', self.b)', ')'))
    assert all(c.feedback.where == f'nn.py:{call_line}' for c in failing(ex, 'neuron_no_bias'))


def test_bias_missing_from_parameters_points_at_parameters(grade_patched):
    report = grade_patched([(NN, 'return self.w + [self.b]', 'return self.w')], ['nn'])
    ex = result(report, 'nn')
    checks = failing(ex, 'neuron_no_bias')
    assert checks, explain(report)
    text = open(report.submission + '/nn.py').read()
    assert checks[0].feedback.where == f"nn.py:{def_line(text, 'return self.w')}"


def test_layer_list_points_at_layer_call(grade_patched):
    report = grade_patched([(NN, 'return outs[0] if len(outs) == 1 else outs', 'return outs')], ['nn'])
    checks = failing(result(report, 'nn'), 'layer_returns_list')
    assert checks, explain(report)
    text = open(report.submission + '/nn.py').read()
    layer_call = def_line(text, 'outs = [n(x) for n in self.neurons]')
    assert checks[0].feedback.where == f'nn.py:{layer_call}'


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
