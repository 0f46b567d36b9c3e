"""Notebooks as learners write them: no tags, set-up cells, a class written twice, imports between files."""
from pathlib import Path

import nbformat
import pytest

from grader.notebook import submission_from_notebook
from grader.notebook.grading import grade_notebook
from lecture_shaped import (DATA, EXERCISES, FIRST_VALUE, MANUAL, NEURON, NN, SOFTMAX, TOPO, TRAIN, VALUE, lecture_notebook,
                            number, save)

ROOT = Path(__file__).resolve().parent.parent


def statuses(graded) -> dict[str, str]:
    return {e.id: e.status for e in graded.report.exercises}


@pytest.mark.counts
def test_a_lecture_shaped_notebook_gets_full_marks_and_says_how_it_was_read(tmp_path):
    nb = lecture_notebook()
    graded = grade_notebook(save(nb, tmp_path), EXERCISES)
    assert graded.report.full_marks and [e.id for e in graded.report.exercises] == EXERCISES, statuses(graded)
    first, last, setup, topo = (number(nb, s) for s in (FIRST_VALUE, VALUE, nb.cells[1].source, TOPO))
    assert graded.problems == [
        f'Value is defined in cells {first} and {last}: graded the last, as running the notebook from the top does',
        'cells recognised by what they define: derivatives.py is cell 4, engine.py is cell 9, manual_grads.py is '
        'cell 7, neuron.py is cell 10, nn.py is cell 11, train.py is cell 13, quiz.toml is cell 14, softmax.py is cell 15',
        f'engine.py uses names from other cells: carried along `import math` (cell {setup}), `def topo_order` (cell {topo})',
        f'nn.py uses names from other cells: carried along `import random` (cell {setup})',
        'manual_grads.py, neuron.py, nn.py use names of other cells without importing them: '
        'added `from engine import Value`']


def test_without_the_set_up_cell_math_is_missing_where_it_is_used(tmp_path):
    graded = grade_notebook(save(lecture_notebook(setup=None), tmp_path), ['local_backward'])
    failures = [c.feedback for c in graded.report.exercises[0].checks if not c.passed]
    missing = [f for f in failures if f.summary == "your code raised NameError: name 'math' is not defined"]
    lines = {f'engine.py:{i}' for i, line in enumerate(VALUE.splitlines(), 1) if 'math.exp' in line or 'math.tanh' in line}
    assert missing and {f.where for f in missing} == lines, 'lines of the Value cell, whatever was added above'


def test_the_graded_files_carry_what_they_use_and_leave_display_lines_out(tmp_path):
    sub = submission_from_notebook(save(lecture_notebook(), tmp_path), tmp_path / 'sub')
    engine = (sub.folder / 'engine.py').read_text()
    assert engine.startswith('import math\ndef topo_order(root):\n') and engine.count('class Value') == 1
    assert 'from graphviz' not in engine and 'Digraph' not in (sub.folder / 'manual_grads.py').read_text()
    manual = (sub.folder / 'manual_grads.py').read_text().splitlines()
    assert manual[0] == 'from engine import Value' and manual[-1] == '# draw_dot(build_L())'
    neuron = (sub.folder / 'neuron.py').read_text().splitlines()
    assert neuron[-3:] == ['o = build_neuron()', '# o.backward()', '# draw_dot(o)']
    assert sub.texts['manual_grads.py'].origins[:2] == [None, (7, 1)]


def test_the_last_of_two_value_cells_is_graded_as_the_kernel_would(tmp_path):
    swapped = lecture_notebook(first_value=VALUE, value=FIRST_VALUE)  # the complete class first, then the early one
    graded = grade_notebook(save(swapped, tmp_path), ['forward_ops', 'local_backward'])
    # the early Value has no tanh, exp or **: local_backward fails on its own, not only through forward_ops
    assert statuses(graded) == {'forward_ops': 'failed', 'local_backward': 'failed'}
    assert 'Value is defined in cells 5 and 9: graded the last' in graded.problems[0]


def test_a_complete_value_pasted_below_the_tagged_stub_wins(tmp_path):
    from grader.notebook import build_notebook
    nb = nbformat.read(build_notebook(ROOT / 'exercises', tmp_path / 'stubs.ipynb'), as_version=4)
    engine = next(i for i, c in enumerate(nb.cells) if 'file:engine.py' in c.metadata.get('tags', []))
    nb.cells.insert(engine + 1, nbformat.v4.new_code_cell(TOPO + '\n\n' + VALUE))
    graded = grade_notebook(save(nb, tmp_path, 'pasted.ipynb'), ['forward_ops', 'local_backward', 'backward'])
    assert statuses(graded) == {'forward_ops': 'passed', 'local_backward': 'passed', 'backward': 'passed'}
    assert f'Value is defined in cells {engine + 1} and {engine + 2}: graded the last' in graded.problems[0]
    assert f'the engine.py cell has lost its tag file:engine.py: recognised cell {engine + 2}' in graded.problems[1]


