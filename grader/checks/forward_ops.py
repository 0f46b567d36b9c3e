"""Hidden checks for `forward_ops`: the forward pass of + and *, with Values and plain numbers."""
import re

import pytest

from grader.checking import CheckFailed, Graph, expect_graph
from grader.checking.recipe import Const

PAIRS = [(2.0, -3.0), (0.5, 4.0), (-1.5, -2.5), (3, 7)]
PLAIN_NUMBER = re.compile(r"'(int|float)' object has no attribute")
WRAP = 'Wrap a plain number first: other = other if isinstance(other, Value) else Value(other).'


@pytest.mark.parametrize('op', ['add', 'mul'])
@pytest.mark.parametrize('x,y', PAIRS)
def test_values(student, op, x, y):
    """a + b and a * b hold the result and list a and b as children"""
    g = Graph()
    a, b = g.leaf(x, 'a'), g.leaf(y, 'b')
    g.binary(op, a, b, 'c')
    expect_graph(student, g, fields=('data',), structure=True)


@pytest.mark.parametrize('op', ['add', 'mul'])
def test_plain_numbers(student, op):
    """a + 2 and a * 2 work with a plain number on the right"""
    g = Graph()
    a = g.leaf(3.0, 'a')
    g.binary(op, a, Const(2), 'b')
    g.binary(op, a, Const(-0.5), 'c')
    try:
        expect_graph(student, g, fields=('data',), structure=True)
    except CheckFailed as failed:
        # The hint is for a plain number used as a Value, not for wrong numbers.
        if failed.feedback.kind == 'error' and PLAIN_NUMBER.search(failed.feedback.summary):
            failed.feedback.hint = WRAP
        raise


def test_same_value_twice(student):
    """a + a and a * a use the same Value twice"""
    g = Graph()
    a = g.leaf(-3.0, 'a')
    g.add(a, a, 'b')
    g.mul(a, a, 'c')
    expect_graph(student, g, fields=('data',), structure=True)


def test_chained(student):
    """the lecture's d = a*b + c"""
    g = Graph()
    a, b, c = g.leaf(2.0, 'a'), g.leaf(-3.0, 'b'), g.leaf(10.0, 'c')
    e = g.mul(a, b, 'e')
    g.add(e, c, 'd')
    expect_graph(student, g, fields=('data',), structure=True)
