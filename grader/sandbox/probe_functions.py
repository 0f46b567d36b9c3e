"""The probes that call the student's own functions and nn classes, and `export`, which every probe uses.

Like probes.py, this file runs in the child and in the parent, with the standard library only.
"""
import math
import random
import re

FUNCTIONS = {  # functions that the derivative exercise is tried on, by name
    'lecture': lambda x: 3*x**2 - 4*x + 5,
    'cube': lambda x: x**3 - 2*x,
    'sin': math.sin,
    'exp': math.exp,
}

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]
ident = object.__hash__  # as in probes.py: id() would raise an audit event on every call


def export(x):
    """A number as itself, anything else as a description the parent will refuse."""
    if type(x) in (int, float):
        return x
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return {'__object__': type(x).__name__, 'note': 'a subclass of a number'}
    return {'__object__': type(x).__name__}


def call(args, load, hooks=None):
    """Call a plain function of the student's, such as numerical_derivative(f, x, h)."""
    fn = getattr(load(args['module']), args['function'])
    values = [FUNCTIONS[a['f']] if isinstance(a, dict) else a for a in args['args']]
    return export(fn(*values))


def structure(model):
    """A model's parameters by position: [[neuron, ...] for each layer], each neuron [w..., b]."""
    layers = model.layers if hasattr(model, 'layers') else [model] if hasattr(model, 'neurons') else [[model]]
    out = []
    for layer in layers:
        neurons = layer.neurons if hasattr(layer, 'neurons') else layer
        out.append([list(n.w) + [n.b] for n in neurons])
    return out


def shape_of(params):
    """The number of inputs of each neuron, layer by layer."""
    return [[len(n) - 1 for n in layer] for layer in params]


def set_params(params, values):
    """Give every parameter the value at its position; the shapes have been compared already."""
    for layer, layer_values in zip(params, values):
        for neuron, neuron_values in zip(layer, layer_values):
            for p, v in zip(neuron, neuron_values):
                p.data = v


def grid(params, field):
    return [[[export(getattr(p, field)) for p in n] for n in layer] for layer in params]


def module(args, load, hooks=None):
    """Build an nn class, set its parameters, run it forward and backward, and report."""
    nn, Value = load('nn'), load('engine').Value
    random.seed(args.get('seed', 0))
    model = getattr(nn, args['cls'])(*args['args'], **args.get('kwargs', {}))
    params = structure(model)
    report = {'shape': shape_of(params)}
    if args.get('params') is not None:
        if report['shape'] != shape_of(args['params']):
            return dict(report, parameters=[], outputs=[], grads=[])
        set_params(params, args['params'])
    position = {ident(p): [i, j, k] for i, layer in enumerate(params) for j, n in enumerate(layer) for k, p in enumerate(n)}
    report['parameters'] = [position.get(ident(p)) for p in list(model.parameters())[:1000]]
    outputs = []
    for x in args.get('inputs', []):
        y = model([Value(v) for v in x])
        if isinstance(y, (list, tuple)):
            outputs.append({'kind': 'list', 'values': [export(v.data) for v in y]})
            y = y[0] if len(y) == 1 else sum(y)
        else:
            outputs.append({'kind': 'value', 'values': [export(y.data)]})
        y.backward()
    report['outputs'] = outputs
    report['grads'] = grid(params, 'grad')
    if args.get('zero_grad'):
        model.zero_grad()
        report['after_zero_grad'] = grid(params, 'grad')
    return report


def training(args, load, hooks=None):
    """The lecture's MLP from the student's nn, given the grader's starting weights, trained by the student's train()."""
    nn, train = load('nn'), load('train')
    random.seed(0)
    model = nn.MLP(3, [4, 4, 1])
    params = structure(model)
    shape = shape_of(params)
    if shape != shape_of(args['params']):
        return {'shape': shape, 'losses': [], 'params': []}
    set_params(params, args['params'])
    losses = train.train(model, [list(x) for x in XS], list(YS), args['steps'], args['lr'])
    losses = [export(x) for x in list(losses)[:10000]] if isinstance(losses, (list, tuple)) else export(losses)
    return {'shape': shape, 'losses': losses, 'params': grid(params, 'data')}


def loss(args, load, hooks=None):
    """Call a loss function of the student's (mse_loss, softmax, nll) on fresh Values and backpropagate."""
    Value, fn = load('engine').Value, getattr(load(args['module']), args['function'])
    inputs = [Value(v) for v in args['inputs']]
    out = fn(inputs, *args.get('extra', []))
    if isinstance(out, (list, tuple)):
        return {'values': [export(v.data) for v in out]}
    out.backward()
    return {'values': [export(out.data)], 'grads': [export(v.grad) for v in inputs]}


def import_module(args, load, hooks=None):
    load(args['module'])
    return None


def locate(args, load, hooks=None):
    """[file, line of the definition, first line of its body that matches `pattern` (0 if none or not asked)]."""
    obj = load(args['module'])
    for part in args['symbol'].split('.'):
        obj = getattr(obj, part)
    code = getattr(obj, '__code__', None) or getattr(getattr(obj, '__init__', None), '__code__', None)
    line = matching_line(code, args['pattern']) if args.get('pattern') else 0
    return [code.co_filename.replace('\\', '/').rsplit('/', 1)[-1], code.co_firstlineno, line]


def matching_line(code, pattern):
    """The first line of a function's source, closures included, where `pattern` matches; 0 if none does."""
    lines, stack = set(), [code]
    while stack:
        c = stack.pop()
        lines.update(n for _, _, n in c.co_lines() if n)
        stack.extend(k for k in c.co_consts if hasattr(k, 'co_lines'))
    try:
        with open(code.co_filename, encoding='utf-8') as f:
            source = f.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    found = re.compile(pattern)
    for n in range(code.co_firstlineno + 1, min(max(lines, default=0), len(source)) + 1):
        if found.search(source[n - 1].split('#', 1)[0]):
            return n
    return 0


PROBES = {'call': call, 'module': module, 'training': training, 'loss': loss, 'import': import_module, 'locate': locate}
