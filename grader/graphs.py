"""The computation graphs that `grade graph` draws, built by the student's engine in the sandbox."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.checking import reference
from grader.checking.compare import close
from grader.checking.recipe import Graph
from grader.checking.student import feedback_for_error
from grader.sandbox.runner import Sandbox


@dataclass
class GraphNodes:
    """Nodes ready to draw, with the reference's values attached as expectations."""

    nodes: list[dict]
    title: str
    message: str = ''


def lecture_L(finish: str) -> Graph:
    g = Graph()
    a, b, c = g.leaf(2.0, 'a'), g.leaf(-3.0, 'b'), g.leaf(10.0, 'c')
    d = g.add(g.mul(a, b, 'e'), c, 'd')
    L = g.mul(d, g.leaf(-2.0, 'f'), 'L')
    if finish:
        getattr(g, finish)(L)
    return g


def lecture_graph(submission: Path) -> GraphNodes:
    """L = d * f from the student's engine, after their backward() if it runs, else without grads."""
    with Sandbox(submission) as sandbox:
        message = ''
        for finish in ('backward', 'drive', ''):
            g = lecture_L(finish)
            args = {'steps': g.steps, 'walk': g.names}
            reply = sandbox.request('expression', args, ('engine',))
            if reply.ok:
                break
            sandbox.begin_check()
            message = message or feedback_for_error(reply.error, 'backward').summary
        else:
            raise GraphError(f'your engine cannot build L = d * f yet: {message}')
    expected = dict(zip(g.names, reference.run('expression', {'steps': g.steps})['nodes']))
    nodes = reply.result['graph']
    for node in nodes:
        if node['label'] in expected:
            node['expected'] = {f: expected[node['label']][f] for f in ('data', 'grad')}
    note = f'backward() did not run ({message}); grads are shown as they are.' if finish != 'backward' else ''
    wrong = [n['label'] for n in nodes if 'expected' in n and not all(close(n['expected'][f], n[f]) for f in ('data', 'grad'))]
    if wrong:
        note = (note + ' ' if note else '') + f"Nodes that differ from the reference: {', '.join(wrong)}."
    return GraphNodes(nodes, 'L = d * f, built by your engine', note)


class GraphError(Exception):
    """The student's engine could not build the graph at all."""
