"""list, hint, graph and reset on a notebook, as on a folder of files."""
import json
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from grader import catalog
from grader.cli import main
from grader.notebook import build_notebook
from grader.notebook.grading import grade_notebook
from grader.scoring import shown
from lecture_shaped import FIRST_VALUE, SETUP, VALUE, lecture_notebook, number, save

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def solved(tmp_path, name='micrograd.ipynb') -> Path:
    return build_notebook(ROOT / 'solutions', tmp_path / name)


def by_tag(nb, tag):
    return next(c for c in nb.cells if tag in c.metadata.get('tags', []))


@pytest.mark.counts
def test_list_on_a_notebook(tmp_path):
    nb = nbformat.read(solved(tmp_path), as_version=4)
    nb.cells = [c for c in nb.cells if 'file:softmax.py' not in c.metadata.get('tags', [])]
    result = run('list', '--notebook', save(nb, tmp_path, 'nb.ipynb'))
    # softmax's Value.log lives in engine.py's cell, so one of softmax's three checks still passes
    full, softmax = sum(e.points for e in catalog.load()), catalog.get('softmax').points
    total = f'Total: {shown(full - softmax + round(softmax / 3, 2))}/{shown(full)}'
    assert result.exit_code == 0 and total in result.stdout and 'Next: softmax' in result.stdout, result.stdout
    assert 'no cell holds softmax.py' in result.stderr


def test_hint_on_a_notebook_is_for_its_first_failing_exercise(tmp_path, monkeypatch):
    monkeypatch.setenv('GRADE_STATE_DIR', str(tmp_path / 'state'))
    nb = nbformat.read(solved(tmp_path), as_version=4)
    train = by_tag(nb, 'file:train.py')
    train.source = train.source.replace('p.data += -lr * p.grad', 'p.data += lr * p.grad')
    result = run('hint', '--notebook', save(nb, tmp_path, 'nb.ipynb'))
    assert result.exit_code == 0 and result.stdout.startswith("training: Training on the lecture's data\n  Hint 1/")
    assert result.stderr == '', 'a hint needs no notes on how the notebook was read'


def test_graph_of_a_notebook(tmp_path):
    nb = nbformat.read(solved(tmp_path), as_version=4)
    engine = by_tag(nb, 'file:engine.py')
    engine.source = engine.source.replace('self.grad += (1 - t**2) * out.grad', 'self.grad += (1 - self.data**2) * out.grad')
    out = tmp_path / 'tanh.dot'
    result = run('graph', 'local_backward', '--notebook', save(nb, tmp_path, 'nb.ipynb'), '--out', out)
    assert result.exit_code == 0 and 'Nodes that differ from the reference: a.' in result.stderr
    assert [line for line in out.read_text().splitlines() if '{ a |' in line and '#ffd6d6' in line]
    lecture = run('graph', '--notebook', tmp_path / 'nb.ipynb', '--out', tmp_path / 'L.dot')
    assert lecture.exit_code == 0 and 'grad -4.0000' in (tmp_path / 'L.dot').read_text()


def test_reset_puts_back_one_exercises_stubs_and_keeps_a_backup(tmp_path):
    path = solved(tmp_path)
    nb = nbformat.read(path, as_version=4)
    engine = by_tag(nb, 'file:engine.py')
    engine.source = '%load_ext autoreload\n' + engine.source  # a magic stays where it was
    nbformat.write(nb, path)
    before = path.read_bytes()
    result = run('reset', 'forward_ops', '--notebook', path)
    assert result.exit_code == 0, result.output
    number = nb.cells.index(engine) + 1
    assert (f'Put back the stub of forward_ops in cell {number} of {path} (engine.py): Value.__add__, Value.__mul__'
            in result.output)
    assert 'This also resets your work on local_backward in Value.__add__, Value.__mul__' in result.output
    backups = list((tmp_path / '.backups').iterdir())
    assert len(backups) == 1 and backups[0].read_bytes() == before and str(backups[0]) in result.output
    after = nbformat.read(path, as_version=4)
    new = by_tag(after, 'file:engine.py').source
    assert new.startswith('%load_ext autoreload\nimport math\n') and 'raise NotImplementedError("forward_ops: Value.__add__")' in new
    assert '        t = math.tanh(self.data)\n' in new, 'the other exercises keep their code'
    changed = [i for i, (a, b) in enumerate(zip(nb.cells, after.cells)) if a.source != b.source]
    assert changed == [number - 1], 'only the engine cell changes'
    status = {e.id: e.status for e in grade_notebook(path, ['forward_ops', 'derivatives', 'derived_ops']).report.exercises}
    assert status == {'forward_ops': 'not_implemented', 'derivatives': 'passed', 'derived_ops': 'blocked'}


