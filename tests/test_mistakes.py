"""Buggy submissions, each the reference solution with one mistake that students really make.

Every mutant must fail the exercise the mistake lives in (status 'failed', not 'blocked': the
mistake is that exercise's own), and where the grader knows the mistake by name, some failing
check must name it (feedback.misconception).
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import ALL_IDS, MISCONCEPTIONS, explain, misconceptions, result
from mutate import PatchError, make_submission


@dataclass(frozen=True)
class Mistake:
    exercise: str  # the exercise that must fail
    patches: tuple  # ((file, old, new), ...) applied to solutions/
    misconception: str | None = None  # the id some failing check must name, if the grader should
    not_named: tuple = ()  # ids that would be a wrong diagnosis of this mistake


def m(exercise, *patches, misconception=None, not_named=()):
    return Mistake(exercise, tuple(patches), misconception, tuple(not_named))


E, NN, TRAIN, DER = 'engine.py', 'nn.py', 'train.py', 'derivatives.py'

ADD_BACKWARD = ('            self.grad += out.grad\n'
                '            other.grad += out.grad\n')
MUL_SELF = 'self.grad += other.data * out.grad'
MUL_OTHER = 'other.grad += self.data * out.grad'
TANH_RULE = 'self.grad += (1 - t**2) * out.grad'
EXP_RULE = 'self.grad += out.data * out.grad'
POW_RULE = 'self.grad += other * self.data**(other - 1) * out.grad'
BUILD_TOPO = ('        def build_topo(v):\n'
              '            if v not in visited:\n'
              '                visited.add(v)\n'
              '                for child in v._prev:\n'
              '                    build_topo(child)\n'
              '                topo.append(v)\n'
              '        build_topo(self)\n')
WALK = ('        self.grad = 1.0\n'
        '        for v in reversed(topo):\n'
        '            v._backward()\n')
NEURON_SUM = 'act = sum((wi*xi for wi, xi in zip(self.w, x)), self.b)'

MISTAKES = {
    # derivatives.py
    'numerical_divides_by_2h': m('derivatives', (DER, '(f(x + h) - f(x)) / h', '(f(x + h) - f(x)) / (2 * h)'),
                                 misconception='one_sided_run_is_h'),
    'numerical_forgets_h': m('derivatives', (DER, '(f(x + h) - f(x)) / h', '(f(x + h) - f(x))'),
                             misconception='derivative_no_run'),
    'symmetric_divides_by_h': m('derivatives', (DER, '(f(x + h) - f(x - h)) / (2 * h)', '(f(x + h) - f(x - h)) / h'),
                                misconception='symmetric_run_is_h'),
    'symmetric_is_one_sided': m('derivatives', (DER, '(f(x + h) - f(x - h)) / (2 * h)', '(f(x + h) - f(x)) / h'),
                                misconception='one_sided_for_symmetric'),

    # forward_ops
    'add_without_children': m('forward_ops', (E, "Value(self.data + other.data, (self, other), '+')",
                                              "Value(self.data + other.data, (), '+')")),
    'mul_does_not_wrap_numbers': m('forward_ops', (E, 'def __mul__(self, other):\n'
                                                      '        other = other if isinstance(other, Value) else Value(other)\n',
                                                   'def __mul__(self, other):\n')),

    # manual_grads
    'manual_mul_wrong_factor': m('manual_grads', ('manual_grads.py', 'a.grad = b.data * e.grad', 'a.grad = a.data * e.grad')),
    'manual_add_forgets_chain': m('manual_grads', ('manual_grads.py', 'c.grad = 1.0 * d.grad', 'c.grad = 1.0')),

    # local_backward
    'add_assigns': m('local_backward', (E, ADD_BACKWARD, ADD_BACKWARD.replace('+=', '=')),
                     misconception='assign_not_accumulate'),
    'mul_assigns': m('local_backward', (E, MUL_SELF, MUL_SELF.replace('+=', '=')),
                     (E, MUL_OTHER, MUL_OTHER.replace('+=', '=')), misconception='assign_not_accumulate'),
    'mul_no_chain_rule': m('local_backward', (E, MUL_SELF, 'self.grad += other.data'),
                           (E, MUL_OTHER, 'other.grad += self.data'), misconception='no_chain_rule'),
    'tanh_no_chain_rule': m('local_backward', (E, TANH_RULE, 'self.grad += 1 - t**2'), misconception='no_chain_rule'),
    'mul_wrong_factor': m('local_backward', (E, MUL_SELF, 'self.grad += self.data * out.grad'),
                          (E, MUL_OTHER, 'other.grad += other.data * out.grad'), misconception='mul_wrong_factor'),
    'tanh_uses_input': m('local_backward', (E, TANH_RULE, 'self.grad += (1 - self.data**2) * out.grad'),
                         misconception='tanh_uses_input'),
    'tanh_one_minus_t': m('local_backward', (E, TANH_RULE, 'self.grad += (1 - t) * out.grad'),
                          misconception='tanh_one_minus_t'),
    'exp_uses_input': m('local_backward', (E, EXP_RULE, 'self.grad += self.data * out.grad'),
                        misconception='exp_uses_input'),
    'pow_missing_n_minus_one': m('local_backward', (E, POW_RULE, 'self.grad += other * self.data**other * out.grad'),
                                 misconception='pow_missing_n_minus_one'),
    'pow_missing_coefficient': m('local_backward', (E, POW_RULE, 'self.grad += self.data**(other - 1) * out.grad'),
                                 misconception='pow_missing_coefficient'),

    # backward
    'preorder_dfs': m('backward', (E, BUILD_TOPO, ''), (E, WALK,
                                   '        self.grad = 1.0\n'
                                   '        def visit(v):\n'
                                   '            if v not in visited:\n'
                                   '                visited.add(v)\n'
                                   '                v._backward()\n'
                                   '                for child in v._prev:\n'
                                   '                    visit(child)\n'
                                   '        visit(self)\n'),
                      misconception='no_topo_sort'),
    'only_root_backward': m('backward', (E, WALK, '        self.grad = 1.0\n        self._backward()\n'),
                            misconception='no_topo_sort'),
    'unreversed_topo': m('backward', (E, 'for v in reversed(topo):', 'for v in topo:'),
                         misconception='unreversed_topo'),
    'no_grad_seed': m('backward', (E, '        self.grad = 1.0\n', ''), misconception='no_grad_seed'),
    'reset_grads_in_backward': m('backward', (E, '        build_topo(self)\n',
                                              '        build_topo(self)\n'
                                              '        for v in topo:\n'
                                              '            v.grad = 0.0\n'),
                                 misconception='reset_grads_in_backward'),

    # derived_ops
    'rmul_recursion': m('derived_ops', (E, 'def __rmul__(self, other): # other * self\n        return self * other',
                                        'def __rmul__(self, other): # other * self\n        return other * self'),
                        misconception='rmul_recursion'),
    'missing_radd': m('derived_ops', (E, '    def __radd__(self, other): # other + self\n        return self + other\n\n', ''),
                      misconception='missing_radd'),
    'rsub_swapped': m('derived_ops', (E, 'return other + (-self)', 'return self - other'),
                      misconception='reflected_swapped'),
    'relu_no_chain_rule': m('derived_ops', (E, 'self.grad += (out.data > 0) * out.grad', 'self.grad += (out.data > 0)'),
                            misconception='relu_gradient'),

    # neuron
    'neuron_exp_of_n': m('neuron', ('neuron.py', "e = (2*n).exp(); e.label = 'e'", "e = n.exp(); e.label = 'e'")),

    # nn
    'layer_returns_list': m('nn', (NN, 'return outs[0] if len(outs) == 1 else outs', 'return outs'),
                            misconception='layer_returns_list'),
    'neuron_no_bias': m('nn', (NN, NEURON_SUM, 'act = sum((wi*xi for wi, xi in zip(self.w, x)))'),
                        misconception='neuron_no_bias'),
    'zero_grad_zeroes_data': m('nn', (NN, 'p.grad = 0.0', 'p.data = 0.0')),

    # training
    'no_zero_grad': m('training', (TRAIN, '        model.zero_grad()\n', ''), misconception='no_zero_grad'),
    'wrong_update_sign': m('training', (TRAIN, 'p.data += -lr * p.grad', 'p.data += lr * p.grad'),
                           misconception='wrong_update_sign'),
    'loss_is_mean': m('training', (TRAIN, 'return sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))',
                                   'return sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred)) / len(ys)'),
                      misconception='loss_is_mean'),
    'loss_not_float': m('training', (TRAIN, 'losses.append(loss.data)', 'losses.append(loss)'),
                        misconception='loss_not_float'),

    # softmax
    'log_uses_output': m('softmax', (E, 'self.grad += (1 / self.data) * out.grad', 'self.grad += (1 / out.data) * out.grad')),
    'nll_without_minus': m('softmax', ('softmax.py', 'return -probs[target].log()', 'return probs[target].log()')),
}


@pytest.mark.parametrize('mistake', list(MISTAKES.values()), ids=list(MISTAKES))
def test_mistake_is_caught(grade_patched, mistake):
    for name in (mistake.misconception, *mistake.not_named):
        assert name is None or name in MISCONCEPTIONS, f'{name!r} is not in grader/misconceptions.py'
    report = grade_patched(mistake.patches, [mistake.exercise])
    ex = result(report, mistake.exercise)
    assert ex.status == 'failed', f'{mistake.exercise} should fail (not be {ex.status}):\n{explain(report)}'
    named = misconceptions(ex)
    if mistake.misconception:
        assert mistake.misconception in named, \
            f'expected the misconception {mistake.misconception!r}, got {named}:\n{explain(report)}'
    wrong = set(named) & set(mistake.not_named)
    assert not wrong, f'misdiagnosed as {sorted(wrong)}:\n{explain(report)}'
    # A diagnosis that points somewhere should point into the file the mistake is in.
    files = {p[0] for p in mistake.patches}
    for c in ex.checks:
        f = c.feedback
        if not c.passed and f is not None and f.misconception and f.where:
            assert f.where.split(':')[0] in files, \
                f'{c.name}: named {f.misconception!r} at {f.where}, but the mistake is in {sorted(files)}'


def test_one_mistake_leaves_the_rest_alone(grade_patched):
    """`=` for `+=` in __add__: local_backward fails, what does not use _backward passes, the rest is blocked."""
    report = grade_patched(MISTAKES['add_assigns'].patches, None)
    assert [e.id for e in report.exercises] == ALL_IDS
    statuses = {e.id: e.status for e in report.exercises}
    for independent in ('derivatives', 'forward_ops', 'manual_grads'):
        assert statuses[independent] == 'passed', explain(report)
    assert statuses['local_backward'] == 'failed', explain(report)
    assert 'assign_not_accumulate' in misconceptions(result(report, 'local_backward')), explain(report)
    # Whatever fails downstream fails because of local_backward, and must say so rather than blame itself.
    for ex in report.exercises:
        if ex.id not in ('derivatives', 'forward_ops', 'manual_grads', 'local_backward'):
            assert ex.status in ('passed', 'blocked'), f'{ex.id} is {ex.status}:\n{explain(report)}'


def test_nn_mistake_does_not_touch_the_engine_exercises(grade_patched):
    """A bug in nn.py fails nn (and blocks training) while every engine exercise still passes."""
    report = grade_patched(MISTAKES['neuron_no_bias'].patches, None)
    statuses = {e.id: e.status for e in report.exercises}
    for ex_id in ('derivatives', 'forward_ops', 'manual_grads', 'local_backward', 'backward', 'derived_ops',
                  'neuron', 'softmax'):
        assert statuses[ex_id] == 'passed', explain(report)
    assert statuses['nn'] == 'failed', explain(report)
    assert statuses['training'] in ('blocked', 'failed'), explain(report)
    if statuses['training'] == 'blocked':
        assert result(report, 'training').blocked_by == 'nn', explain(report)


IMPORTS = ['from engine import Value', 'from micrograd.engine import Value', 'from .engine import Value']


@pytest.mark.parametrize('style', IMPORTS, ids=['plain', 'package', 'relative'])
def test_every_import_style_sees_the_students_engine(grade_patched, style):
    """nn.py imports the student's engine, whatever the import style: a bug in the engine's tanh shows in nn."""
    patches = MISTAKES['tanh_one_minus_t'].patches
    if style != IMPORTS[0]:
        patches += ((NN, IMPORTS[0], style),)
    report = grade_patched(patches, ['nn'])
    assert not result(report, 'nn').passed, explain(report)


def test_patch_that_does_not_apply_fails_loudly(tmp_path):
    with pytest.raises(PatchError, match='exactly one'):
        make_submission(tmp_path, [(E, 'this text is not in engine.py', '')], name='a')
    with pytest.raises(PatchError, match='exactly one'):
        make_submission(tmp_path, [(E, 'other = other if isinstance(other, Value) else Value(other)', '')], name='b')
    with pytest.raises(PatchError, match='does not compile'):
        make_submission(tmp_path, [(E, 'def __neg__(self):', 'def __neg__(self)')], name='c')
    with pytest.raises(PatchError, match='no solutions/'):
        make_submission(tmp_path, [('nothere.py', 'x', 'y')], name='d')
