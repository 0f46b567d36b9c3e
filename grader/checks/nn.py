"""Hidden checks for `nn`: Neuron, Layer, MLP, parameters() and zero_grad(), against micrograd_ref.nn."""
import pytest

from grader.checking import CheckFailed, close
from grader.checking import reference
from grader.checking.compare import shown
from grader.misconceptions import MISCONCEPTIONS
from grader.results import Feedback, NodeDiff

MODULES = ('engine', 'nn')
INPUTS = [[2.0, 3.0, -1.0], [0.5, -1.0, 1.5]]


def params_for(shape):
    """Deterministic, distinct parameter values for a model of this shape."""
    return [[[round(0.1 * (k + 1) * (-1) ** (i + j + k) + 0.05 * j, 4) for k in range(nin + 1)]
             for j, nin in enumerate(layer)] for i, layer in enumerate(shape)]


def compare(student, cls, args, kwargs=None, zero_grad=False):
    """Build the same model in both engines with the same parameters; compare everything it reports."""
    call = {'cls': cls, 'args': args, 'kwargs': kwargs or {}, 'inputs': INPUTS, 'zero_grad': zero_grad}
    expected_shape = reference.run('module', call)['shape']
    call['params'] = params_for(expected_shape)
    got = student.run('module', call, MODULES)
    expected = reference.run('module', call)
    text = f"model = {cls}({', '.join(map(repr, args))}{''.join(f', {k}={v!r}' for k, v in (kwargs or {}).items())})"
    if got.get('shape') != expected['shape']:
        raise CheckFailed(Feedback(f'{text} has neurons of {got.get("shape")} inputs per layer; expected {expected["shape"]}',
                                   hint='Neuron keeps its weights in .w and bias in .b; Layer keeps .neurons; MLP keeps .layers.'))
    return got, expected, text, call


def fail(summary, text, diffs=(), misconception='', hint='', where=''):
    raise CheckFailed(Feedback(summary, expression=text, diffs=list(diffs), hint=hint, misconception=misconception, where=where,
                               diagnosis=MISCONCEPTIONS[misconception].explanation if misconception else ''))


def expect_bias(student, got, expected, text, call):
    """Outputs that the reference gives with every bias at 0 mean the neurons leave out their bias."""
    unbiased = {**call, 'params': [[n[:-1] + [0.0] for n in layer] for layer in call['params']]}
    outputs = reference.run('module', unbiased)['outputs']
    if got['outputs'] != expected['outputs'] and all(
            len(u['values']) == len(g['values']) and all(map(close, u['values'], g['values']))
            for u, g in zip(outputs, got['outputs'])):
        fail('the neurons\' outputs leave out the bias', text, misconception='neuron_no_bias',
             where=student.locate('nn', 'Neuron.__call__'))


def expect_outputs(student, got, expected, text):
    for x, g, e in zip(INPUTS, got['outputs'], expected['outputs']):
        if g['kind'] != e['kind']:
            layer_list = e['kind'] == 'value'
            fail(f'model({x}) returned a {g["kind"]}, expected a single Value' if layer_list else
                 f'model({x}) returned a {g["kind"]}, expected a list of Values', text,
                 misconception='layer_returns_list' if layer_list else '',
                 where=student.locate('nn', 'Layer.__call__') if layer_list else '')
        diffs = [NodeDiff(f'out[{k}]', 'data', ev, gv) for k, (ev, gv) in enumerate(zip(e['values'], g['values']))
                 if not close(ev, gv)]
        if len(g['values']) != len(e['values']) or diffs:
            fail(f'model({x}) gives the wrong output', text, diffs)


def expect_grads(got, expected, text, field='grads'):
    diffs = [NodeDiff(f'L{i}.N{j}.{"b" if k == len(n) - 1 else f"w{k}"}', 'grad', ev, gv)
             for i, (gl, el) in enumerate(zip(got[field], expected[field]))
             for j, (gn, n) in enumerate(zip(gl, el)) for k, (gv, ev) in enumerate(zip(gn, n)) if not close(ev, gv)]
    if diffs:
        fail('the parameters have the wrong gradients after backward()', text, diffs[:8])


def expect_parameters(student, got, expected, text):
    want = sorted(map(tuple, expected['parameters']))
    have = got['parameters']
    if None in have:
        fail('parameters() lists something that is not one of the weights or biases', text,
             hint='parameters() returns the Values in .w and .b of every neuron, and nothing else.')
    if sorted(map(tuple, have)) != want:
        missing_bias = any(k == len(expected['grads'][i][j]) - 1 for i, j, k in set(want) - set(map(tuple, have)))
        fail(f'parameters() lists {len(have)} Values; the model has {len(want)} weights and biases', text,
             misconception='neuron_no_bias' if missing_bias else '',
             where=student.locate('nn', 'Neuron.parameters') if missing_bias else '')


def expect_model(student, cls, args, kwargs=None):
    """The model's outputs, grads and parameters() match the reference's; a missing bias is named first."""
    got, expected, text, call = compare(student, cls, args, kwargs)
    expect_bias(student, got, expected, text, call)
    expect_outputs(student, got, expected, text)
    expect_grads(got, expected, text)
    expect_parameters(student, got, expected, text)


@pytest.mark.parametrize('nonlin', [True, False])
def test_neuron(student, nonlin):
    """a Neuron computes tanh(w . x + b), or w . x + b with nonlin=False"""
    expect_model(student, 'Neuron', [3], {'nonlin': nonlin})


@pytest.mark.parametrize('nout', [4, 1])
def test_layer(student, nout):
    """a Layer of nout neurons returns a list, or a single Value when nout == 1"""
    expect_model(student, 'Layer', [3, nout])


def test_mlp(student):
    """MLP(3, [4, 4, 1]) has 41 parameters and matches the reference forward and backward"""
    expect_model(student, 'MLP', [3, [4, 4, 1]])


def test_zero_grad(student):
    """zero_grad() sets every parameter's grad back to 0"""
    got, expected, text, _ = compare(student, 'MLP', [3, [4, 1]], zero_grad=True)
    bad = [g for layer in got['after_zero_grad'] for n in layer for g in n if g != 0 or type(g) not in (int, float)]
    if bad:
        fail(f'after zero_grad(), {len(bad)} parameters still have a grad, e.g. {shown(bad[0])}', text + '\nmodel.zero_grad()',
             hint='for p in self.parameters(): p.grad = 0.0')