def test_reset_of_cells_that_hold_the_stub_already_writes_nothing(tmp_path):
    path = build_notebook(ROOT / 'exercises', tmp_path / 'micrograd.ipynb')
    before = path.read_bytes()
    result = run('reset', 'forward_ops', '--notebook', path)
    assert result.exit_code == 0 and 'holds the stub of forward_ops already (Value.__add__, Value.__mul__): nothing to put back' in result.output
    assert 'saved as' not in result.output and 'reload' not in result.output, result.output
    assert path.read_bytes() == before and not (tmp_path / '.backups').exists()


def test_reset_in_a_lecture_shaped_notebook_changes_the_last_value_cell(tmp_path):
    nb = lecture_notebook()
    path = save(nb, tmp_path)
    result = run('reset', 'backward', '--notebook', path)
    assert result.exit_code == 0 and f'in cell {number(nb, VALUE)} of' in result.output, result.output
    after = nbformat.read(path, as_version=4)
    assert after.cells[number(nb, FIRST_VALUE) - 1].source == FIRST_VALUE
    assert after.cells[number(nb, SETUP) - 1].source == SETUP
    value = after.cells[number(nb, VALUE) - 1].source
    assert 'raise NotImplementedError("backward: Value.backward")' in value and 'topo_order(self)' not in value
    assert '  def tanh(self):\n    t = math.tanh(self.data)' in value, 'the rest keeps its two-space indents'


def test_reset_of_a_cell_with_a_syntax_error_changes_nothing(tmp_path):
    nb = nbformat.read(solved(tmp_path), as_version=4)
    engine = by_tag(nb, 'file:engine.py')
    engine.source = engine.source.replace('def exp(self):', 'def exp(self)')
    path = save(nb, tmp_path, 'nb.ipynb')
    before = path.read_bytes()
    result = run('reset', 'backward', '--notebook', path)
    number = nb.cells.index(engine) + 1
    assert result.exit_code == 1 and f'your engine.py cell (cell {number}) has a syntax error at line' in result.output
    assert 'Nothing was changed.' in result.output
    assert path.read_bytes() == before and not (tmp_path / '.backups').exists()


def test_reset_adds_a_cell_for_a_file_no_cell_holds_and_replaces_a_data_cell_whole(tmp_path):
    nb = nbformat.read(solved(tmp_path), as_version=4)
    nb.cells = [c for c in nb.cells if 'file:softmax.py' not in c.metadata.get('tags', [])]
    path = save(nb, tmp_path, 'nb.ipynb')
    result = run('reset', 'softmax', '--notebook', path)
    assert result.exit_code == 0 and 'No cell held softmax.py: added its stub as cell' in result.output
    after = nbformat.read(path, as_version=4)
    tags = [c.metadata.get('tags', [''])[0] for c in after.cells]
    assert tags.index('intro:softmax') + 1 == tags.index('file:softmax.py')
    assert 'raise NotImplementedError("softmax: softmax")' in by_tag(after, 'file:softmax.py').source
    quiz = run('reset', 'quiz', '--notebook', path)
    assert quiz.exit_code == 0 and '(quiz.toml): the whole cell' in quiz.output
    assert 'q1 = ""' in by_tag(nbformat.read(path, as_version=4), 'file:quiz.toml').source


@pytest.mark.parametrize('command', ['list', 'hint', 'graph', 'reset forward_ops'])
def test_every_notebook_command_says_clearly_what_is_wrong_with_the_file(tmp_path, command):
    bad = tmp_path / 'bad.ipynb'
    bad.write_text('{"cells": [')
    result = run(*command.split(), '--notebook', bad)
    assert result.exit_code == 2 and 'is not a Jupyter notebook: it is not valid JSON' in result.output, result.output
    assert bad.read_text() == '{"cells": [' and not (tmp_path / '.backups').exists()
    both = run(*command.split(), '--notebook', bad, '--submission', tmp_path)
    assert both.exit_code == 2 and 'give --submission or --notebook, not both' in both.output


def test_json_stays_one_document_when_grading_a_found_notebook(tmp_path, monkeypatch):
    solved(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run('check', 'derivatives', '--format', 'json')
    assert json.loads(result.stdout)['full_marks'] and 'Grading the cells of micrograd.ipynb' in result.stderr
