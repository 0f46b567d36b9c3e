"""Hidden checks for `training`: the loss, and the gradient-descent loop from starting weights the grader chooses.

The student's train() runs on the lecture's MLP with weights the grader sends, from seeds drawn
from the submission's own files: the same on every run of the same files, yet no train() can carry
a table of answers for them. Verdicts rest on the weights it ends with, and on losses the grader
recomputes from them: never on the losses train() reports, which must only match the grader's own.
"""
import math

import pytest

from grader.checking import CheckFailed, close, name
from grader.checking.compare import shown
from grader.checking.lecture_loop import (LR, MISTAKES, SHAPE, STEPS, flat, loss_of, reference_loss, replay,
                                          starting_weights, trained)
from grader.checking.model_pass import pass_differences
from grader.feedback.misconceptions import MISCONCEPTIONS, UPDATE_LINE
from grader.results import Feedback, NodeDiff
from grader.sandbox.probe_functions import XS, YS
from micrograd_ref.engine import Value

YPRED = [0.8, -0.5, -0.9, 0.3]
SET_UP = 'model = MLP(3, [4, 4, 1])   # the grader then sets its weights (seed {seed})\n'
LOOP = SET_UP + f'losses = train(model, xs, ys, steps={STEPS}, lr={LR})'
ONE_PASS = SET_UP + 'for x in xs:\n    model(x).backward()   # one pass, no training'


def test_mse_loss(student):
    """mse_loss is the sum of squared errors, with gradient 2 * (ypred - y)"""
    text = f'loss = mse_loss([Value(v) for v in {YPRED}], {YS})\nloss.backward()'
    got = student.run('loss', {'module': 'train', 'function': 'mse_loss', 'inputs': YPRED, 'extra': [YS]},
                      ('engine', 'train'), expression=text)
    ypred = [Value(v) for v in YPRED]
    loss = reference_loss(ypred)
    loss.backward()
    values, grads = got.get('values') or [], got.get('grads') or []
    expected = [('loss', 'data', loss.data, values[0] if values else None)] + [
        (f'ypred[{k}]', 'grad', v.grad, grads[k] if k < len(grads) else None) for k, v in enumerate(ypred)]
    diffs = [NodeDiff(n, f, e, g) for n, f, e, g in expected if not close(e, g)]
    if diffs or len(values) != 1 or len(grads) != len(YPRED):
        feedback = Feedback('mse_loss gives the wrong loss or gradients', diffs=diffs, expression=text)
        if values and close(reference_loss(YPRED, mean=True), values[0]):
            name(feedback, 'loss_is_mean', student.locate('train', 'mse_loss', 'loss_is_mean'))
        raise CheckFailed(feedback)


def fresh_seed(student, label, converging=False):
    """A seed the submission cannot know in advance; converging: one the lecture's loop gets below 0.1 from."""
    for k in range(100):  # about 98% of starts converge
        seed = student.seed(f'{label} {k}')
        if not converging or loss_of(replay(starting_weights(seed))[1]) < 0.1:
            return seed
    return 3  # converges, and 100 misses in a row have odds below 1e-150


def run_training(student, seed):
    """The student's losses and final weights, trained from the grader's starting weights for this seed."""
    initial, text = starting_weights(seed), LOOP.format(seed=seed)
    got = student.run('training', {'params': initial, 'steps': STEPS, 'lr': LR}, ('engine', 'nn', 'train'),
                      expression=text)
    if got['shape'] != SHAPE:
        raise CheckFailed(Feedback("MLP(3, [4, 4, 1]) does not have the lecture's shape, so the grader cannot give it "
                                   'its starting weights', hint='Make the nn exercise pass first.', expression=text))
    final = got['params']
    if [[len(n) for n in layer] for layer in final] != [[nin + 1 for nin in layer] for layer in SHAPE]:
        raise CheckFailed(Feedback('the grader could not read your model\'s weights back after training', expression=text))
    losses = got['losses']
    if not isinstance(losses, list) or len(losses) != STEPS:
        raise CheckFailed(Feedback(f'train() should return a list of {STEPS} losses, one per step, but it returned '
                                   f'{len(losses) if isinstance(losses, list) else shown(losses)}', expression=text))
    bad = [x for x in losses + flat(final) if type(x) not in (int, float)]
    if bad:
        feedback = Feedback(f'train() left {shown(bad[0])} where a number should be', expression=text)
        if any(type(x) not in (int, float) for x in losses):
            name(feedback, 'loss_not_float', student.locate('train', 'train', 'loss_not_float'))
        raise CheckFailed(feedback)
    return initial, losses, final, text


