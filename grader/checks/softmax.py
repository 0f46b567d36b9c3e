"""Hidden checks for `softmax`: Value.log, softmax and the negative log-likelihood."""
import pytest

from grader.checking import CheckFailed, Graph, close, expect_graph, name
from grader.results import Feedback, NodeDiff
from micrograd_ref.engine import Value

LOGITS = [0.0, 3.0, -2.0, 1.0]


@pytest.mark.parametrize('x', [0.5, 2.0, 7.5])
def test_log(student, x):
    """log's forward pass, and its _backward: out.grad / x"""
    g = Graph()
    a = g.leaf(x, 'a')
    g.set_grad(a, 0.25, 'already there: your _backward must add to it')
    g.drive(g.mul(g.unary('log', a, 'b'), g.leaf(-1.5, 'c'), 'd'))
    expect_graph(student, g)


def reference_softmax(logits):
    counts = [z.exp() for z in logits]
    total = sum(counts)
    return [c / total for c in counts]


def values_of(names, expected, got):
    """The differing values, and whether got has exactly as many values as expected."""
    diffs = [NodeDiff(n, f, e, got[k] if k < len(got) else None) for k, ((n, f), e) in enumerate(zip(names, expected))
             if not close(e, got[k] if k < len(got) else None)]
    return diffs, len(got) == len(expected)


@pytest.mark.parametrize('logits', [LOGITS, [1.0, 1.0], [-0.5, 2.5, 0.0]])
def test_softmax(student, logits):
    """softmax gives exp(z_i) / sum_j exp(z_j), which sum to 1"""
    text = f'probs = softmax([Value(z) for z in {logits}])'
    got = student.run('loss', {'module': 'softmax', 'function': 'softmax', 'inputs': logits}, ('engine', 'softmax'),
                      expression=text)
    values = got.get('values') or []
    expected = [p.data for p in reference_softmax([Value(z) for z in logits])]
    diffs, same_length = values_of([(f'p[{k}]', 'data') for k in range(len(logits))], expected, values)
    if not diffs and same_length:
        return
    feedback = Feedback('softmax gives the wrong probabilities', expression=text, diffs=diffs)
    if same_length and all(type(v) in (int, float) and v > 0 for v in values) and \
            all(close(values[0] / expected[0], v / e) for v, e in zip(values, expected)):
        feedback.summary += f': yours sum to {sum(values):.4g}, not 1'  # the right shape, not normalised
        name(feedback, 'softmax_not_normalised', student.locate('softmax', 'softmax', 'softmax_not_normalised'))
    raise CheckFailed(feedback)


@pytest.mark.parametrize('target', [3, 1])
def test_nll(student, target):
    """nll of logits [0, 3, -2, 1] for class 3 is 2.1755; each logit's grad is p_i - (i == target)"""
    text = f'logits = [Value(z) for z in {LOGITS}]\nloss = nll(logits, {target})\nloss.backward()'
    got = student.run('loss', {'module': 'softmax', 'function': 'nll', 'inputs': LOGITS, 'extra': [target]},
                      ('engine', 'softmax'), expression=text)
    logits = [Value(z) for z in LOGITS]
    loss = -reference_softmax(logits)[target].log()
    loss.backward()
    names = [('loss', 'data')] + [(f'z[{k}]', 'grad') for k in range(len(LOGITS))]
    expected = [loss.data] + [z.grad for z in logits]
    values, grads = got.get('values') or [], got.get('grads') or []
    diffs, same_length = values_of(names, expected, values[:1] + grads)
    if not diffs and same_length and len(values) == 1:
        return
    feedback = Feedback('nll gives the wrong loss or gradients', expression=text, diffs=diffs)
    if same_length and len(values) == 1 and all(close(-e, g) for e, g in zip(expected, values + grads)):
        name(feedback, 'nll_no_minus', student.locate('softmax', 'nll', 'nll_no_minus'))
    raise CheckFailed(feedback)
