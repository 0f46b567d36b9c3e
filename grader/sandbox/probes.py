"""What the grader asks student code to compute, with results as plain JSON.

This file runs in the child against the student's modules, and in the parent against the
reference engine, so both sides compute exactly the same thing. Standard library only.
`load(name)` returns the module `name` ('engine', 'nn', 'train', ...).
"""
import math
import random

# A unique number for each live object, as id() gives, but id() raises an audit event on every
# call, and the child's audit hook would then run thousands of times per probe.
ident = object.__hash__
MAX_NODES = 20000  # a graph walk stops here, so a cyclic or runaway graph cannot hang the probe

FUNCTIONS = {  # functions that the derivative exercise is tried on, by name
    'lecture': lambda x: 3*x**2 - 4*x + 5,
    'cube': lambda x: x**3 - 2*x,
    'sin': math.sin,
    'exp': math.exp,
}

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def export(x):
    """A number as itself, anything else as a description the parent will refuse."""
    if type(x) in (int, float):
        return x
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return {'__object__': type(x).__name__, 'note': 'a subclass of a number'}
    return {'__object__': type(x).__name__}


def topo_order(root):
    """Every node reachable through _prev, children before parents, without recursion."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        v, done = stack.pop()
        if done:
            order.append(v)
        elif ident(v) not in seen:
            if len(seen) >= MAX_NODES:
                raise RuntimeError(f'the graph has more than {MAX_NODES} nodes: is _prev building a cycle?')
            seen.add(ident(v))
            stack.append((v, True))
            stack.extend((c, False) for c in v._prev)
    return order


def drive(root):
    """A correct backward pass that calls the student's own _backward closures."""
    order = topo_order(root)
    root.grad = 1.0
    for v in reversed(order):
        v._backward()


def local(node, grad):
    """One application of a node's local backward rule."""
    node.grad = grad
    node._backward()



BINARY = {
    'add': lambda a, b: a + b, 'mul': lambda a, b: a * b, 'sub': lambda a, b: a - b,
    'truediv': lambda a, b: a / b, 'pow': lambda a, b: a ** b,
}
UNARY = {
    'neg': lambda a: -a, 'exp': lambda a: a.exp(), 'tanh': lambda a: a.tanh(),
    'relu': lambda a: a.relu(), 'log': lambda a: a.log(),
}


def traced_backward(root, nodes):
    """The student's backward(), recording which recipe node each _backward call belongs to."""
    index, trace, saved = {ident(n): i for i, n in enumerate(nodes)}, [], []
    for v in topo_order(root):
        def record(v=v, inner=v._backward):
            trace.append(index.get(ident(v), -1))
            return inner()
        saved.append((v, v._backward))
        v._backward = record
    try:
        root.backward()
    finally:
        for v, inner in saved:
            v._backward = inner
    return trace[:MAX_NODES]


STUDENT_HOOKS = {'drive': drive, 'local': local, 'backward': traced_backward}


def expression(args, load, hooks=STUDENT_HOOKS):
    """Build a graph step by step, run backward passes, and report every node and backward trace."""
    Value = load('engine').Value
    nodes, traces = [], []

    def arg(x):
        return x['n'] if isinstance(x, dict) else nodes[x]

    for step in args['steps']:
        kind = step[0]
        if kind == 'leaf':
            nodes.append(Value(step[1], label=step[2]))
        elif kind == 'bin':
            nodes.append(BINARY[step[1]](arg(step[2]), arg(step[3])))
        elif kind == 'un':
            nodes.append(UNARY[step[1]](nodes[step[2]]))
        elif kind == 'sum':
            nodes.append(sum(nodes[i] for i in step[1]))
        elif kind == 'backward':
            traces.append(hooks['backward'](nodes[step[1]], nodes))
        elif kind in ('drive', 'local'):
            hooks[kind](nodes[step[1]], *step[2:])
        elif kind == 'set_grad':
            nodes[step[1]].grad = step[2]
        else:
            raise ValueError(f'unknown step {kind!r}')
    report = {'nodes': [node_report(n, nodes) for n in nodes], 'traces': traces}
    if args.get('walk'):
        for node, label in zip(nodes, args['walk']):
            node.label = label
        report['graph'] = walk(nodes[-1])
    return report


def node_report(v, nodes):
    if not hasattr(v, 'data'):
        return {'object': export(v)}
    ids = {ident(n): i for i, n in enumerate(nodes)}
    prev = [ids.get(ident(c), -1) for c in list(v._prev)[:16]]
    return {'data': export(v.data), 'grad': export(v.grad), 'op': str(v._op)[:40], 'prev': sorted(prev)}


