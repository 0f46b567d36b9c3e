"""Hidden checks for `softmax`: Value.log, softmax and the negative log-likelihood."""
import pytest

from grader.checking import CheckFailed, Graph, close, expect_graph
from grader.results import Feedback, NodeDiff
from micrograd_ref.engine import Value

LOGITS = [0.0, 3.0, -2.0, 1.0]


@pytest.mark.parametrize('x', [0.5, 2.0, 7.5])
def test_log(student, x):
    """log's forward pass, and its _backward: out.grad / x"""
    g = Graph()
    a = g.leaf(x, 'a')
    g.drive(g.mul(g.unary('log', a, 'b'), g.leaf(-1.5, 'c'), 'd'))
    expect_graph(student, g)


def reference_softmax(logits):
    counts = [z.exp() for z in logits]
    total = sum(counts)
    return [c / total for c in counts]


def expect_values(summary, expression, names, expected, got):
    diffs = [NodeDiff(n, f, e, g) for (n, f), e, g in zip(names, expected, got) if not close(e, g)]
    if diffs or len(got) != len(expected):
        raise CheckFailed(Feedback(summary, expression=expression, diffs=diffs))


@pytest.mark.parametrize('logits', [LOGITS, [1.0, 1.0], [-0.5, 2.5, 0.0]])
def test_softmax(student, logits):
    """softmax gives exp(z_i) / sum_j exp(z_j), which sum to 1"""
    got = student.run('loss', {'module': 'softmax', 'function': 'softmax', 'inputs': logits}, ('engine', 'softmax'))
    expected = [p.data for p in reference_softmax([Value(z) for z in logits])]
    expect_values('softmax gives the wrong probabilities', f'softmax([Value(z) for z in {logits}])',
                  [(f'p[{k}]', 'data') for k in range(len(logits))], expected, got.get('values') or [])


@pytest.mark.parametrize('target', [3, 1])
def test_nll(student, target):
    """nll of logits [0, 3, -2, 1] for class 3 is 2.1755; each logit's grad is p_i - (i == target)"""
    got = student.run('loss', {'module': 'softmax', 'function': 'nll', 'inputs': LOGITS, 'extra': [target]},
                      ('engine', 'softmax'))
    logits = [Value(z) for z in LOGITS]
    loss = -reference_softmax(logits)[target].log()
    loss.backward()
    names = [('loss', 'data')] + [(f'z[{k}]', 'grad') for k in range(len(LOGITS))]
    expect_values('nll gives the wrong loss or gradients',
                  f'logits = [Value(z) for z in {LOGITS}]\nloss = nll(logits, {target})\nloss.backward()',
                  names, [loss.data] + [z.grad for z in logits], (got.get('values') or []) + (got.get('grads') or []))
