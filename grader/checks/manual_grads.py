"""Hidden checks for `manual_grads`: the lecture's L = d * f with every grad set by hand."""
from grader.checking import CheckFailed, Graph, close, named_nodes
from grader.checking import reference
from grader.checking.compare import shown
from grader.results import Feedback, NodeDiff

CHAIN_RULE = {
    'L': 'dL/dL = 1',
    'd': 'L = d * f, so dL/dd = f = -2',
    'f': 'L = d * f, so dL/df = d = 4',
    'e': 'd = e + c, so dL/de = dL/dd * 1 = -2',
    'c': 'd = e + c, so dL/dc = dL/dd * 1 = -2',
    'a': 'e = a * b, so dL/da = dL/de * b = -2 * -3 = 6',
    'b': 'e = a * b, so dL/db = dL/de * a = -2 * 2 = -4',
}


def lecture_graph():
    g = Graph()
    a, b, c = g.leaf(2.0, 'a'), g.leaf(-3.0, 'b'), g.leaf(10.0, 'c')
    e = g.mul(a, b, 'e')
    d = g.add(e, c, 'd')
    f = g.leaf(-2.0, 'f')
    g.backward(g.mul(d, f, 'L'))
    return g


def test_build_L(student):
    """build_L returns L with the lecture's data and hand-computed grads on every node"""
    probe = {'module': 'manual_grads', 'function': 'build_L'}
    nodes = student.run('graph', probe, ('engine', 'manual_grads'), expression='L = build_L()')
    if not nodes.get('nodes'):
        raise CheckFailed(Feedback(f"build_L should return L, a Value, but it returned {shown(nodes.get('root'))}"))
    g = lecture_graph()
    at = named_nodes.find(g, nodes['nodes'], tuple(CHAIN_RULE))
    got = {name: nodes['nodes'][i] for name, i in at.items()}
    expected = dict(zip(g.names, reference.run('expression', {'steps': g.steps})['nodes']))
    missing = [name for name in CHAIN_RULE if name not in got]
    if missing:
        raise CheckFailed(Feedback(f"the grader cannot tell which node is {', '.join(missing)} in the graph under L",
                                   hint="Keep the lecture's numbers and graph; labels (a.label = 'a', ...) settle "
                                        'which node is which.'))
    diffs = [NodeDiff(name, field, expected[name][field], got[name][field])
             for name in CHAIN_RULE for field in ('data', 'grad') if not close(expected[name][field], got[name][field])]
    if diffs:
        wrong = sorted({d.node for d in diffs}, key=list(CHAIN_RULE).index)
        raise CheckFailed(Feedback(
            f"wrong values on {', '.join(wrong)}", expression=g.program().replace('L.backward()', '# then grads by hand'),
            diffs=diffs, hint='The chain rule, node by node: ' + '; '.join(CHAIN_RULE[n] for n in wrong) + '.',
            graph={'probe': 'graph', 'args': probe, 'modules': ['engine', 'manual_grads'], 'steps': g.steps, 'names': g.names}))
