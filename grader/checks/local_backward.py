"""Hidden checks for `local_backward`: each op's _backward, one node at a time, then in random graphs."""
import pytest

from grader.checking import Graph, expect_graph
from grader.checking.recipe import Const
from grader.checking.strategies import check_random_graphs

UPSTREAM = 1.5  # not 1.0, so a forgotten `* out.grad` shows
EARLIER = (0.25, -0.5)  # grads already there, so `=` instead of `+=` shows, for either input
ALREADY = 'already there: your _backward must add to it'


def leaves(x, y):
    """Leaves a and b, each already holding some grad."""
    g = Graph()
    a, b = g.leaf(x, 'a'), g.leaf(y, 'b')
    g.set_grad(a, EARLIER[0], ALREADY)
    g.set_grad(b, EARLIER[1], ALREADY)
    return g, a, b


def one_step(build, x=-0.7, y=2.0):
    """Leaves a and b, one op, then only that op's _backward."""
    g, a, b = leaves(x, y)
    g.local(build(g, a, b), UPSTREAM)
    return g


def through(build, x=-0.7, y=2.0):
    """Like one_step, but backpropagated by the grader from out * 1.5, so an op built from others works."""
    g, a, b = leaves(x, y)
    g.drive(g.mul(build(g, a, b), Const(UPSTREAM), 'd'))
    return g


@pytest.mark.parametrize('x,y', [(-0.7, 2.0), (1.5, -3.0)])
def test_add(student, x, y):
    """the _backward of + passes out.grad to both inputs"""
    expect_graph(student, one_step(lambda g, a, b: g.add(a, b, 'c'), x, y))


@pytest.mark.parametrize('x,y', [(-0.7, 2.0), (1.5, -3.0)])
def test_mul(student, x, y):
    """the _backward of * gives each input the other's value times out.grad"""
    expect_graph(student, one_step(lambda g, a, b: g.mul(a, b, 'c'), x, y))


@pytest.mark.parametrize('x', [-0.7, 0.4, 1.2])
def test_tanh(student, x):
    """tanh's forward pass, and its _backward: (1 - t**2) * out.grad"""
    expect_graph(student, through(lambda g, a, b: g.unary('tanh', a, 'c'), x))


@pytest.mark.parametrize('x', [400.0, -800.0])
def test_tanh_of_a_large_input(student, x):
    """tanh of a large input is 1.0 or -1.0, with gradient 0, and no OverflowError"""
    expect_graph(student, through(lambda g, a, b: g.unary('tanh', a, 'c'), x))


@pytest.mark.parametrize('x', [-0.7, 0.4, 1.2])
def test_exp(student, x):
    """exp's forward pass, and its _backward: out.data * out.grad"""
    expect_graph(student, through(lambda g, a, b: g.unary('exp', a, 'c'), x))


@pytest.mark.parametrize('n', [2, 3, -1, 0.5])
def test_pow(student, n):
    """x**n's forward pass, and its _backward: n * x**(n - 1) * out.grad"""
    # Not x = 2: with n = 0.5 there, n * x**n equals x**(n - 1) and two mistakes look the same.
    expect_graph(student, through(lambda g, a, b: g.pow(b, n, 'c'), y=1.5))


@pytest.mark.parametrize('op', ['add', 'mul'])
def test_same_input_twice(student, op):
    """a + a and a * a: both uses of a add to a.grad"""
    expect_graph(student, one_step(lambda g, a, b: g.binary(op, a, a, 'c')))


def test_random_graphs(student):
    """random graphs of +, *, tanh, exp and ** get the reference's data and grads"""
    check_random_graphs(student, ('add', 'mul', 'tanh', 'exp', 'pow'))
