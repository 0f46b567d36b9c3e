"""Hidden checks for `backward`: topological order, the seed, and accumulation across uses and calls.

Only +, * and ** build the graphs: ordering and accumulation show in any graph, and an engine
with just those ops can be graded on its backward().
"""

from grader.checking import Graph, expect_graph
from grader.checking.strategies import check_random_graphs


def test_a_plus_a(student):
    """b = a + a gives a.grad == 2"""
    g = Graph()
    a = g.leaf(3.0, 'a')
    g.backward(g.add(a, a, 'b'))
    expect_graph(student, g)


def test_a_plus_a_twice(student):
    """b = a + a; c = b + b gives a.grad == 4"""
    g = Graph()
    a = g.leaf(3.0, 'a')
    b = g.add(a, a, 'b')
    g.backward(g.add(b, b, 'c'))
    expect_graph(student, g)


def lecture_f(g):
    a, b = g.leaf(-2.0, 'a'), g.leaf(3.0, 'b')
    d, e = g.mul(a, b, 'd'), g.add(a, b, 'e')
    return g.mul(d, e, 'f')


def test_shared_inputs(student):
    """with a = -2, b = 3: f = (a*b)*(a+b) gives a.grad == -3, b.grad == -8"""
    g = Graph()
    g.backward(lecture_f(g))
    expect_graph(student, g)


def test_backward_twice_accumulates(student):
    """calling f.backward() twice adds the gradients up"""
    g = Graph()
    f = lecture_f(g)
    g.backward(f)
    g.backward(f)
    expect_graph(student, g)


def test_lecture_L(student):
    """the lecture's L = d * f: backward() finds a 6, b -4, c -2, e -2, d -2, f 4"""
    g = Graph()
    a, b, c = g.leaf(2.0, 'a'), g.leaf(-3.0, 'b'), g.leaf(10.0, 'c')
    d = g.add(g.mul(a, b, 'e'), c, 'd')
    g.backward(g.mul(d, g.leaf(-2.0, 'f'), 'L'))
    expect_graph(student, g)


def test_shared_intermediate(student):
    """a node used by two later nodes gets its gradient complete before passing it on"""
    g = Graph()
    a, b, c = g.leaf(0.5, 'a'), g.leaf(-1.5, 'b'), g.leaf(2.0, 'c')
    d = g.mul(a, b, 'd')
    e = g.add(d, c, 'e')
    h = g.pow(g.mul(d, e, 'f'), 2, 'h')
    g.backward(g.mul(h, d, 'k'))
    expect_graph(student, g)


def test_two_branches(student):
    """x feeds two branches that meet again: x.grad must collect both before x passes it on"""
    g = Graph()
    a, b, c = g.leaf(0.5, 'a'), g.leaf(-1.5, 'b'), g.leaf(2.0, 'c')
    x = g.mul(a, b, 'x')
    y = g.mul(x, c, 'y')
    g.backward(g.add(g.pow(x, 2, 'p'), g.pow(y, 3, 'q'), 'r'))
    expect_graph(student, g)


def test_chain(student):
    """a chain of 30 ops passes the gradient all the way down"""
    g = Graph()
    x = a = g.leaf(0.3, 'a')
    for k in range(30):
        x = g.binary('mul' if k % 2 else 'add', x, a, f'x{k}')
    g.backward(x)
    expect_graph(student, g)


def test_random_graphs(student):
    """random graphs get the reference's grads from your backward()"""
    check_random_graphs(student, ('add', 'mul', 'pow'), finish='backward')