@pytest.mark.parametrize('line', ['from engine import Value', 'from micrograd.engine import Value'])
def test_an_uncommented_import_between_files_works(tmp_path, line):
    nb = lecture_notebook(nn=f'{line}\n{NN}', softmax=f'{line}\n{SOFTMAX}', value=f'{line}\n{VALUE}')
    graded = grade_notebook(save(nb, tmp_path), ['nn', 'softmax', 'derived_ops'])
    assert graded.report.full_marks, statuses(graded)
    sub = submission_from_notebook(save(nb, tmp_path), tmp_path / 'sub')
    assert (sub.folder / 'nn.py').read_text().startswith('import random\nfrom engine import Value\n')
    assert (sub.folder / 'engine.py').read_text().count('# from engine import Value') == 1, 'no import of itself'


def test_a_helper_that_needs_the_files_own_class_goes_below_it(tmp_path):
    helper = 'minus_one = Value(-1.0)'  # above the final Value cell, it makes a Value of the first class
    value = VALUE.replace('return self * -1', 'return self * minus_one')
    nb = lecture_notebook(topo=TOPO + '\n' + helper, value=value)
    sub = submission_from_notebook(save(nb, tmp_path), tmp_path / 'sub')
    engine = (sub.folder / 'engine.py').read_text().splitlines()
    assert engine[-1] == helper and engine.index(helper) > engine.index('class Value:')
    assert '`minus_one = ...` (cell 8)' in '\n'.join(sub.problems)
    graded = grade_notebook(save(nb, tmp_path), ['derived_ops'])
    assert graded.report.full_marks, statuses(graded)


def test_a_carried_default_and_a_model_defined_with_the_data(tmp_path):
    data = DATA + '\nlearning_rate = 0.05'
    train = TRAIN.replace('lr=0.05', 'lr=learning_rate').replace('return losses', 'n.parameters()\n  return losses')
    nb = lecture_notebook(data=data, train=train)
    sub = submission_from_notebook(save(nb, tmp_path), tmp_path / 'sub')
    text = (sub.folder / 'train.py').read_text()
    assert text.startswith('from nn import MLP\nn = MLP(3, [4, 4, 1])\nlearning_rate = 0.05\n'), text[:200]
    assert grade_notebook(save(nb, tmp_path), ['training']).report.full_marks


def test_an_error_in_a_carried_helper_points_at_its_own_cell(tmp_path):
    broken = TOPO.replace('topo.append(v)', 'topo.append(v.nope)')
    nb = lecture_notebook(topo=broken)
    graded = grade_notebook(save(nb, tmp_path), ['backward'])
    fb = graded.report.exercises[0].first_failure.feedback
    line = broken.splitlines().index('      topo.append(v.nope)') + 1
    assert fb.where == f'cell {number(nb, broken)}, line {line}', fb


def test_a_value_cell_with_a_syntax_error_is_still_recognised(tmp_path):
    broken = VALUE.replace('def exp(self):', 'def exp(self)')
    nb = lecture_notebook(value=broken)
    graded = grade_notebook(save(nb, tmp_path), ['forward_ops'])
    fb = graded.report.exercises[0].first_failure.feedback
    line = broken.splitlines().index('  def exp(self)') + 1
    assert fb.kind == 'syntax' and fb.where == f'engine.py:{line}' and f'engine.py:{line}' in fb.summary, fb


def test_manual_grads_cell_without_draw_dot_defined_still_grades(tmp_path):
    nb = lecture_notebook(draw_dot=None)
    graded = grade_notebook(save(nb, tmp_path), ['manual_grads'])
    assert graded.report.full_marks and MANUAL.endswith('draw_dot(build_L())')


def test_a_method_added_to_value_in_a_later_cell_counts(tmp_path):
    value = VALUE.replace('  def relu(self):', '  def relu_later(self):')
    patch = 'def relu(self):\n  out = Value(max(self.data, 0.0), (self,), "ReLU")\n' \
            '  def _backward():\n    self.grad += (out.data > 0) * out.grad\n  out._backward = _backward\n' \
            '  return out\n\nValue.relu = relu'
    nb = lecture_notebook(value=value, neuron=patch + '\n\n' + NEURON)
    graded = grade_notebook(save(nb, tmp_path), ['derived_ops'])
    assert graded.report.full_marks, statuses(graded)
    cell = number(nb, patch + '\n\n' + NEURON)
    assert (f'cell {cell} adds to Value after it is defined: graded as part of engine.py, as running the notebook '
            'from the top does') in graded.problems
