"""The reference engine is the oracle every check trusts: test it against calculus, the lecture's
closure-based engine, and (when installed) PyTorch."""
import importlib.util
import math
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from micrograd_ref.engine import Value
from micrograd_ref.nn import MLP

ROOT = Path(__file__).resolve().parent.parent

UNARY = {
    'exp': (lambda v: v.exp(), math.exp),
    'tanh': (lambda v: v.tanh(), math.tanh),
    'relu': (lambda v: v.relu(), lambda x: max(x, 0.0)),
    'log': (lambda v: v.log(), math.log),
    'pow3': (lambda v: v ** 3, lambda x: x ** 3),
    'pow-0.5': (lambda v: v ** -0.5, lambda x: x ** -0.5),
    'neg': (lambda v: -v, lambda x: -x),
    'rsub': (lambda v: 2.5 - v, lambda x: 2.5 - x),
    'rtruediv': (lambda v: 2.5 / v, lambda x: 2.5 / x),
}
BINARY = {
    'add': lambda a, b: a + b, 'sub': lambda a, b: a - b,
    'mul': lambda a, b: a * b, 'truediv': lambda a, b: a / b,
}


def central_difference(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize('name', sorted(UNARY))
@given(x=st.floats(0.2, 3.0))
@settings(max_examples=30, deadline=None)
def test_unary_grads_match_calculus(name, x):
    op, f = UNARY[name]
    v = Value(x)
    out = op(v)
    out.backward()
    assert out.data == pytest.approx(f(x), rel=1e-12)
    assert v.grad == pytest.approx(central_difference(f, x), rel=1e-5, abs=1e-6)


@pytest.mark.parametrize('name', sorted(BINARY))
@given(x=st.floats(0.2, 3.0), y=st.floats(0.2, 3.0))
@settings(max_examples=30, deadline=None)
def test_binary_grads_match_calculus(name, x, y):
    op = BINARY[name]
    a, b = Value(x), Value(y)
    op(a, b).backward()
    assert a.grad == pytest.approx(central_difference(lambda t: op(t, y), x), rel=1e-5, abs=1e-6)
    assert b.grad == pytest.approx(central_difference(lambda t: op(x, t), y), rel=1e-5, abs=1e-6)


def test_reused_node_accumulates():
    a = Value(3.0)
    b = a + a
    c = a * b       # c = 2a**2, dc/da = 4a
    c.backward()
    assert (b.data, a.grad) == (6.0, 12.0)


def test_backward_through_100k_ops_at_the_default_recursion_limit():
    assert sys.getrecursionlimit() <= 10_000
    x = Value(1.0)
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == 1.0
    del y  # freeing a deep chain must not overflow the C stack either


def load_lecture_engine():
    spec = importlib.util.spec_from_file_location('lecture_engine', ROOT / 'solutions' / 'engine.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Value


def lecture_neuron(V):
    """The lecture's neuron: o = tanh(x1*w1 + x2*w2 + b); returns o and the leaves."""
    x1, x2, w1, w2 = V(2.0), V(0.0), V(-3.0), V(1.0)
    b = V(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    return o, [x1, x2, w1, w2, b]


def test_reference_agrees_with_the_lecture_engine():
    if not (ROOT / 'solutions' / 'engine.py').exists():
        pytest.skip('no solutions/ here')
    ref_o, ref_leaves = lecture_neuron(Value)
    lec_o, lec_leaves = lecture_neuron(load_lecture_engine())
    assert ref_o.data == pytest.approx(lec_o.data, rel=1e-15)
    assert [v.grad for v in ref_leaves] == pytest.approx([v.grad for v in lec_leaves], rel=1e-12)
    assert [round(v.grad, 4) for v in ref_leaves] == [-1.5, 0.5, 1.0, 0.0, 0.5]  # the lecture's numbers


def test_reference_mlp_matches_pytorch():
    torch = pytest.importorskip('torch')
    random.seed(0)
    model = MLP(3, [4, 4, 1])
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
    loss.backward()

    weights = [torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64,
                            requires_grad=True) for layer in model.layers]
    biases = [torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64, requires_grad=True)
              for layer in model.layers]
    act = torch.tensor(xs, dtype=torch.float64)
    for w, b in zip(weights, biases):
        act = torch.tanh(act @ w.T + b)
    t_loss = ((act[:, 0] - torch.tensor(ys, dtype=torch.float64)) ** 2).sum()
    t_loss.backward()

    assert loss.data == pytest.approx(t_loss.item(), rel=1e-12)
    for layer, w, b in zip(model.layers, weights, biases):
        for i, n in enumerate(layer.neurons):
            assert [p.grad for p in n.w] == pytest.approx(w.grad[i].tolist(), rel=1e-9, abs=1e-12)
            assert n.b.grad == pytest.approx(b.grad[i].item(), rel=1e-9, abs=1e-12)
