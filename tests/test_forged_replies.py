"""The parent accepts only numbers, on inputs it chose: replies forged inside the child never earn a check.

Each case is a correct submission whose code, when imported, replaces one of the child's probes with
one that runs the real probe and then changes its result. The sandbox refuses a result of the wrong
nesting, and the checks refuse everything else: lists of the wrong length, NaN, infinities the
reference does not give, and training verdicts on anything but weights and losses the grader computed.
"""
from __future__ import annotations

import math

import pytest

from conftest import explain
from grader.checking.compare import close
from grader.grading import grade
from grader.sandbox.runner import Limits
from mutate import make_submission

FORGE = '''

def _forge(probe, change):
    import sys
    frame = sys._getframe()
    while 'probes' not in frame.f_locals:
        frame = frame.f_back
    probes = frame.f_locals['probes']
    real = probes.PROBES[probe]
    probes.PROBES[probe] = lambda args, load, hooks=None: change(real(args, load))


_forge({probe!r}, {change})
'''
NAN, INF = "float('nan')", "float('inf')"


@pytest.fixture(autouse=True, params=['namespaces', 'uid'])
def level(request, monkeypatch):
    """Every forgery at both kernel levels: the parent's refusal must not depend on the level."""
    from grader.sandbox import workspace
    from grader.sandbox.isolation import why_not
    if why_not(request.param):
        pytest.skip(why_not(request.param))
    monkeypatch.setattr(workspace, 'choose', lambda requested='auto': request.param)
    return request.param


def graded(tmp_path, file, probe, change, exercise):
    """The solutions, with `change` (the source of a function of the real result) forged into `probe`."""
    submission = make_submission(tmp_path)
    path = submission / file
    path.write_text(path.read_text() + FORGE.format(probe=probe, change=change))
    return grade(submission, [exercise], Limits(check_seconds=5.0, submission_seconds=60.0), requirements=False)


def forged_feedback(report):
    return [c.feedback for e in report.exercises for c in e.checks if not c.passed]


def test_a_harmless_forger_still_gets_full_marks(tmp_path, level):
    """The forging machinery itself changes nothing: every case below fails because of its change alone."""
    report = graded(tmp_path, 'nn.py', 'module', 'lambda r: r', 'nn')
    assert report.full_marks and report.isolation == level, explain(report)


NN_FORGERIES = {
    'no grads at all': "lambda r: dict(r, grads=[])",
    'a layer of grads short': "lambda r: dict(r, grads=r['grads'][:-1])",
    'a neuron of grads short': "lambda r: dict(r, grads=[layer[:-1] for layer in r['grads']])",
    'a grad short': "lambda r: dict(r, grads=[[n[:-1] for n in layer] for layer in r['grads']])",
    'a grad extra': "lambda r: dict(r, grads=[[n + [0.0] for n in layer] for layer in r['grads']])",
    'no outputs': "lambda r: dict(r, outputs=[])",
    'an output value short': "lambda r: dict(r, outputs=[dict(o, values=o['values'][:-1]) for o in r['outputs']])",
    'grads nested one level less': "lambda r: dict(r, grads=[g for layer in r['grads'] for g in layer])",
    'NaN grads': "lambda r: dict(r, grads=[[[float('nan')] * len(n) for n in layer] for layer in r['grads']])",
    'parameters short': "lambda r: dict(r, parameters=r['parameters'][:-1])",
}


@pytest.mark.parametrize('change', list(NN_FORGERIES.values()), ids=list(NN_FORGERIES))
def test_forged_model_replies_fail_nn(tmp_path, change):
    report = graded(tmp_path, 'nn.py', 'module', change, 'nn')
    # zero_grad() reads only the grads after zero_grad(), which no forgery here touches: it may pass
    passed = [c.name for c in report.exercises[0].checks if c.passed]
    assert report.exercises[0].status == 'failed' and all(n.startswith('zero_grad()') for n in passed), explain(report)
    assert not any(f.kind == 'internal' for f in forged_feedback(report)), explain(report)


EXPRESSION_FORGERIES = {
    'a node short': "lambda r: dict(r, nodes=r['nodes'][:-1])",
    'a node extra': "lambda r: dict(r, nodes=r['nodes'] + r['nodes'][-1:])",
    'NaN everywhere': f"lambda r: dict(r, nodes=[dict(n, data={NAN}, grad={NAN}) for n in r['nodes']])",
    'infinite grads': f"lambda r: dict(r, nodes=[dict(n, grad={INF}) for n in r['nodes']])",
    'minus infinite data': f"lambda r: dict(r, nodes=[dict(n, data=-{INF}) for n in r['nodes']])",
    'grads as strings': "lambda r: dict(r, nodes=[dict(n, grad=str(n['grad'])) for n in r['nodes']])",
}


