"""Correct submissions written differently from solutions/: each must get full marks where it differs."""
from __future__ import annotations

import ast
import re
import shutil
import textwrap

import pytest

from conftest import ALL_IDS, ROOT, explain, skip_unless_checks
from grader.grading import grade
from mutate import make_submission

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

ENGINE_EXERCISES = ['forward_ops', 'local_backward', 'backward', 'derived_ops']
LABEL_KWARG = re.compile(r"^(\s*)(\w+) = Value\((.+), label='([^']*)'\)$", re.MULTILINE)

ALTERNATIVES = {
    'tanh_composed_from_exp': (['local_backward', 'nn'], [
        (E, TANH, method('''
            def tanh(self):
                # tanh(x) = (1 - e**-2x) / (1 + e**-2x) for x >= 0, and its mirror image below 0: e**-2|x| cannot
                # overflow. The gradient flows back through exp, -, + and /.
                if self.data >= 0:
                    e = (-2 * self).exp()
                    return (1 - e) / (1 + e)
                e = (2 * self).exp()
                return (e - 1) / (e + 1)
        '''))]),

    'tanh_through_math_exp': (['local_backward', 'nn'], [
        (E, 't = math.tanh(self.data)', 'e = math.exp(-2 * abs(self.data))\n        t = math.copysign((1 - e) / (1 + e), self.data)')]),

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

    'prev_is_a_list': (['forward_ops', 'local_backward', 'backward'], [
        (E, 'self._prev = set(_children)', 'self._prev = list(_children)')]),

    'op_is_any_string': (['forward_ops', 'local_backward', 'backward', 'derived_ops'], [
        (E, "(self, other), '+')", "(self, other), 'add')"),
        (E, "(self, other), '*')", "(self, other), '<lambda>')"),
        (E, "(self,), 'tanh')", "(self,))")]),

    'grad_starts_as_int_and_seed_is_int': (ENGINE_EXERCISES + ['nn', 'training'], [
        (E, 'self.grad = 0.0\n', 'self.grad = 0\n'), (E, 'self.grad = 1.0\n', 'self.grad = 1\n'),
        (NN, 'p.grad = 0.0', 'p.grad = 0')]),

    'layer_of_one_returns_a_list': (['nn', 'training'], [
        (NN, 'return outs[0] if len(outs) == 1 else outs', 'return outs'),
        (TRAIN, 'ypred = [model(x) for x in xs]', 'ypred = [model(x)[0] for x in xs]')]),

    'neuron_nonlin_is_keyword_only': (['nn', 'training'], [
        (NN, 'def __init__(self, nin, nonlin=True):', 'def __init__(self, nin, *, nonlin=True):')]),
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


STYLES = {  # tests/styles/<name>: the exercises each style implements
    'repository': ['forward_ops', 'backward', 'derived_ops'],
    'repository_full': ['forward_ops', 'manual_grads', 'local_backward', 'backward', 'derived_ops', 'neuron', 'nn',
                        'training', 'softmax'],
    'eureka': ENGINE_EXERCISES + ['nn', 'training', 'softmax'],
    'lecture': ['forward_ops', 'manual_grads', 'local_backward', 'backward', 'derived_ops', 'neuron', 'nn', 'training',
                'softmax'],
}


@pytest.mark.parametrize('style', list(STYLES))
def test_code_in_the_style_of_public_micrograd_gets_full_marks(tmp_path, style):
    submission = make_submission(tmp_path)
    for path in (ROOT / 'tests' / 'styles' / style).glob('*.py'):
        shutil.copyfile(path, submission / path.name)
    skip_unless_checks(STYLES[style])
    report = grade(submission, STYLES[style])
    assert report.full_marks, explain(report)


def rewrite(folder, name, pattern, replacement):
    path = folder / name
    text, count = re.subn(pattern, replacement, path.read_text(), flags=re.MULTILINE)
    assert count, f'{pattern!r} is not in {name}'
    path.write_text(text)


def test_a_value_without_a_label_argument_gets_full_marks(tmp_path):
    """Value(data, _children=(), _op=''): build_L's given code and the neurons set .label after construction."""
    submission = make_submission(tmp_path, [(E, "_op='', label=''):", "_op=''):"), (E, '        self.label = label\n', '')])
    rewrite(submission, 'neuron.py', LABEL_KWARG.pattern, r"\1\2 = Value(\3); \2.label = '\4'")
    report = grade(submission, ENGINE_EXERCISES + ['manual_grads', 'neuron', 'nn', 'training', 'softmax'])
    assert report.full_marks, explain(report)


def test_values_with_no_labels_and_no_room_for_them_get_full_marks(tmp_path):
    """__slots__ without label, and no labels anywhere: the grader finds the lecture's nodes by where they sit."""
    submission = make_submission(tmp_path, [
        (E, "_op='', label=''):", "_op=''):"), (E, '        self.label = label\n', ''),
        (E, '    def __init__', "    __slots__ = ('data', 'grad', '_backward', '_prev', '_op')\n\n    def __init__")])
    rewrite(submission, 'neuron.py', LABEL_KWARG.pattern, r'\1\2 = Value(\3)')
    for name in ('manual_grads.py', 'neuron.py'):
        rewrite(submission, name, r"; \w+\.label = '[^']*'$", '')
    report = grade(submission, ENGINE_EXERCISES + ['manual_grads', 'neuron', 'nn', 'training', 'softmax'])
    assert report.full_marks, explain(report)
