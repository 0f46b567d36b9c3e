"""Comparing the student's numbers with the reference's, and naming the mistake when one fits."""
from __future__ import annotations

import math

from grader.checking import reference
from grader.checking.recipe import Graph, children
from grader.checking.student import CheckFailed, Student, cut
from grader.feedback.misconceptions import MISCONCEPTIONS
from grader.results import Feedback, NodeDiff

REL_TOL, ABS_TOL = 1e-6, 1e-9
SYMBOL_OF_OP = {'+': 'Value.__add__', '*': 'Value.__mul__', '**': 'Value.__pow__', 'exp': 'Value.exp',
                'tanh': 'Value.tanh', 'ReLU': 'Value.relu', 'log': 'Value.log', 'neg': 'Value.__neg__',
                '-': 'Value.__sub__', '/': 'Value.__truediv__'}
REFLECTED = {'+': 'Value.__radd__', '*': 'Value.__rmul__', '-': 'Value.__rsub__', '/': 'Value.__rtruediv__'}
OP_OF_STEP = {'add': '+', 'mul': '*', 'sub': '-', 'truediv': '/', 'pow': '**', 'relu': 'ReLU'}
# The ops a derived op is often written through (a - b as a + (-b)): where its mistake may really live.
BUILT_FROM = {'Value.__sub__': ('Value.__add__', 'Value.__neg__', 'Value.__mul__'),
              'Value.__rsub__': ('Value.__add__', 'Value.__neg__', 'Value.__mul__'),
              'Value.__truediv__': ('Value.__mul__', 'Value.__pow__'), 'Value.__rtruediv__': ('Value.__mul__', 'Value.__pow__'),
              'Value.__neg__': ('Value.__mul__',), 'Value.__radd__': ('Value.__add__',), 'Value.__rmul__': ('Value.__mul__',)}


def is_number(x: object) -> bool:
    # Only exact int and float count: JSON gives no other numbers, and bool is not a number here.
    return type(x) in (int, float)


