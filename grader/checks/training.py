"""Hidden checks for `training`: the loss, and the gradient-descent loop replayed step by step."""
import math

import pytest

from grader.checking import CheckFailed, close
from grader.checking.compare import shown
from grader.misconceptions import MISCONCEPTIONS
from grader.results import Feedback, NodeDiff
from grader.sandbox.probes import XS, YS, structure
from micrograd_ref.engine import Value
from micrograd_ref.nn import MLP

STEPS, LR = 20, 0.1
YPRED = [0.8, -0.5, -0.9, 0.3]
LOOP = f'model = MLP(3, [4, 4, 1])   # after random.seed(seed)\nlosses = train(model, xs, ys, steps={STEPS}, lr={LR})'


def reference_loss(ypred, mean=False):
    loss = sum((yout - ygt) ** 2 for ygt, yout in zip(YS, ypred))
    return loss * (1 / len(ypred)) if mean else loss


def test_mse_loss(student):
    """mse_loss is the sum of squared errors, with gradient 2 * (ypred - y)"""
    got = student.run('loss', {'module': 'train', 'function': 'mse_loss', 'inputs': YPRED, 'extra': [YS]},
                      ('engine', 'train'))
    ypred = [Value(v) for v in YPRED]
    loss = reference_loss(ypred)
    loss.backward()
    expected = [loss.data] + [v.grad for v in ypred]
    values = (got.get('values') or []) + (got.get('grads') or [])
    names = ['loss'] + [f'ypred[{k}]' for k in range(len(YPRED))]
    diffs = [NodeDiff(n, 'data' if k == 0 else 'grad', e, g) for k, (n, e, g) in enumerate(zip(names, expected, values))
             if not close(e, g)]
    if diffs or len(values) != len(expected):
        feedback = Feedback('mse_loss gives the wrong loss or gradients', diffs=diffs,
                            expression=f'loss = mse_loss([Value(v) for v in {YPRED}], {YS})\nloss.backward()')
        if values and close(reference_loss(YPRED, mean=True), values[0]):
            name(feedback, 'loss_is_mean')
        raise CheckFailed(feedback)


def replay(initial, zero_grad=True, sign=-1.0, mean=False):
    """The lecture's loop on the reference engine, from the student's own initial parameters."""
    model = MLP(3, [4, 4, 1])
    for layer, values in zip(structure(model), initial):
        for neuron, vs in zip(layer, values):
            for p, v in zip(neuron, vs):
                p.data = v
    losses = []
    for _ in range(STEPS):
        loss = reference_loss([model(x) for x in XS], mean)
        if zero_grad:
            model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data += sign * LR * p.grad
        losses.append(loss.data)
    return losses


MISTAKES = [('no_zero_grad', {'zero_grad': False}), ('wrong_update_sign', {'sign': 1.0}), ('loss_is_mean', {'mean': True})]


def run_training(student, seed):
    got = student.run('training', {'seed': seed, 'steps': STEPS, 'lr': LR}, ('engine', 'nn', 'train'))
    initial, losses = got.get('initial'), got.get('losses')
    shape = [[len(n) for n in layer] for layer in initial] if isinstance(initial, list) else None
    if shape != [[4] * 4, [5] * 4, [5]] or not all(type(v) in (int, float) for l in initial for n in l for v in n):
        raise CheckFailed(Feedback('MLP(3, [4, 4, 1]) does not have the lecture\'s shape, so training cannot be replayed',
                                   hint='Make the nn exercise pass first.'))
    if not isinstance(losses, list) or len(losses) != STEPS:
        raise CheckFailed(Feedback(f'train() should return a list of {STEPS} losses, one per step, but it returned '
                                   f'{len(losses) if isinstance(losses, list) else shown(losses)}', expression=LOOP))
    if any(type(x) not in (int, float) for x in losses):
        bad = next(x for x in losses if type(x) not in (int, float))
        raise CheckFailed(Feedback(f'train() returned {shown(bad)} where a loss should be', expression=LOOP,
                                   misconception='loss_not_float', diagnosis=MISCONCEPTIONS['loss_not_float'].explanation))
    return initial, losses


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_training_replay(student, seed):
    """each step's loss matches the lecture's loop replayed from your model's starting weights"""
    initial, losses = run_training(student, seed)
    expected = replay(initial)
    if all(close(e, g) for e, g in zip(expected, losses)):
        return
    first = next(k for k, (e, g) in enumerate(zip(expected, losses)) if not close(e, g))
    feedback = Feedback(f'the loss goes wrong at step {first} (seed {seed})', expression=LOOP, curve=losses,
                        diffs=[NodeDiff(f'step {k}', 'loss', expected[k], losses[k]) for k in range(first, min(first + 4, STEPS))])
    raise CheckFailed(diagnosed(student, feedback, initial, losses))


def diagnosed(student, feedback, initial, losses):
    """Name the known mistake whose replay gives exactly these losses, else a loss that explodes."""
    found = next((m for m, how in MISTAKES if all(close(e, g) for e, g in zip(replay(initial, **how), losses))),
                 'lr_too_high' if explodes(losses) else '')
    if found:
        name(feedback, found)
        feedback.where = student.locate('train', 'mse_loss' if found == 'loss_is_mean' else 'train')
    return feedback


def explodes(losses):
    """Signs of steps too large: the loss overflows, grows, jumps up, or freezes high (saturated tanh)."""
    if not all(math.isfinite(x) for x in losses):
        return True
    if losses[-1] < 0.1:
        return False
    jumps = any(b > 1.5 * a + 0.1 for a, b in zip(losses, losses[1:]))
    frozen = all(close(losses[-1], x) for x in losses[STEPS // 2:]) and not close(losses[0], losses[-1])
    return losses[-1] > losses[0] or jumps or frozen


def name(feedback, misconception):
    """Put the misconception and its explanation on the feedback."""
    feedback.misconception, feedback.diagnosis = misconception, MISCONCEPTIONS[misconception].explanation


@pytest.mark.parametrize('seed', [3, 4])
def test_training_converges(student, seed):
    """training from several seeds brings the loss below 0.1"""
    initial, losses = run_training(student, seed)
    if not losses[-1] < min(0.1, losses[0]):
        feedback = Feedback(f'after {STEPS} steps the loss is {losses[-1]:.4g} (it started at {losses[0]:.4g}); '
                            'it should fall below 0.1', expression=LOOP, curve=losses,
                            hint='Each step: forward, zero_grad, backward, then p.data += -lr * p.grad.')
        raise CheckFailed(diagnosed(student, feedback, initial, losses))
