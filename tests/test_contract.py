"""The written contract (docs/contract/): every exercise has its page, every stub links to it, and when
the grader's own step fails on the student's object, the feedback explains the contract instead of
blaming the student's code."""
from __future__ import annotations

import re

import pytest

from conftest import ALL_IDS, ROOT, explain, result
from grader import catalog
from grader.feedback import render

E, NN, TRAIN = 'engine.py', 'nn.py', 'train.py'
CONTRACT = ROOT / 'docs' / 'contract'


@pytest.mark.counts
@pytest.mark.parametrize('exercise', ALL_IDS)
def test_every_exercise_has_a_contract_page_linked_from_its_stubs(exercise):
    page = CONTRACT / f'{exercise}.md'
    assert page.is_file() and f'({exercise}.md)' in (CONTRACT / 'README.md').read_text()
    for name in catalog.get(exercise).files:
        stub = (ROOT / 'exercises' / name).read_text()
        assert 'docs/contract/' in stub and f'{exercise}.md' in stub, f'exercises/{name} does not link {page.name}'


def failures(report, exercise):
    return [c for c in result(report, exercise).checks if not c.passed]


def line_of(path, needle):
    return next(i + 1 for i, line in enumerate(path.read_text().splitlines()) if needle in line)


def test_a_neuron_without_w_is_told_what_the_grader_reads(grade_patched):
    report = grade_patched([(NN, 'self.w = [', 'self.weights = ['), (NN, 'zip(self.w, x)', 'zip(self.weights, x)'),
                            (NN, 'return self.w + [self.b]', 'return self.weights + [self.b]')], ['nn'])
    failed = failures(report, 'nn')
    assert failed and len(failed) == len(result(report, 'nn').checks), explain(report)
    fb = failed[0].feedback
    assert fb.summary == ("the grader reads a Neuron's weights from `.w` (a list of Values) and its bias from `.b`; "
                          'your Neuron has no `.w`'), fb.summary
    assert fb.where == f"nn.py:{line_of(ROOT / 'solutions' / NN, 'def __init__(self, nin, nonlin=True)')}"
    assert fb.hint.endswith('docs/contract/nn.md') and 'model = Neuron(3)' in fb.expression


def test_a_neuron_without_nonlin_fails_only_the_linear_neuron_and_is_told_why(grade_patched):
    """The lecture's Neuron(nin) has no nonlin: the default case never passes one."""
    report = grade_patched([(NN, 'def __init__(self, nin, nonlin=True):', 'def __init__(self, nin):'),
                            (NN, '        self.nonlin = nonlin\n', '        self.nonlin = True\n'),
                            (NN, 'self.neurons = [Neuron(nin, **kwargs)', 'self.neurons = [Neuron(nin)')], ['nn'])
    failed = failures(report, 'nn')
    assert [c.name for c in failed] == ['a Neuron computes tanh(w . x + b), or w . x + b with nonlin=False'], explain(report)
    fb = failed[0].feedback
    assert 'the grader builds a linear neuron with `Neuron(nin, nonlin=False)`' in fb.summary
    assert "unexpected keyword argument 'nonlin'" in fb.summary and 'your code raised' not in fb.summary


def test_an_engine_without_tanh_is_told_which_method_the_grader_calls(grade_patched):
    tanh = (ROOT / 'solutions' / E).read_text()
    start, end = tanh.index('    def tanh(self):'), tanh.index('    def backward(self):')
    report = grade_patched([(E, tanh[start:end], '')], ['local_backward', 'backward'])
    assert result(report, 'backward').passed, 'backward is graded without tanh'
    tanh_checks = [c for c in failures(report, 'local_backward') if 'tanh' in c.name]
    assert tanh_checks, explain(report)
    assert tanh_checks[0].feedback.summary == 'the grader calls `v.tanh()` on a Value; your Value has no `.tanh`'


def test_a_missing_reflected_op_is_explained_in_pythons_terms(grade_patched):
    rsub = (ROOT / 'solutions' / E).read_text()
    start = rsub.index('    def __rsub__(self, other):')
    end = rsub.index('    def __truediv__(self, other):')
    report = grade_patched([(E, rsub[start:end], '')], ['derived_ops'])
    summaries = {c.feedback.summary for c in failures(report, 'derived_ops')}
    assert ('Python computes `2 - v` (a number - your Value) by calling `v.__rsub__(2)`, and your Value has no '
            '`__rsub__`') in summaries, explain(report)


def test_a_missing_function_and_a_missing_prev_are_explained(grade_patched):
    report = grade_patched([(TRAIN, 'def train(', 'def fit(')], ['training'])
    fb = next(c.feedback for c in failures(report, 'training') if 'lecture' in c.name)
    assert fb.summary == 'the grader calls `train` from your train.py, which does not define it', fb.summary
    report = grade_patched([(E, 'self._prev = set(_children)', 'self.children = set(_children)')], ['forward_ops'])
    fb = failures(report, 'forward_ops')[0].feedback
    assert fb.summary.startswith("the grader walks your graph through each Value's `._prev`"), fb.summary
    assert fb.summary.endswith('your Value has no `._prev`') and fb.kind == 'error'


@pytest.mark.parametrize('line, module', [('import numpy as np', 'numpy'), ('from utils import draw_dot', 'utils')])
def test_an_import_beyond_the_standard_library_names_the_rule(grade_patched, line, module):
    report = grade_patched([(E, 'import math\n', f'import math\n{line}\n')], ['forward_ops'])
    fb = failures(report, 'forward_ops')[0].feedback
    assert fb.misconception == 'non_stdlib_import' and fb.where == 'engine.py:2', explain(report)
    assert fb.summary == f'engine.py:2 imports {module}, which is not available while grading'
    shown = ' '.join(' '.join(render.feedback_text(fb)).split())
    assert "only Python's standard library" in shown and 'No module named' not in shown


def test_no_contract_message_blames_the_students_code():
    from grader.checking.contract import explain as contract
    for message in ("AttributeError: 'Neuron' object has no attribute 'w'", "TypeError: 'set' object is not callable",
                    "TypeError: unsupported operand type(s) for +: 'Value' and 'Value'",
                    "AttributeError: module 'micrograd.train' has no attribute 'train'"):
        summary = contract(message, 'nn')[0]
        assert 'your code raised' not in summary and re.match(r'(the grader|Python computes)', summary), summary
