"""Correct submissions written differently from solutions/: each must get full marks where it differs."""
from __future__ import annotations

import ast
import textwrap

import pytest

from conftest import ALL_IDS, ROOT, explain

E, NN, TRAIN = 'engine.py', 'nn.py', 'train.py'


def solution(file: str, symbol: str) -> str:
    """The source of one function or Class.method in solutions/, with its solution markers."""
    text = (ROOT / 'solutions' / file).read_text()
    lines = text.splitlines(keepends=True)
    nodes = ast.parse(text).body
    for part in symbol.split('.'):
        node = next(n for n in nodes if getattr(n, 'name', None) == part)
        nodes = node.body
    end = node.end_lineno
    while end < len(lines) and lines[end].strip().startswith('#'):
        end += 1  # the END SOLUTION marker after the last statement
    return ''.join(lines[node.lineno - 1:end])


def method(text: str) -> str:
    """A method's source, written flush left here, indented as in the class body."""
    return textwrap.indent(textwrap.dedent(text).strip('\n') + '\n', '    ')


TANH = solution(E, 'Value.tanh')

BACKWARD = solution(E, 'Value.backward')

SUB = solution(E, 'Value.__sub__')

TRUEDIV = solution(E, 'Value.__truediv__')

NEURON_CALL = solution(NN, 'Neuron.__call__')

MSE = solution(TRAIN, 'mse_loss')

ALTERNATIVES = {
    'tanh_composed_from_exp': (['local_backward', 'nn'], [
        (E, TANH, method('''
            def tanh(self):
                # tanh(x) = (e**2x - 1) / (e**2x + 1); the gradient flows back through exp, -, + and /
                return ((2*self).exp() - 1) / ((2*self).exp() + 1)
        '''))]),

    'sub_and_truediv_with_own_backward': (['derived_ops', 'neuron', 'softmax'], [
        (E, SUB, method('''
            def __sub__(self, other): # self - other
                other = other if isinstance(other, Value) else Value(other)
                out = Value(self.data - other.data, (self, other), '-')

                def _backward():
                    self.grad += out.grad
                    other.grad -= out.grad
                out._backward = _backward

                return out
        ''')),
        (E, TRUEDIV, method('''
            def __truediv__(self, other): # self / other
                other = other if isinstance(other, Value) else Value(other)
                out = Value(self.data / other.data, (self, other), '/')

                def _backward():
                    self.grad += out.grad / other.data
                    other.grad += -self.data / other.data**2 * out.grad
                out._backward = _backward

                return out
        '''))]),

    'iterative_topo_sort': (['backward'], [
        (E, BACKWARD, method('''
            def backward(self):
                # an explicit stack instead of recursion: (node, its children are already in topo)
                topo, visited, stack = [], set(), [(self, False)]
                while stack:
                    v, expanded = stack.pop()
                    if expanded:
                        topo.append(v)
                    elif v not in visited:
                        visited.add(v)
                        stack.append((v, True))
                        for child in v._prev:
                            if child not in visited:
                                stack.append((child, False))
                self.grad = 1.0
                for v in reversed(topo):
                    v._backward()
        '''))]),

    'kahn_algorithm': (['backward'], [
        (E, BACKWARD, method('''
            def backward(self):
                # Kahn's algorithm: a node is ready once every node that uses it has passed its grad down
                users, seen, stack = {}, {self}, [self]
                while stack:
                    v = stack.pop()
                    for child in v._prev:
                        users[child] = users.get(child, 0) + 1
                        if child not in seen:
                            seen.add(child)
                            stack.append(child)
                self.grad = 1.0
                ready = [self]
                while ready:
                    v = ready.pop(0)
                    v._backward()
                    for child in v._prev:
                        users[child] -= 1
                        if users[child] == 0:
                            ready.append(child)
        '''))]),

    'prev_is_a_tuple': (['forward_ops', 'local_backward', 'backward'], [
        (E, 'self._prev = set(_children)', 'self._prev = tuple(_children)')]),

    'parameters_in_reverse_order': (['nn', 'training'], [
        (NN, 'return self.w + [self.b]', 'return [self.b] + self.w[::-1]'),
        (NN, 'return [p for layer in self.layers for p in layer.parameters()]',
         'return [p for layer in reversed(self.layers) for p in reversed(layer.parameters())]')]),

    'extra_sigmoid_op': (None, [
        (E, TANH, TANH + '\n' + method('''
            def sigmoid(self):
                s = 1 / (1 + math.exp(-self.data))
                out = Value(s, (self,), 'sigmoid')

                def _backward():
                    self.grad += s * (1 - s) * out.grad
                out._backward = _backward

                return out
        '''))]),

    'mse_loss_as_a_loop': (['training'], [
        (TRAIN, MSE, textwrap.dedent('''\
            def mse_loss(ypred, ys):
                loss = 0
                for ygt, yout in zip(ys, ypred):
                    loss = loss + (yout - ygt)**2
                return loss
        '''))]),

    'neuron_sum_as_a_loop': (['nn', 'training'], [
        (NN, NEURON_CALL, method('''
            def __call__(self, x):
                act = 0
                for wi, xi in zip(self.w, x):
                    act += wi * xi
                act = act + self.b
                return act.tanh() if self.nonlin else act
        '''))]),
}


@pytest.mark.parametrize('exercise_ids,patches', list(ALTERNATIVES.values()), ids=list(ALTERNATIVES))
def test_alternative_gets_full_marks(grade_patched, exercise_ids, patches):
    report = grade_patched(patches, exercise_ids)
    assert [e.id for e in report.exercises] == (exercise_ids or ALL_IDS)
    assert report.full_marks, explain(report)


@pytest.mark.parametrize('style', ['from engine import Value', 'from micrograd.engine import Value',
                                   'from .engine import Value'], ids=['plain', 'package', 'relative'])
def test_nn_import_styles(grade_patched, style):
    """All three ways of importing Value in nn.py resolve to the student's engine (see also test_mistakes)."""
    patches = [] if style == 'from engine import Value' else [(NN, 'from engine import Value', style)]
    report = grade_patched(patches, ['nn'])
    assert report.full_marks, explain(report)


def test_the_solutions_get_full_marks(grade_patched):
    report = grade_patched([], None)
    assert [e.id for e in report.exercises] == ALL_IDS
    assert report.full_marks, explain(report)