@pytest.mark.parametrize('change', list(EXPRESSION_FORGERIES.values()), ids=list(EXPRESSION_FORGERIES))
def test_forged_graph_replies_fail_local_backward(tmp_path, change):
    report = graded(tmp_path, 'engine.py', 'expression', change, 'local_backward')
    assert report.exercises[0].status == 'failed' and report.score == 0, explain(report)
    assert not any(c.passed for c in report.exercises[0].checks), explain(report)


TRAINING_FORGERIES = {
    'NaN weights and losses': f"lambda r: dict(r, params=[[[{NAN}] * len(n) for n in layer] for layer in r['params']], "
                              f"losses=[{NAN}] * len(r['losses']))",
    'the starting weights echoed back': "lambda r: dict(r, params=[[[0.5] * len(n) for n in layer] for layer in r['params']])",
    'losses that fall to 0': "lambda r: dict(r, losses=[1.0 / (k + 1) - 0.05 for k in range(len(r['losses']))])",
    'a loss short': "lambda r: dict(r, losses=r['losses'][:-1])",
    'a neuron of weights short': "lambda r: dict(r, params=[layer[:-1] for layer in r['params']])",
    'losses as Values': "lambda r: dict(r, losses={'losses': r['losses']})",
}


@pytest.mark.parametrize('change', list(TRAINING_FORGERIES.values()), ids=list(TRAINING_FORGERIES))
def test_forged_training_replies_fail_training(tmp_path, change):
    report = graded(tmp_path, 'train.py', 'training', change, 'training')
    checks = report.exercises[0].checks
    assert report.exercises[0].status == 'failed', explain(report)
    replay = [c for c in checks if 'lecture' in c.name]
    assert replay and not any(c.passed for c in replay), explain(report)


def test_a_train_that_never_trains_from_nan_weights_fails(tmp_path):
    """The student's MLP starts from NaN weights and train() only reports them: the grader's weights decide."""
    submission = make_submission(tmp_path, [
        ('nn.py', 'self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]', "self.w = [Value(float('nan')) for _ in range(nin)]"),
        ('nn.py', 'self.b = Value(random.uniform(-1, 1))', "self.b = Value(float('nan'))"),
        ('train.py', '    losses = []\n    for k in range(steps):', "    return [float('nan')] * steps\n    losses = []\n    for k in range(steps):")])
    report = grade(submission, ['training'], requirements=False)
    loop = [c for c in report.exercises[0].checks if not c.name.startswith('mse_loss')]
    # mse_loss is untouched and earns its share; every check of the training loop fails
    assert not report.exercises[0].passed and loop and not any(c.passed for c in loop), explain(report)
    assert all('never change' in c.feedback.summary or 'recomputed' in c.feedback.summary for c in loop)


def test_forged_loss_lengths_fail(tmp_path):
    """The loss and its gradients in one list, with an empty grads list, do not pass for the two lists."""
    change = "lambda r: dict(r, values=r['values'] + r.get('grads', []), grads=[])"
    report = graded(tmp_path, 'train.py', 'loss', change, 'training')
    mse = [c for c in report.exercises[0].checks if c.name.startswith('mse_loss')]
    assert mse and not mse[0].passed, explain(report)


def test_nan_equals_nothing_and_an_infinity_only_itself():
    assert not close(math.nan, math.nan) and not close(1.0, math.nan) and not close(math.nan, 1.0)
    assert close(math.inf, math.inf) and close(-math.inf, -math.inf)
    assert not close(math.inf, -math.inf) and not close(1e308, math.inf) and not close(math.inf, 1e308)
    assert close(0.1 + 0.2, 0.3) and not close(1.0, True) and not close(1.0, '1.0')


def test_strings_from_student_code_are_cut_before_feedback():
    from grader.checking.student import feedback_for_error
    flood = 'x' * 1_000_000
    for error in ({'kind': 'exception', 'type': flood, 'message': flood, 'frames': [[flood, 3, flood, flood]]},
                  {'kind': 'syntax', 'file': flood, 'line': flood, 'text': flood, 'message': flood},
                  {'kind': 'not_implemented', 'message': 'derivatives:' + flood},
                  {'kind': 'exception', 'type': 'ContractError', 'message': flood}):
        fb = feedback_for_error(error, 'derivatives', output=flood)
        assert sum(len(str(v)) for v in vars(fb).values()) < 20_000, error['kind']
