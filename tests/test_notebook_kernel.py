"""The notebook in a real Jupyter kernel (nbclient): the set-up cell, check() cells, uncommented imports.

Needs the `test` extra (`pip install -e '.[test]'`): without nbclient and ipykernel these tests skip.
"""
import shutil
from pathlib import Path

import nbformat
import pytest

from grader import catalog
from grader.notebook import build_notebook

nbclient = pytest.importorskip('nbclient', reason="running notebooks in a kernel needs pip install -e '.[test]'")
pytest.importorskip('ipykernel', reason="running notebooks in a kernel needs pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parent.parent


def client(nb, folder: Path) -> 'nbclient.NotebookClient':
    return nbclient.NotebookClient(nb, timeout=120, kernel_name='python3', allow_errors=False,
                                   resources={'metadata': {'path': str(folder)}})


def shown(cell) -> tuple[str, str]:
    """What a cell displayed: its HTML and its plain text."""
    data = [o['data'] for o in cell.outputs if o.get('output_type') in ('execute_result', 'display_data')]
    return (''.join(d.get('text/html', '') for d in data), ''.join(d.get('text/plain', '') for d in data))


def by_tag(nb, tag):
    return next(c for c in nb.cells if tag in c.metadata.get('tags', []))


def run_cells(run, nb, *cells) -> None:
    """Run these cells, in this order, in the client's kernel (nbclient keeps each output at the cell's index)."""
    for c in cells:
        run.execute_cell(c, nb.cells.index(c))


@pytest.mark.counts
def test_the_solved_notebook_runs_and_every_check_cell_passes(tmp_path):
    path = build_notebook(ROOT / 'solutions', tmp_path / 'micrograd.ipynb')
    nb = nbformat.read(path, as_version=4)
    client(nb, tmp_path).execute()
    checks = [c for c in nb.cells if any(t.startswith('check:') for t in c.metadata.get('tags', []))]
    assert [c.source.split('"')[1] for c in checks] == [e.id for e in catalog.load()]
    for c in checks:
        exercise = c.source.split('"')[1]
        html, text = shown(c)
        assert f'✓ {exercise} passes' in html and f'✓ {exercise} passes' in text, (exercise, text)
    drawing = shown(by_tag(nb, 'draw:backward'))
    assert ('<svg' in ''.join(o['data'].get('image/svg+xml', '') for o in by_tag(nb, 'draw:backward').outputs)
            if shutil.which('dot') else 'digraph' in drawing[1])


def test_check_grades_the_saved_file_and_asks_to_save_code_run_since(tmp_path):
    path = build_notebook(ROOT / 'exercises', tmp_path / 'micrograd.ipynb')  # the stubs, saved
    nb = nbformat.read(path, as_version=4)
    solved = nbformat.read(build_notebook(ROOT / 'solutions', tmp_path / 'solved' / 'nb.ipynb'), as_version=4)
    by_tag(nb, 'file:derivatives.py').source = by_tag(solved, 'file:derivatives.py').source  # edited, not saved
    run = client(nb, tmp_path)
    with run.setup_kernel():
        run_cells(run, nb, *(by_tag(nb, t) for t in ('setup', 'file:derivatives.py', 'check:derivatives')))
        html, text = shown(by_tag(nb, 'check:derivatives'))
        assert 'Save the notebook first' in text and 'the code you ran as [2]' in text, text
        assert 'Save the notebook first' in html and 'Total' not in text, 'nothing graded from the stale file'

        nbformat.write(nb, path)  # what Ctrl-S does
        again = nbformat.v4.new_code_cell('check("derivatives")')
        nb.cells.append(again)
        run_cells(run, nb, again)
        html, text = shown(again)
        assert '✓ derivatives passes: 5/5' in text and '#1a7f37' in html, text


def test_check_reads_the_file_not_the_kernel(tmp_path):
    """Only the set-up cell and check() run: the kernel never defines Value, and the saved file passes."""
    path = build_notebook(ROOT / 'solutions', tmp_path / 'micrograd.ipynb')
    nb = nbformat.read(path, as_version=4)
    run = client(nb, tmp_path)
    probe = nbformat.v4.new_code_cell("'Value' in globals()")
    nb.cells.append(probe)
    with run.setup_kernel():
        run_cells(run, nb, by_tag(nb, 'setup'), by_tag(nb, 'check:backward'), probe)
    assert '✓ backward passes: 10/10' in shown(by_tag(nb, 'check:backward'))[1]
    assert shown(probe)[1] == 'False'


def test_uncommented_imports_between_files_work_in_the_kernel(tmp_path):
    """Beside the stub engine.py, as in exercises/, `from engine import Value` gets the notebook's own Value."""
    shutil.copy(ROOT / 'exercises' / 'engine.py', tmp_path / 'engine.py')
    path = build_notebook(ROOT / 'solutions', tmp_path / 'micrograd.ipynb')
    nb = nbformat.read(path, as_version=4)
    for tag in ('file:nn.py', 'file:neuron.py', 'file:manual_grads.py'):
        c = by_tag(nb, tag)
        c.source = c.source.replace('# from engine import Value', 'from engine import Value')
    softmax = by_tag(nb, 'file:softmax.py')
    softmax.source = 'from micrograd.engine import Value\n' + softmax.source
    probe = nbformat.v4.new_code_cell('import engine\n(Neuron(2).w[0].__class__ is Value, engine.Value is Value)')
    nb.cells.append(probe)
    nbformat.write(nb, path)
    client(nb, tmp_path).execute()
    assert shown(probe)[1] == '(True, True)'
    assert '✓ nn passes' in shown(by_tag(nb, 'check:nn'))[1]
    assert '✓ softmax passes' in shown(by_tag(nb, 'check:softmax'))[1]


def test_check_shows_a_failure_inline(tmp_path):
    path = build_notebook(ROOT / 'solutions', tmp_path / 'micrograd.ipynb')
    nb = nbformat.read(path, as_version=4)
    engine = by_tag(nb, 'file:engine.py')
    engine.source = engine.source.replace('self.grad += (1 - t**2) * out.grad', 'self.grad += (1 - self.data**2) * out.grad')
    nbformat.write(nb, path)
    run = client(nb, tmp_path)
    with run.setup_kernel():
        run_cells(run, nb, *(by_tag(nb, t) for t in ('setup', 'file:engine.py', 'check:local_backward')))
    html, text = shown(by_tag(nb, 'check:local_backward'))
    assert text.startswith('✗ local_backward: ') and not text.startswith('✗ local_backward: 10/10') and 'Likely mistake: the tanh derivative uses the input' in text
    assert '#c62828' in html and '&lt;' not in html.split('<pre>')[0]