def close(expected: float, got: object) -> bool:
    """Whether got is the expected number: NaN equals nothing, and an infinity only the same infinity."""
    if not (is_number(expected) and is_number(got)):
        return False
    try:
        if math.isnan(expected) or math.isnan(got):
            return False
        return math.isclose(expected, got, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    except OverflowError:  # an int too large for a float, as JSON allows
        return expected == got


def shown(x: object) -> str:
    """A value as the student should see it: numbers as numbers, anything else by its type."""
    if is_number(x):
        return f'{x:.6g}' if isinstance(x, float) else str(x)
    if isinstance(x, dict) and '__object__' in x:
        return f"a {cut(str(x['__object__']), 100)}" + (f" ({cut(str(x['note']), 100)})" if 'note' in x else '')
    return cut(repr(x), 200)


def name(feedback: Feedback, misconception: str, where: str = '') -> Feedback:
    """Put a misconception, its explanation and the student's line (file:line) on the feedback."""
    feedback.misconception, feedback.diagnosis = misconception, MISCONCEPTIONS[misconception].explanation
    feedback.where = where
    return feedback


def number_or_fail(x: object, what: str) -> float:
    if not is_number(x):
        raise CheckFailed(Feedback(f'{what} should be a number, but it is {shown(x)}'))
    return x


def node_diffs(names: list[str], expected: list[dict], got: list[dict], fields: tuple[str, ...]) -> list[NodeDiff]:
    diffs = []
    for name, e, g in zip(names, expected, got):
        for f in fields:
            if not close(e[f], g.get(f)):
                diffs.append(NodeDiff(name, f, e[f], g.get(f)))
    return diffs


def expect_graph(student: Student, graph: Graph, *, fields: tuple[str, ...] = ('data', 'grad'),
                 summary: str = '', hint: str = '', structure: bool = False) -> dict:
    """Replay the graph in the student's engine and the reference; fail with a diagnosis if they differ."""
    args = {'steps': graph.steps}
    got = student.run('expression', args, ('engine',))
    expected = reference.run('expression', args)
    nodes = got['nodes']  # the sandbox has checked the reply's shape
    if len(nodes) != len(graph.names):
        raise CheckFailed(Feedback('the grader could not read your Values back', expression=graph.program()))
    _expect_values(graph, nodes)
    if structure:
        _expect_children(graph, nodes)
    diffs = node_diffs(graph.names, expected['nodes'], nodes, fields)
    if not diffs:
        return got
    # The forward pass first: a wrong value makes every grad computed from it wrong too.
    data = [d for d in diffs if d.field == 'data']
    shown_diffs = data or diffs
    wrong = sorted({d.node for d in shown_diffs}, key=graph.names.index)
    keep = graph.inputs_of({graph.names.index(n) for n in wrong} if data else graph.roots() or set(range(len(nodes))))
    feedback = Feedback(summary or f"wrong {' and '.join(sorted({d.field for d in shown_diffs}))} for {', '.join(wrong)}",
                        expression=graph.program(keep), diffs=shown_diffs, hint=hint,
                        graph={'steps': graph.steps, 'names': graph.names})
    misconception, symbol = diagnose(graph, got, fields)
    if misconception:
        name(feedback, misconception, where_it_shows(student, symbol, misconception))
    raise CheckFailed(feedback)


def where_it_shows(student: Student, symbol: str, misconception: str) -> str:
    """The student's line that shows the mistake, in the op or in an op it is built from; else the op's
    own `def` line, unless it is built from others, where naming it could blame the wrong exercise."""
    for candidate in (symbol, *BUILT_FROM.get(symbol, ())):
        found = student.locate('engine', candidate, misconception, strict=True)
        if found:
            return found
    return '' if symbol in BUILT_FROM else student.locate('engine', symbol, misconception)


def _expect_values(graph: Graph, nodes: list[dict]) -> None:
    for line, node in zip(_node_lines(graph), nodes):
        if 'object' in node:
            raise CheckFailed(Feedback(f'`{line}` gave {shown(node["object"])}, not a Value: does the op '
                                       '`return out`?', expression=graph.program()))


def _expect_children(graph: Graph, nodes: list[dict]) -> None:
    for step, line, node in zip(_node_steps(graph), _node_lines(graph), nodes):
        if not set(children(step)) <= set(node.get('prev', [])):
            raise CheckFailed(Feedback(
                f'`{line}` does not list its inputs as children: backward() finds the graph through _prev',
                expression=graph.program(),
                hint='Pass the inputs as children: Value(result, (self, other), op).'))


def _node_steps(graph: Graph) -> list[list]:
    return [s for s in graph.steps if s[0] in ('leaf', 'bin', 'un', 'sum')]


def _node_lines(graph: Graph) -> list[str]:
    return [line for line, s in zip(graph.lines, graph.steps) if s[0] in ('leaf', 'bin', 'un', 'sum')]


def diagnose(graph: Graph, got: dict, fields: tuple[str, ...]) -> tuple[str, str]:
    """The known mistake whose simulation reproduces the student's numbers exactly, if any."""
    args = {'steps': graph.steps}
    # The student's own backward() is replayed first: when it explains the numbers, the local rules are fine.
    traces = got['traces']
    if traces:
        for misconception, seed, reset in (('', True, False), ('no_grad_seed', False, False),
                                           ('reset_grads_in_backward', True, True)):
            if _matches(reference.run('expression', args, replay_hooks(traces, seed, reset)), got, fields):
                return misconception or order_mistake(graph, traces), 'Value.backward'
    found = {(m.misconception, m.op) for m in reference.RULE_MISTAKES
             if _matches(reference.run('expression', args, reference.hooks(m)), got, fields)}
    # Two mistakes that explain the same numbers: naming either one could be wrong.
    if len(found) != 1:
        return '', ''
    misconception, op = found.pop()
    return misconception, symbol_of(graph, op)


def symbol_of(graph: Graph, op: str) -> str:
    """The student's method behind a reference op in this graph: 2 - a is __rsub__, a - 2 is __sub__."""
    uses = [s for s in _node_steps(graph) if s[0] in ('bin', 'un') and OP_OF_STEP.get(s[1], s[1]) == op]
    if uses and op in REFLECTED and all(s[0] == 'bin' and isinstance(s[2], dict) for s in uses):
        return REFLECTED[op]
    return SYMBOL_OF_OP[op]


def _matches(simulated: dict, got: dict, fields: tuple[str, ...]) -> bool:
    return len(simulated['nodes']) == len(got['nodes']) and all(
        close(s[f], g.get(f)) for s, g in zip(simulated['nodes'], got['nodes']) for f in fields)


def replay_hooks(traces: list[list[int]], seed: bool, reset: bool) -> dict:
    """Reference hooks whose backward() calls the local rules in the order the student's did."""
    pending = iter(traces)

    def backward(root, nodes):
        trace = next(pending, [])
        if reset:
            for v in reference.topo(root):
                v.grad = 0.0
        if seed:
            root.grad = 1.0
        for i in trace:
            if 0 <= i < len(nodes):
                reference.apply_rule(nodes[i])
        return []

    return {**reference.REFERENCE_HOOKS, 'backward': backward}


def order_mistake(graph: Graph, traces: list[list[int]]) -> str:
    """Children before parents throughout is an unreversed topological order; anything else is no sort."""
    steps = _node_steps(graph)
    edges = [(node, c) for node, step in enumerate(steps) for c in children(step)]
    for trace in traces:
        position = {node: k for k, node in enumerate(trace)}
        pairs = [(n, c) for n, c in edges if n in position and c in position]
        if pairs and all(position[c] < position[n] for n, c in pairs):
            return 'unreversed_topo'
    return 'no_topo_sort'
