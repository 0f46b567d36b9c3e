"""Buggy submissions, each the reference solution with one mistake that students really make.

The mistakes are declared once, as mutants next to the checks (grader/mutants/<exercise>.toml), and
`grade validate` runs them all. Here each mutant is a test of its own: it must fail its exercise
(status 'failed', not 'blocked': the mistake is that exercise's own), and when it names a
misconception, the feedback the student reads must explain it.
"""
from __future__ import annotations

import pytest

from conftest import ALL_IDS, MISCONCEPTIONS, ROOT, explain, misconceptions, result
from grader.validation import check_mutant
from grader.validation.mutants import load_all
from mutate import PatchError, make_submission

MUTANTS = {m.id: m for m in load_all(ALL_IDS)}
E, NN = 'engine.py', 'nn.py'

# The mistakes every release must catch and explain, by the misconception each stands for.
REQUIRED = ['assign_not_accumulate', 'no_chain_rule', 'mul_wrong_factor', 'tanh_uses_input', 'tanh_one_minus_t',
            'exp_uses_input', 'pow_missing_n_minus_one', 'no_topo_sort', 'unreversed_topo', 'no_grad_seed',
            'reset_grads_in_backward', 'rmul_recursion', 'missing_radd', 'no_zero_grad', 'wrong_update_sign',
            'tanh_square_of_one_minus_t', 'tanh_overflow', 'neuron_returns_n', 'neuron_no_tanh',
            'softmax_not_normalised', 'nll_no_minus', 'zero_grad_after_backward', 'symmetric_precedence',
            'parameters_list_plus_value', 'non_stdlib_import']
# Every op with a backward of its own must be caught setting grads with `=` instead of `+=`.
ASSIGNING = {'add_assigns', 'mul_assigns', 'mul_assigns_to_other_only', 'pow_assigns', 'exp_assigns', 'tanh_assigns',
             'relu_assigns', 'log_assigns', 'neg_assigns', 'sub_assigns', 'truediv_assigns', 'radd_assigns',
             'rmul_assigns', 'rsub_assigns', 'rtruediv_assigns'}


def mutant_patches(mutant_id):
    return tuple((p.file, p.old, p.new) for p in MUTANTS[mutant_id].patches)


def test_every_required_mistake_has_a_mutant():
    declared = {m.misconception for m in MUTANTS.values()}
    assert set(REQUIRED) <= set(MISCONCEPTIONS)
    assert not set(REQUIRED) - declared, f'no mutant for {sorted(set(REQUIRED) - declared)}'


def test_every_op_is_checked_for_accumulation():
    assert ASSIGNING <= set(MUTANTS), sorted(ASSIGNING - set(MUTANTS))
    assert {MUTANTS[m].misconception for m in ASSIGNING} == {'assign_not_accumulate'}


@pytest.mark.parametrize('mutant', list(MUTANTS.values()), ids=list(MUTANTS))
def test_mutant_is_caught_and_explained(tmp_path, mutant):
    problems = check_mutant(ROOT / 'solutions', mutant, tmp_path / 'submission')
    assert not problems, '\n'.join(f'expected {p.expected}\nshown:\n{p.shown}' for p in problems)


def test_one_mistake_leaves_the_rest_alone(grade_patched):
    """`=` for `+=` in __add__: local_backward fails, what does not use _backward passes, the rest is blocked."""
    report = grade_patched(mutant_patches('add_assigns'), None)
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
    report = grade_patched(mutant_patches('neuron_no_bias'), None)
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
    patches = mutant_patches('tanh_one_minus_t')
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
