"""Hidden checks for `neuron`: the lecture's single neuron, with tanh and with tanh spelled out through exp."""
import pytest

from grader.checking import CheckFailed, Graph, close, name, named_nodes
from grader.checking import reference
from grader.checking.compare import shown
from grader.results import Feedback, NodeDiff

LABELS = ('x1', 'x2', 'w1', 'w2', 'b', 'o')


def lecture_neuron():
    g = Graph()
    x1, x2 = g.leaf(2.0, 'x1'), g.leaf(0.0, 'x2')
    w1, w2 = g.leaf(-3.0, 'w1'), g.leaf(1.0, 'w2')
    b = g.leaf(6.8813735870195432, 'b')
    n = g.add(g.add(g.mul(x1, w1), g.mul(x2, w2)), b, 'n')
    g.backward(g.unary('tanh', n, 'o'))
    return g


@pytest.mark.parametrize('function', ['build_neuron', 'build_neuron_exp'])
def test_neuron(student, function):
    """o = tanh(x1*w1 + x2*w2 + b) is 0.7071, with grads x1 -1.5, w1 1, x2 0.5, w2 0"""
    probe = {'module': 'neuron', 'function': function, 'backward': True}
    result = student.run('graph', probe, ('engine', 'neuron'), expression=f'o = {function}()\no.backward()')
    if not result.get('nodes'):
        raise CheckFailed(Feedback(f"{function} should return o, a Value, but it returned {shown(result.get('root'))}"))
    g = lecture_neuron()
    at = named_nodes.find(g, result['nodes'], LABELS)
    missing = [name for name in LABELS if name not in at]
    if missing:
        raise CheckFailed(Feedback(f"{function}: the grader cannot tell which node is {', '.join(missing)}",
                                   hint="Use the lecture's numbers, and label the nodes as the lecture does "
                                        "(x1.label = 'x1', ...): labels settle which leaf is which."))
    got = {name: result['nodes'][i] for name, i in at.items()}
    expected = dict(zip(g.names, reference.run('expression', {'steps': g.steps})['nodes']))
    diffs = [NodeDiff(name, field, expected[name][field], got[name][field])
             for name in LABELS for field in ('data', 'grad') if not close(expected[name][field], got[name][field])]
    if diffs:
        hint = ("Use the lecture's numbers, and let the grader call o.backward()." if any(d.field == 'data' for d in diffs)
                else 'The forward pass is right; the gradients come from your backward() and the ops it goes through.')
        # Only the lecture's labels are compared: the nodes in between differ between tanh and its exp form.
        names = [n if n in LABELS + ('n',) else '' for n in g.names]
        feedback = Feedback(f'{function}: the neuron differs from the lecture\'s', expression=g.program(),
                            diffs=diffs, hint=hint, graph={'probe': 'graph', 'args': probe, 'modules': ['engine', 'neuron'],
                                                           'steps': g.steps, 'names': names})
        if close(expected['n']['data'], got['o']['data']):
            feedback.summary = f'{function} returns n = {got["o"]["data"]:.4g}, the weighted sum, where o = tanh(n) belongs'
            name(feedback, 'neuron_returns_n', student.locate('neuron', function, 'neuron_returns_n'))
        raise CheckFailed(feedback)
