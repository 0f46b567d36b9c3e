"""Hidden checks for `nn`: Neuron, Layer, MLP, parameters() and zero_grad(), against micrograd_ref.nn."""
import pytest

from grader.checking import CheckFailed, close, name
from grader.checking import reference
from grader.checking.compare import shown
from grader.checking.student import cut
from grader.results import Feedback, NodeDiff
from grader.sandbox.probe_functions import set_params, structure
from micrograd_ref import nn as ref_nn
from micrograd_ref.engine import Value

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
    text = f"model = {cls}({', '.join(map(repr, args))}{''.join(f', {k}={v!r}' for k, v in (kwargs or {}).items())})"
    got = student.run('module', call, MODULES, expression=text)
    expected = reference.run('module', call)
    if got['shape'] != expected['shape']:
        raise CheckFailed(Feedback(f'{text} has neurons of {cut(str(got["shape"]), 200)} inputs per layer; expected {expected["shape"]}',
                                   hint='Neuron keeps its weights in .w and bias in .b; Layer keeps .neurons; MLP keeps .layers.'))
    return got, expected, text, call


def fail(summary, text, diffs=(), misconception='', hint='', where=''):
    feedback = Feedback(summary, expression=text, diffs=list(diffs), hint=hint)
    raise CheckFailed(name(feedback, misconception, where) if misconception else feedback)


def same_outputs(outputs, got):
    return len(outputs) == len(got) and all(
        len(o) == len(g['values']) and all(map(close, o, g['values'])) for o, g in zip(outputs, got))


def reference_outputs(call, nonlin=True, bias=True, last_linear=False):
    """The reference model's outputs for the call's inputs, optionally with neurons linear or unbiased."""
    model = getattr(ref_nn, call['cls'])(*call['args'], **call['kwargs'])
    set_params(structure(model), [[n[:-1] + [n[-1] if bias else 0.0] for n in layer] for layer in call['params']])
    layers = getattr(model, 'layers', [model])
    for k, layer in enumerate(layers):
        for neuron in getattr(layer, 'neurons', [layer]):
            neuron.nonlin = neuron.nonlin and nonlin and not (last_linear and k == len(layers) - 1)
    outputs = []
    for x in call['inputs']:
        y = model([Value(v) for v in x])
        outputs.append([v.data for v in y] if isinstance(y, list) else [y.data])
    return outputs


def expect_known_mistakes(student, got, expected, text, call):
    """Outputs the reference gives with every bias at 0, or with no tanh, name that mistake."""
    if same_outputs(reference_outputs(call), got['outputs']):
        return
    if same_outputs(reference_outputs(call, bias=False), got['outputs']):
        fail('the neurons\' outputs leave out the bias', text, misconception='neuron_no_bias',
             where=student.locate('nn', 'Neuron.__call__', 'neuron_no_bias'))
    if call['kwargs'].get('nonlin', True) and same_outputs(reference_outputs(call, nonlin=False), got['outputs']):
        fail('the neurons\' outputs are w . x + b, never passed through tanh', text, misconception='neuron_no_tanh',
             where=student.locate('nn', 'Neuron.__call__', 'neuron_no_tanh'))
    if call['cls'] == 'MLP' and same_outputs(reference_outputs(call, last_linear=True), got['outputs']):
        fail('the MLP\'s last layer is linear', text, misconception='mlp_last_layer_linear',
             where=student.locate('nn', 'MLP.__init__', 'mlp_last_layer_linear'))


def expect_outputs(got, expected, text):
    """The outputs match; a one-neuron Layer may give its Value alone or in a one-element list."""
    for x, g, e in zip(INPUTS, got['outputs'], expected['outputs']):
        if g['kind'] != e['kind'] and not (e['kind'] == 'value' and len(g['values']) == 1):
            fail(f'model({x}) returned a single Value, expected a list of Values', text)
        diffs = [NodeDiff(f'out[{k}]', 'data', ev, gv) for k, (ev, gv) in enumerate(zip(e['values'], g['values']))
                 if not close(ev, gv)]
        if len(g['values']) != len(e['values']) or diffs:
            fail(f'model({x}) gives {len(g["values"])} outputs, expected {len(e["values"])}' if not diffs
                 else f'model({x}) gives the wrong output', text, diffs)
    if len(got['outputs']) != len(expected['outputs']):
        fail('the grader could not read your model\'s outputs back', text)


def expect_shape(got, expected, text, field):
    """A grid of grads with exactly the shape of the reference's: no parameter missing, none extra."""
    if [[len(n) for n in layer] for layer in got.get(field, [])] != [[len(n) for n in layer] for layer in expected[field]]:
        fail('the grader could not read your parameters\' grads back', text)


def expect_grid(got, expected, text, field, summary):
    """Every parameter's grad, position by position."""
    expect_shape(got, expected, text, field)
    g, e = got[field], expected[field]
    diffs = [NodeDiff(f'L{i}.N{j}.{"b" if k == len(n) - 1 else f"w{k}"}', 'grad', ev, gv)
             for i, (gl, el) in enumerate(zip(g, e)) for j, (gn, n) in enumerate(zip(gl, el))
             for k, (gv, ev) in enumerate(zip(gn, n)) if not close(ev, gv)]
    if diffs:
        fail(summary, text, diffs[:8])


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
             where=student.locate('nn', 'Neuron.parameters', 'neuron_no_bias') if missing_bias else '')


def expect_model(student, cls, args, kwargs=None):
    """The model's outputs, grads and parameters() match the reference's; a known mistake is named first."""
    got, expected, text, call = compare(student, cls, args, kwargs)
    expect_known_mistakes(student, got, expected, text, call)
    expect_outputs(got, expected, text)
    expect_grid(got, expected, text, 'grads', 'the parameters have the wrong gradients after backward()')
    expect_parameters(student, got, expected, text)


@pytest.mark.parametrize('nonlin', [True, False])
def test_neuron(student, nonlin):
    """a Neuron computes tanh(w . x + b), or w . x + b with nonlin=False"""
    expect_model(student, 'Neuron', [3], None if nonlin else {'nonlin': False})


@pytest.mark.parametrize('nout', [4, 1])
def test_layer(student, nout):
    """a Layer of nout neurons returns their outputs (for one neuron, its Value or a list of one)"""
    expect_model(student, 'Layer', [3, nout])


def test_mlp(student):
    """MLP(3, [4, 4, 1]) has 41 parameters and matches the reference forward and backward"""
    expect_model(student, 'MLP', [3, [4, 4, 1]])


def test_zero_grad(student):
    """zero_grad() sets every parameter's grad back to 0"""
    got, expected, text, _ = compare(student, 'MLP', [3, [4, 1]], zero_grad=True)
    expect_shape(got, expected, text, 'after_zero_grad')
    bad = [g for layer in got['after_zero_grad'] for n in layer for g in n if g != 0 or type(g) not in (int, float)]
    if bad:
        fail(f'after zero_grad(), {len(bad)} parameters still have a grad, e.g. {shown(bad[0])}', text + '\nmodel.zero_grad()',
             hint='for p in self.parameters(): p.grad = 0.0')