@pytest.mark.parametrize('start', [1, 2, 3])
def test_training_replay(student, start):
    """each step matches the lecture's loop, run from the same starting weights"""
    seed = fresh_seed(student, f'replay {start}')
    initial, losses, final, text = run_training(student, seed)
    expected, weights = replay(initial)
    steps = [k for k, (e, g) in enumerate(zip(expected, losses)) if not close(e, g)]
    moved = [k for k, (e, g) in enumerate(zip(flat(weights), flat(final))) if not close(e, g)]
    if not steps and not moved:
        return
    expect_right_gradients(student, initial, seed)
    if not moved:
        raise CheckFailed(Feedback(f'your model trains exactly right, but train() returns the wrong losses (seed {seed})',
                                   expression=text, curve=losses, diffs=loss_diffs(expected, losses, steps[0]),
                                   hint="Append each step's loss.data right after that step's forward pass, "
                                        'before the update.'))
    feedback = Feedback(f'after training, {len(moved)} of your model\'s {len(flat(final))} weights differ from the '
                        f"lecture's loop (seed {seed})", expression=text, curve=losses,
                        diffs=loss_diffs(expected, losses, steps[0]) if steps else [])
    raise CheckFailed(diagnosed(student, feedback, initial, final))


def expect_right_gradients(student, initial, seed):
    """Before a mistake of train() is named: the student's MLP gives the reference's outputs and gradients, or
    the loop's numbers follow from nn or engine, which this exercise relies on."""
    call = {'cls': 'MLP', 'args': [3, [4, 4, 1]], 'kwargs': {}, 'inputs': XS, 'params': initial}
    diffs = pass_differences(student, call)
    if diffs:
        raise CheckFailed(Feedback(
            "one forward and backward pass of your MLP on the lecture's data, from the grader's starting weights, "
            "already differs from the reference's: whatever train() does, its numbers follow from these wrong "
            'outputs or gradients of your nn.py or engine.py', expression=ONE_PASS.format(seed=seed),
            diffs=diffs, blocked_by='nn'))


def loss_diffs(expected, losses, first):
    return [NodeDiff(f'step {k}', 'loss', expected[k], losses[k]) for k in range(first, min(first + 4, STEPS))]


def diagnosed(student, feedback, initial, final, recomputed=True):
    """Name the known mistake whose replay ends with exactly these weights, else a loss the grader saw grow."""
    for misconception, how in MISTAKES:
        if all(map(close, flat(replay(initial, **how)[1]), flat(final))):
            if misconception == 'zero_grad_after_backward':
                return unchanged(student, feedback)
            symbol = 'mse_loss' if misconception == 'loss_is_mean' else 'train'
            return name(feedback, misconception, student.locate('train', symbol, misconception))
    before, after = loss_of(initial), loss_of(final) if all(map(math.isfinite, flat(final))) else math.inf
    if recomputed:
        feedback.summary += f'; the grader recomputed your model\'s loss: {before:.6g} before training, {after:.6g} after'
    if not after <= before:  # it grew, or the weights are no longer numbers
        name(feedback, 'lr_too_high', student.locate('train', 'train', 'lr_too_high'))
    return feedback


def unchanged(student, feedback):
    """The weights never moved: zero_grad() between backward() and the update is the usual cause."""
    if ' differ from' in feedback.summary:
        feedback.summary = feedback.summary.split(' differ from')[0] + ' never change during training'
    reset = student.line_of('train', 'train', MISCONCEPTIONS['zero_grad_after_backward'].line)
    backward = student.line_of('train', 'train', r'\.backward\(')
    update = student.line_of('train', 'train', UPDATE_LINE)
    if 0 < backward < reset < update:
        return name(feedback, 'zero_grad_after_backward', student.locate('train', 'train', 'zero_grad_after_backward'))
    feedback.hint = 'Each step: forward, zero_grad, backward, then p.data += -lr * p.grad.'
    return feedback


@pytest.mark.parametrize('start', [1, 2])
def test_training_converges(student, start):
    """training from two more starts of the grader's choosing brings the loss below 0.1"""
    seed = fresh_seed(student, f'converges {start}', converging=True)
    initial, losses, final, text = run_training(student, seed)
    before, after = loss_of(initial), loss_of(final) if all(map(math.isfinite, flat(final))) else math.inf
    if after < min(0.1, before) and not trained(initial, final):
        raise CheckFailed(Feedback(f"your model's loss is low, but its weights are not what {STEPS} steps of gradient "
                                   f"descent give from the grader's starting weights (seed {seed}): train() must "
                                   'train the model it is given, from the weights it has', expression=text,
                                   curve=losses, hint='Each step: forward, zero_grad, backward, then '
                                                      'p.data += -lr * p.grad.'))
    if not after < min(0.1, before):
        expect_right_gradients(student, initial, seed)
        feedback = Feedback(f'after {STEPS} steps your model\'s loss is {after:.4g} (the grader recomputed it from your '
                            f'weights; it started at {before:.4g}): it should fall below 0.1', expression=text,
                            curve=losses, hint='Each step: forward, zero_grad, backward, then p.data += -lr * p.grad.')
        raise CheckFailed(diagnosed(student, feedback, initial, final, recomputed=False))
