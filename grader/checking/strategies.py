"""Hypothesis strategies for random expression graphs, and the settings the checks share."""
from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, Phase, assume, given, seed, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from grader.checking import reference
from grader.checking.recipe import Graph

# Hypothesis keeps a cache in ./.hypothesis by default: that would be the student's project folder.
set_hypothesis_home_dir(Path(os.environ.get('XDG_CACHE_HOME') or Path.home() / '.cache') / 'micrograd-grader' / 'hypothesis')
CHECK_SETTINGS = settings(max_examples=25, derandomize=True, database=None, deadline=None,
                          suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
                          phases=(Phase.explicit, Phase.generate, Phase.shrink), print_blob=False)
LEAF = st.integers(-30, 30).map(lambda k: k / 10)
POWERS = (2, 3, -1, 0.5)
LIMIT = 1e6  # keep numbers moderate, so a float rounding difference can never look like a bug


@st.composite
def graphs(draw, ops: tuple[str, ...], finish: str = 'drive') -> Graph:
    """A small random graph over `ops` whose last node is backpropagated with `finish`."""
    g = Graph()
    for _ in range(draw(st.integers(1, 3))):
        g.leaf(draw(LEAF))
    for _ in range(draw(st.integers(1, 6))):
        op, a = draw(st.sampled_from(ops)), draw(st.integers(0, len(g.names) - 1))
        if op in ('add', 'mul', 'sub', 'truediv'):
            g.binary(op, a, draw(st.integers(0, len(g.names) - 1)))
        elif op == 'pow':
            g.pow(a, draw(st.sampled_from(POWERS)))
        elif op == 'sum':
            g.sum(draw(st.lists(st.integers(0, len(g.names) - 1), min_size=1, max_size=4)))
        else:
            g.unary(op, a)
    getattr(g, finish)(len(g.names) - 1)
    assume(_tame(g))
    return g


def _tame(g: Graph) -> bool:
    """The reference can evaluate the graph, and every number stays moderate."""
    try:
        nodes = reference.run('expression', {'steps': g.steps})['nodes']
    except (ArithmeticError, ValueError, TypeError):
        return False
    return all(isinstance(n[f], (int, float)) and abs(n[f]) < LIMIT for n in nodes for f in ('data', 'grad'))


def smoke_graph(ops: tuple[str, ...], finish: str) -> Graph:
    """One small graph that uses every op once: a plain mistake fails here, before any shrinking."""
    g = Graph()
    a, b = g.leaf(0.6, 'a'), g.leaf(-1.3, 'b')
    x = a
    for op in ops:
        if op in ('add', 'mul', 'sub', 'truediv'):
            x = g.binary(op, x, b)
        elif op == 'pow':
            x = g.pow(x, 2)
        elif op == 'sum':
            x = g.sum([x, a, b])
        else:
            x = g.unary(op, x)
    getattr(g, finish)(x)
    return g


def check_random_graphs(student, ops: tuple[str, ...], finish: str = 'drive') -> None:
    """A smoke graph first, then Hypothesis's random graphs, shrunk to the smallest that fails."""
    from grader.checking.compare import expect_graph

    expect_graph(student, smoke_graph(ops, finish))

    # Seeded from the submission's files: the same graphs on every run, but none code could carry answers for.
    @seed(student.seed(f'graphs {" ".join(ops)} {finish}'))
    @CHECK_SETTINGS
    @given(graph=graphs(ops, finish))
    def random_graphs(graph: Graph) -> None:
        expect_graph(student, graph)

    random_graphs()
