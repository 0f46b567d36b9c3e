"""What the grader asks student code to compute, with results as plain JSON.

This file runs in the child against the student's modules, and in the parent against the
reference engine, so both sides compute exactly the same thing. Standard library only.
`load(name)` returns the module `name` ('engine', 'nn', 'train', ...). The probes of Value graphs
live here; those that call the student's functions and nn classes live in probe_functions.py.
"""
import os

if __package__:  # the parent, where this file is part of the grader package
    from grader.sandbox import probe_functions as functions
else:  # the child has no grader package: it loads the file beside this one by its path
    import importlib.util
    _spec = importlib.util.spec_from_file_location(
        'grader_probe_functions', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'probe_functions.py'))
    functions = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(functions)

# A unique number for each live object, as id() gives, but id() raises an audit event on every
# call, and the child's audit hook would then run thousands of times per probe.
ident = object.__hash__
MAX_NODES = 20000  # a graph walk stops here, so a cyclic or runaway graph cannot hang the probe
OWN_FILES = {os.path.abspath(__file__), os.path.abspath(functions.__file__)}
export = functions.export


class ContractError(Exception):
    """The grader's own step failed on the student's object: it lacks what the contract promises."""


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
            nodes.append(Value(step[1]))  # no label argument: the contract leaves it optional
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
        names = {ident(node): label for node, label in zip(nodes, args['walk'])}
        report['graph'] = walk(nodes[-1], names)
    return report


def node_report(v, nodes):
    if not hasattr(v, 'data'):
        return {'object': export(v)}
    ids = {ident(n): i for i, n in enumerate(nodes)}
    prev = [ids.get(ident(c), -1) for c in list(v._prev)[:16]]
    return {'data': export(v.data), 'grad': export(v.grad), 'op': str(getattr(v, '_op', ''))[:40], 'prev': sorted(prev)}


def graph(args, load, hooks=STUDENT_HOOKS):
    """Call a builder such as build_L, optionally run backward(), and report the whole graph."""
    root = getattr(load(args['module']), args['function'])()
    if not hasattr(root, '_prev'):
        return {'root': export(root), 'nodes': []}
    if args.get('backward'):
        root.backward()
    return {'nodes': walk(root)}


def walk(root, names=None):
    """The graph as a list of nodes, root first, with children as indexes into the list.

    A node's label is its name in `names` (by ident) if given, else its own `label`, if it has one."""
    order = list(reversed(topo_order(root)))
    index = {ident(v): i for i, v in enumerate(order)}
    return [{'label': str(names.get(ident(v), '') if names is not None else getattr(v, 'label', ''))[:40],
             'data': export(v.data), 'grad': export(v.grad), 'op': str(getattr(v, '_op', ''))[:40],
             'prev': [index[ident(c)] for c in v._prev]} for v in order]


PROBES = {'expression': expression, 'graph': graph, **functions.PROBES}


def run(name, args, load, hooks=STUDENT_HOOKS):
    """Run one probe; a grader step that fails on the student's object raises ContractError."""
    try:
        return PROBES[name](args, load, hooks)
    except (AttributeError, TypeError) as exc:
        if not raised_here(exc):
            raise  # the student's own code raised it
        raise ContractError(f'{type(exc).__name__}: {exc}') from None


def raised_here(exc):
    """Whether the innermost frame of the exception is in the probes' own files, not in student code."""
    tb = exc.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    return os.path.abspath(tb.tb_frame.f_code.co_filename) in OWN_FILES
