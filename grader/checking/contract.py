"""What the grader expects of the student's objects, in words: the feedback for a probe that failed
on the student's object (the child's ContractError), and for an import the grading run cannot satisfy."""
from __future__ import annotations

import re
import sys

from grader import catalog

DOCS = 'docs/contract/{}.md'
NEURON = "the grader reads a Neuron's weights from `.w` (a list of Values) and its bias from `.b`"
READS = {  # attribute -> what the grader does with it
    'data': 'the grader reads the number a Value holds from `.data`',
    'grad': 'the grader reads and sets the gradient of a Value through `.grad`',
    '_prev': "the grader walks your graph through each Value's `._prev`, the set, tuple or list of its children",
    '_backward': "the grader calls each Value's `._backward()`, which passes its grad on to its children",
    'backward': 'the grader calls `.backward()` on the output Value',
    'w': NEURON, 'b': NEURON,
    'neurons': "the grader reads a Layer's neurons from `.neurons` (a list of Neurons)",
    'layers': "the grader reads an MLP's layers from `.layers` (a list of Layers)",
    'parameters': 'the grader calls `model.parameters()`, the list of every weight and bias',
    'zero_grad': 'the grader calls `model.zero_grad()` (in the stub, Neuron, Layer and MLP get it from Module)',
    **{op: f'the grader calls `v.{op}()` on a Value' for op in ('exp', 'tanh', 'relu', 'log')},
}
WHERE = {'w': ('nn', 'Neuron.__init__'), 'b': ('nn', 'Neuron.__init__'), 'neurons': ('nn', 'Layer.__init__'),
         'layers': ('nn', 'MLP.__init__')}
METHODS = {'+': ('__add__', '__radd__'), '*': ('__mul__', '__rmul__'), '-': ('__sub__', '__rsub__'),
           '/': ('__truediv__', '__rtruediv__'), '** or pow()': ('__pow__', '__rpow__')}
MISSING = re.compile(r"AttributeError: (?:module '(?:micrograd\.)?(?P<module>\w+)'|type object '(?P<cls>\w+)'|"
                     r"'(?P<type>\w+)' object) has no attribute '(?P<name>\w+)'")
OPERANDS = re.compile(r"unsupported operand type\(s\) for (?P<op>[^:]+): '(?P<left>\w+)' and '(?P<right>\w+)'")
NO_MODULE = re.compile(r"No module named '(?P<name>[\w.]+)'")


def explain(message: str, exercise: str) -> tuple[str, tuple[str, str] | None]:
    """The contract the student's object broke, from the probe's ContractError message, and where to look."""
    found = MISSING.match(message)
    if found and found['module']:
        return (f"the grader calls `{found['name']}` from your {found['module']}.py, which does not define it",
                None)
    if found:
        name, owner = found['name'], found['type'] or found['cls']
        does = READS.get(name, f'the grader uses `.{name}` of a {owner}')
        return f'{does}; your {owner} has no `.{name}`', WHERE.get(name)
    operands = OPERANDS.search(message)
    if operands:
        return _operator(operands['op'], operands['left'], operands['right']), None
    text = message.partition(': ')[2] or message
    if "unexpected keyword argument 'nonlin'" in text:
        return ('the grader builds a linear neuron with `Neuron(nin, nonlin=False)`, as the stub\'s '
                f'`__init__(self, nin, nonlin=True)` says, and Python answered: {text}'), ('nn', 'Neuron.__init__')
    return f"the grader's own call into your code failed, and Python answered: {text}", None


def _operator(op: str, left: str, right: str) -> str:
    method, reflected = METHODS.get(op, ('an operator method', 'a reflected operator method'))
    if left in ('int', 'float'):
        return (f'Python computes `2 {op} v` (a number {op} your {right}) by calling `v.{reflected}(2)`, '
                f'and your {right} has no `{reflected}`')
    return (f'Python computes `a {op} b` (your {left} {op} a {right}) by calling `a.{method}(b)`, and your {left} '
            f'has no `{method}` that accepts a {right}')


def foreign_import(message: str) -> str:
    """The module of a failed import that is neither the standard library nor an exercise file, or ''."""
    found = NO_MODULE.search(message)
    if not found:
        return ''
    top = found['name'].split('.')[0]
    files = {f.rsplit('.', 1)[0] for e in catalog.load() for f in e.files}
    if top in sys.stdlib_module_names or top in files or top == 'micrograd':
        return ''
    return top


def hint(exercise: str) -> str:
    return f'What the grader calls and reads, exercise by exercise: {DOCS.format(exercise)}'
