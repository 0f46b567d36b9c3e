"""Hidden checks for `derived_ops`: -, /, the reflected ops, relu and sum()."""
import pytest

from grader.checking import Graph, close, expect_graph, name
from grader.checking.recipe import Const
from grader.checking.strategies import check_random_graphs
from grader.checking.student import CheckFailed


def check(student, g, misconception='', signature=lambda diffs: False, symbol=''):
    """expect_graph, naming a known mistake (in the student's method `symbol`) when the differences are its signature."""
    try:
        expect_graph(student, g)
    except CheckFailed as failure:
        feedback = failure.feedback
        if misconception and not feedback.misconception and feedback.diffs and signature(feedback.diffs):
            name(feedback, misconception, student.locate('engine', symbol, misconception))
        raise


UPSTREAM = 1.5  # not 1.0, so a forgotten `* out.grad` shows in an op with a _backward of its own
ALREADY = 'already there: your _backward must add to it'


def leaf(g, x, name, grad):
    """A leaf that already holds some grad, so `=` instead of `+=` shows."""
    node = g.leaf(x, name)
    g.set_grad(node, grad, ALREADY)
    return node


def finish(g, out):
    g.drive(g.mul(out, Const(UPSTREAM), 'd'))
    return g


def single(op, x=1.5, y=-2.0, const=None):
    g = Graph()
    a = leaf(g, x, 'a', 0.25)
    b = leaf(g, y, 'b', -0.5) if const is None else Const(const)
    return finish(g, g.binary(op, a, b, 'c'))


def reflected(op, number, x):
    g = Graph()
    a = leaf(g, x, 'a', 0.25)
    return finish(g, g.binary(op, Const(number), a, 'c'))


def test_neg(student):
    """-a is a * -1"""
    g = Graph()
    check(student, finish(g, g.unary('neg', leaf(g, 2.5, 'a', 0.25), 'c')))


@pytest.mark.parametrize('op', ['sub', 'truediv'])
def test_between_values(student, op):
    """a - b and a / b, forward and backward"""
    check(student, single(op))


@pytest.mark.parametrize('op', ['sub', 'truediv'])
def test_with_a_number(student, op):
    """a - 2 and a / 2"""
    check(student, single(op, const=2))


@pytest.mark.parametrize('op', ['add', 'mul'])
def test_reflected_add_mul(student, op):
    """2 + a and 2 * a call __radd__ and __rmul__"""
    check(student, reflected(op, 2, -1.5))


@pytest.mark.parametrize('op', ['sub', 'truediv'])
def test_reflected_sub_div(student, op):
    """2 - a and 2 / a call __rsub__ and __rtruediv__: other - self, other / self"""
    swapped = -1.5 - 2 if op == 'sub' else -1.5 / 2
    check(student, reflected(op, 2, -1.5), 'reflected_swapped',
          lambda diffs: any(d.node == 'c' and d.field == 'data' and close(swapped, d.got) for d in diffs),
          f'Value.__r{op}__')


@pytest.mark.parametrize('x', [-1.5, 2.0])
def test_relu(student, x):
    """relu is max(0, x), and passes the gradient only where x > 0"""
    g = Graph()
    a = leaf(g, x, 'a', 0.25)
    g.drive(g.mul(g.unary('relu', a, 'b'), g.leaf(3.0, 'w'), 'c'))
    check(student, g, 'relu_gradient', lambda diffs: all(d.field == 'grad' for d in diffs), 'Value.relu')


def test_sum(student):
    """sum([a, b, c]) starts from 0, so it needs __radd__"""
    g = Graph()
    a, b, c = leaf(g, 1.0, 'a', 0.25), leaf(g, -2.0, 'b', -0.5), g.leaf(0.5, 'c')
    g.drive(g.mul(g.sum([a, b, c], 's'), a, 't'))
    check(student, g)


def test_random_graphs(student):
    """random graphs with every op get the reference's data and grads"""
    check_random_graphs(student, ('add', 'mul', 'sub', 'truediv', 'neg', 'relu', 'pow', 'sum'))