def graph(args, load, hooks=STUDENT_HOOKS):
    """Call a builder such as build_L, optionally run backward(), and report the whole graph."""
    root = getattr(load(args['module']), args['function'])()
    if not hasattr(root, '_prev'):
        return {'root': export(root), 'nodes': []}
    if args.get('backward'):
        root.backward()
    return {'nodes': walk(root)}


def walk(root):
    """The graph as a list of nodes, root first, with children as indexes into the list."""
    order = list(reversed(topo_order(root)))
    index = {ident(v): i for i, v in enumerate(order)}
    return [{'label': str(getattr(v, 'label', ''))[:40], 'data': export(v.data), 'grad': export(v.grad),
             'op': str(getattr(v, '_op', ''))[:40], 'prev': [index[ident(c)] for c in v._prev]} for v in order]


def call(args, load, hooks=STUDENT_HOOKS):
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


def module(args, load, hooks=STUDENT_HOOKS):
    """Build an nn class, set its parameters, run it forward and backward, and report."""
    nn, Value = load('nn'), load('engine').Value
    random.seed(args.get('seed', 0))
    model = getattr(nn, args['cls'])(*args['args'], **args.get('kwargs', {}))
    params = structure(model)
    if args.get('params') is not None:
        for layer, values in zip(params, args['params']):
            for neuron, vs in zip(layer, values):
                for p, v in zip(neuron, vs):
                    p.data = v
    report = {'shape': [[len(n) - 1 for n in layer] for layer in params]}
    position = {ident(p): [i, j, k] for i, layer in enumerate(params) for j, n in enumerate(layer) for k, p in enumerate(n)}
    report['parameters'] = [position.get(ident(p)) for p in list(model.parameters())[:1000]]
    outputs = []
    for x in args.get('inputs', []):
        xv = [Value(v) for v in x]
        y = model(xv)
        outputs.append({'kind': 'list', 'values': [export(v.data) for v in y]} if isinstance(y, list)
                       else {'kind': 'value', 'values': [export(y.data)]})
        (y if not isinstance(y, list) else sum(y)).backward()
    report['outputs'] = outputs
    report['grads'] = [[[export(p.grad) for p in n] for n in layer] for layer in params]
    if args.get('zero_grad'):
        model.zero_grad()
        report['after_zero_grad'] = [[[export(p.grad) for p in n] for n in layer] for layer in params]
    return report


def training(args, load, hooks=STUDENT_HOOKS):
    """Seed, build the lecture's MLP with the student's nn, and run the student's train()."""
    nn, train = load('nn'), load('train')
    random.seed(args['seed'])
    model = nn.MLP(3, [4, 4, 1])
    params = structure(model)
    initial = [[[export(p.data) for p in n] for n in layer] for layer in params]
    losses = train.train(model, [list(x) for x in XS], list(YS), args['steps'], args['lr'])
    return {'initial': initial, 'losses': [export(x) for x in list(losses)[:10000]]}


def loss(args, load, hooks=STUDENT_HOOKS):
    """Call a loss function of the student's (mse_loss, softmax, nll) on fresh Values and backpropagate."""
    Value, fn = load('engine').Value, getattr(load(args['module']), args['function'])
    inputs = [Value(v) for v in args['inputs']]
    out = fn(inputs, *args.get('extra', []))
    if isinstance(out, (list, tuple)):
        return {'values': [export(v.data) for v in out]}
    out.backward()
    return {'values': [export(out.data)], 'grads': [export(v.grad) for v in inputs]}


PROBES = {'expression': expression, 'graph': graph, 'call': call, 'module': module, 'training': training, 'loss': loss}


def run(name, args, load, hooks=STUDENT_HOOKS):
    return PROBES[name](args, load, hooks)


def import_module(args, load, hooks=STUDENT_HOOKS):
    load(args['module'])
    return None


PROBES['import'] = import_module


def locate(args, load, hooks=STUDENT_HOOKS):
    """[file, line] where a function or method of the student's is defined."""
    obj = load(args['module'])
    for part in args['symbol'].split('.'):
        obj = getattr(obj, part)
    code = getattr(obj, '__code__', None) or getattr(getattr(obj, '__init__', None), '__code__', None)
    return [code.co_filename.replace('\\', '/').rsplit('/', 1)[-1], code.co_firstlineno]


PROBES['locate'] = locate
