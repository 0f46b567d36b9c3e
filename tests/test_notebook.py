"""The student notebook: built from the exercises, runnable top to bottom, and graded from its cells."""
import ast
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from grader import catalog
from grader.cli import main
from grader.notebook import NotebookError, build_notebook, notebook_text, submission_from_notebook
from grader.notebook.cells import student_files
from grader.notebook.grading import grade_notebook
from grader.notebook.inline import InlineGraph, draw, draw_dot

ROOT = Path(__file__).resolve().parent.parent
FULL = sum(e.points for e in catalog.load())


def notebook(tmp_path, folder='solutions', name='micrograd.ipynb'):
    return nbformat.read(build_notebook(ROOT / folder, tmp_path / name), as_version=4)


def save(nb, tmp_path, name='edited.ipynb') -> Path:
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def cell(nb, tag):
    return next(c for c in nb.cells if tag in c.metadata.get('tags', []))


def run_cells(nb):
    """Run the code cells in order in one fresh namespace, as Jupyter's Run All does; the last drawings.

    The set-up and check() cells need a kernel, and test_notebook_kernel.py runs them in one; here the
    set-up cell's draw_dot is given directly.
    """
    namespace, shown = {'__name__': '__main__', 'draw_dot': draw_dot}, {}
    for c in nb.cells:
        if c.cell_type != 'code' or c.id == 'setup' or c.id.startswith('check-'):
            continue
        tree = ast.parse(c.source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, c.id, 'exec'), namespace)
        if last is not None:
            shown[c.id] = eval(compile(ast.Expression(last.value), c.id, 'eval'), namespace)
    return shown


def test_building_twice_gives_identical_valid_bytes(tmp_path):
    first = build_notebook(ROOT / 'exercises', tmp_path / 'a' / 'micrograd.ipynb').read_bytes()
    assert notebook_text(ROOT / 'exercises').encode() == first
    nb = nbformat.reads(first.decode(), as_version=4)
    nbformat.validate(nb)
    ids = [c.id for c in nb.cells]
    assert len(set(ids)) == len(ids) and 'file-engine-py' in ids and 'intro-forward_ops' in ids
    assert all(not c.get('outputs') and c.get('execution_count') is None for c in nb.cells if c.cell_type == 'code')


def test_the_notebook_follows_the_lecture(tmp_path):
    nb = notebook(tmp_path, 'exercises')
    tags = [c.metadata['tags'][0] for c in nb.cells]
    assert tags.index('intro:forward_ops') < tags.index('file:engine.py') < tags.index('intro:manual_grads')
    assert tags.index('file:manual_grads.py') < tags.index('draw:manual_grads') < tags.index('intro:local_backward')
    assert set(cell(nb, 'file:engine.py').metadata.tags) >= {'exercise:forward_ops', 'exercise:backward'}
    intro = cell(nb, 'intro:local_backward').source
    assert intro.startswith('## 4. Local backward rules: +, \\*, tanh, exp, \\*\\*')
    assert '`Value.tanh` in the `engine.py` cell above' in intro
    assert 'grade check local_backward --notebook micrograd.ipynb' in intro
    assert '# from engine import Value' in cell(nb, 'file:nn.py').source


@pytest.mark.parametrize('folder', ['exercises', 'solutions'])
def test_extraction_gives_back_every_file_exactly(tmp_path, folder):
    build_notebook(ROOT / folder, tmp_path / 'nb.ipynb')
    sub = submission_from_notebook(tmp_path / 'nb.ipynb', tmp_path / 'sub')
    assert sub.problems == [] and sorted(sub.files) == sorted(student_files())
    for name in student_files():
        assert (sub.folder / name).read_bytes() == (ROOT / folder / name).read_bytes(), name


def test_the_solved_notebook_runs_top_to_bottom_and_draws(tmp_path, capsys):
    shown = run_cells(notebook(tmp_path))
    assert 'Value(data=0.7071067811865477, grad=1.0)' in capsys.readouterr().out
    drawings = {k: v for k, v in shown.items() if k.startswith('draw-')}
    assert set(drawings) == {'draw-manual_grads', 'draw-backward', 'draw-neuron', 'draw-nn'}
    assert all(isinstance(g, InlineGraph) for g in drawings.values())
    backward = drawings['draw-backward']
    assert 'grad -4.0000' in backward.source and 'L = d * f' in backward.source
    if shutil.which('dot'):
        assert '<svg' in backward._repr_mimebundle_()['image/svg+xml'] and not backward.message


def test_drawing_without_dot_shows_the_source_and_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv('PATH', str(tmp_path))
    namespace = {'__name__': 'nb'}
    exec((ROOT / 'solutions' / 'engine.py').read_text(), namespace)
    a = namespace['Value'](2.0, label='a<b>')
    graph = draw(a * 3, 'a times 3')
    assert not graph.svg and 'Install Graphviz' in graph.message and 'digraph' in graph.source
    bundle = graph._repr_mimebundle_()
    assert 'apt-get install graphviz' in bundle['text/html'] and 'a\\&lt;b\\&gt;' in bundle['text/html']
    with pytest.raises(TypeError, match='draw\\(\\) needs a Value, not NoneType'):
        draw(None)


@pytest.mark.counts
def test_grade_check_notebook_full_marks_and_stubs(tmp_path):
    notebook(tmp_path)
    runner = CliRunner()
    solved = runner.invoke(main, ['check', '--notebook', str(tmp_path / 'micrograd.ipynb')])
    assert solved.exit_code == 0 and f'Total: {FULL}/{FULL}' in solved.output, solved.output
    build_notebook(ROOT / 'exercises', tmp_path / 'stubs.ipynb')
    stubs = runner.invoke(main, ['check', '--notebook', str(tmp_path / 'stubs.ipynb')])
    assert stubs.exit_code == 1 and f'Total: 0/{FULL}' in stubs.output
    assert 'not implemented yet: numerical_derivative [derivatives.py:7]' in stubs.output


def test_an_edited_notebook_grades_what_it_can_and_says_what_is_missing(tmp_path):
    nb = notebook(tmp_path)
    cell(nb, 'file:engine.py').metadata.tags = []  # tag lost
    neuron = cell(nb, 'file:neuron.py')
    neuron.source = neuron.source.replace('# from engine import Value\n', '')  # import line deleted
    nb.cells = [c for c in nb.cells if 'file:nn.py' not in c.metadata.get('tags', [])]  # cell deleted
    nb.cells.reverse()
    nb.cells.insert(0, nbformat.v4.new_code_cell('%matplotlib inline\nv = Value(1.0)'))  # a scratch cell
    graded = grade_notebook(save(nb, tmp_path), ['derivatives', 'neuron', 'nn', 'training'])
    problems = '\n'.join(graded.problems)
    engine = next(i for i, c in enumerate(nb.cells, 1) if c.source.startswith('import math\n\n\nclass Value'))
    assert (f'the engine.py cell has lost its tag file:engine.py: recognised cell {engine} by what it defines (Value)'
            in problems)
    assert 'no cell holds nn.py' in problems and 'nn, training cannot pass without it' in problems
    assert 'neuron.py uses names of other cells without importing them: added `from engine import Value`' in problems
    status = {e.id: e.status for e in graded.report.exercises}
    assert status == {'derivatives': 'passed', 'neuron': 'passed', 'nn': 'failed', 'training': 'blocked'}, status  # by nn, whose file is missing
    assert graded.report.submission.endswith('edited.ipynb')


def test_cli_prints_what_is_missing_on_stderr_and_keeps_json_clean(tmp_path):
    nb = notebook(tmp_path)
    nb.cells = [c for c in nb.cells if 'file:softmax.py' not in c.metadata.get('tags', [])]
    result = CliRunner().invoke(main, ['check', 'softmax', '--notebook', str(save(nb, tmp_path)), '--format', 'json'])
    assert result.exit_code == 1
    assert json.loads(result.stdout)['exercises'][0]['status'] == 'failed'
    assert 'engine.py:12 in the feedback is line 12 of the cell that holds engine.py' in result.stderr
    assert 'no cell holds softmax.py' in result.stderr


def test_doubled_tags_grade_the_last_cell_and_magics_are_commented_out(tmp_path):
    nb = notebook(tmp_path)
    broken = nbformat.v4.new_code_cell('def numerical_derivative(f, x, h=0.0001):\n    return 0.0',
                                       metadata={'tags': ['file:derivatives.py']})
    fixed = cell(nb, 'file:derivatives.py')
    fixed.source = '%load_ext autoreload\n!echo hi\n' + fixed.source
    fixed.outputs, fixed.execution_count = [nbformat.v4.new_output('stream', text='14.0003\n')], 3  # as Jupyter saves it
    nb.cells.insert(nb.cells.index(fixed), broken)
    sub = submission_from_notebook(save(nb, tmp_path), tmp_path / 'sub')
    first = nb.cells.index(broken) + 1
    assert sub.problems == [f'numerical_derivative is defined in cells {first} and {first + 1}: graded the last, '
                            'as running the notebook from the top does']
    text = (sub.folder / 'derivatives.py').read_text()
    assert text.startswith('# %load_ext autoreload\n# !echo hi\ndef f(x):')


def test_an_old_nbformat_3_notebook_is_read(tmp_path):
    nb = notebook(tmp_path)
    old = tmp_path / 'old.ipynb'
    old.write_text(nbformat.writes(nbformat.convert(nb, 3), version=3))
    sub = submission_from_notebook(old, tmp_path / 'sub')
    assert (sub.folder / 'engine.py').read_text() == (ROOT / 'solutions' / 'engine.py').read_text()


@pytest.mark.parametrize('content,message', [
    (None, "there is no notebook '"),
    (b'{"cells": [', 'is not a Jupyter notebook: it is not valid JSON'),
    (b'\xff\xfe', 'is not a Jupyter notebook: it is not valid JSON'),
    (b'[1, 2]', 'is not a Jupyter notebook: it has no list of cells'),
    (b'{"cells": {"a": 1}}', 'is not a Jupyter notebook: it has no list of cells'),
])
def test_unreadable_notebooks_are_clear_errors(tmp_path, content, message):
    path = tmp_path / 'nb.ipynb'
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(NotebookError, match=message):
        submission_from_notebook(path, tmp_path / 'sub')
    assert not (tmp_path / 'sub').exists()
    result = CliRunner().invoke(main, ['check', '--notebook', str(path)])
    assert result.exit_code == 2 and message.split(':')[0] in result.output


def test_junk_cells_are_skipped_not_fatal(tmp_path):
    path = tmp_path / 'nb.ipynb'
    path.write_text(json.dumps({'cells': [7, {'cell_type': 'code', 'source': ['class Value:\n', '    pass'],
                                              'metadata': {'tags': 'file:engine.py'}},
                                          {'cell_type': 'code', 'source': None, 'metadata': None}],
                                'nbformat': 4}))
    sub = submission_from_notebook(path, tmp_path / 'sub')
    assert sub.files == ['engine.py'] and (sub.folder / 'engine.py').read_text() == 'class Value:\n    pass\n'
    assert any('no cell holds nn.py' in p for p in sub.problems)


def test_a_directory_or_a_huge_file_is_refused(tmp_path, monkeypatch):
    with pytest.raises(NotebookError, match='is not a file'):
        submission_from_notebook(tmp_path, tmp_path / 'sub')
    monkeypatch.setattr('grader.notebook.extract.MAX_BYTES', 100)
    with pytest.raises(NotebookError, match='is too large to be a notebook of exercises'):
        submission_from_notebook(build_notebook(ROOT / 'exercises', tmp_path / 'nb.ipynb'), tmp_path / 'sub')


def test_an_interrupted_run_leaves_the_notebook_and_no_temporary_folder(tmp_path, monkeypatch):
    path = build_notebook(ROOT / 'solutions', tmp_path / 'nb.ipynb')
    before = path.read_bytes()
    temp = tmp_path / 'tmp'
    temp.mkdir()
    monkeypatch.setattr('tempfile.tempdir', str(temp))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr('grader.notebook.grading.grade', interrupted)
    with pytest.raises(KeyboardInterrupt):
        grade_notebook(path)
    assert path.read_bytes() == before and list(temp.iterdir()) == []


def test_the_limits_apply_to_a_notebook_too(tmp_path):
    nb = notebook(tmp_path)
    derivatives = cell(nb, 'file:derivatives.py')
    derivatives.source = derivatives.source.replace('    return (f(x + h) - f(x)) / h', '    while True:\n        pass')
    result = CliRunner().invoke(main, ['check', 'derivatives', '--notebook', str(save(nb, tmp_path)),
                                       '--check-seconds', '0.5'])
    assert result.exit_code == 1 and 'did not finish in time' in result.output, result.output


def test_feedback_line_numbers_are_the_cells_line_numbers(tmp_path):
    nb = notebook(tmp_path)
    manual = cell(nb, 'file:manual_grads.py')
    lines = manual.source.splitlines()
    broken = next(i for i, line in enumerate(lines) if 'L.grad = 1.0' in line)
    lines[broken] = lines[broken].replace('L.grad = 1.0', 'L.grad = = 1.0')
    manual.source = '\n'.join(lines)
    graded = grade_notebook(save(nb, tmp_path), ['manual_grads'])
    fb = graded.report.exercises[0].first_failure.feedback
    assert fb.kind == 'syntax' and fb.where == f'manual_grads.py:{broken + 1}', fb
    assert lines[0] == '# from engine import Value'


def test_deep_nesting_in_a_cell_or_the_json_is_a_clear_message_never_a_traceback(tmp_path):
    path = build_notebook(ROOT / 'solutions', tmp_path / 'deep.ipynb')
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell('x = ' + '-' * 300_000 + '1'))  # too deep for the parser
    nbformat.write(nb, path)
    graded = CliRunner().invoke(main, ['check', 'derivatives', '--notebook', str(path)])
    assert graded.exit_code == 0, graded.output  # the cell defines nothing graded: it is left out
    raw = json.loads(path.read_text())
    raw['metadata']['nested'] = json.loads('[' * 50 + ']' * 50)
    text = json.dumps(raw)[:-1] + ', "deeper": ' + '[' * 100_000 + ']' * 100_000 + '}'
    path.write_text(text)
    refused = CliRunner().invoke(main, ['check', '--notebook', str(path)])
    assert refused.exit_code == 2 and 'is nested too deeply to read' in refused.output, refused.output


def test_a_notebook_of_thousands_of_cells_is_refused_at_once(tmp_path):
    """Reading how cells use each other grows faster than the notebook: one huge notebook must not stall a class."""
    import time
    path = build_notebook(ROOT / 'solutions', tmp_path / 'huge.ipynb')
    nb = nbformat.read(path, as_version=4)
    nb.cells += [nbformat.v4.new_code_cell(f'a{k} = 1') for k in range(3000)]
    nbformat.write(nb, path)
    start = time.monotonic()
    with pytest.raises(NotebookError, match='code cells .* more than a notebook of exercises holds'):
        submission_from_notebook(path, tmp_path / 'sub')
    assert time.monotonic() - start < 30  # a bound on a hang, not a timing test: reading is refused up front


def test_many_names_in_one_cell_are_read_in_linear_time(tmp_path):
    """20,000 names in one set-up cell, all used by the Value cell, took minutes when every name was looked
    for among every binding; the bound here is a hang's, far above the few seconds it takes now."""
    import time
    path = build_notebook(ROOT / 'solutions', tmp_path / 'names.ipynb')
    nb = nbformat.read(path, as_version=4)
    n = 20_000
    nb.cells.insert(2, nbformat.v4.new_code_cell('\n'.join(f'a{k} = 1' for k in range(n))))
    engine = next(c for c in nb.cells if 'file:engine.py' in c.metadata.get('tags', []))
    engine.source += '\nUSED = [' + ', '.join(f'a{k}' for k in range(n)) + ']\n'
    nbformat.write(nb, path)
    start = time.monotonic()
    sub = submission_from_notebook(path, tmp_path / 'sub')
    assert time.monotonic() - start < 60
    assert 'a19999 = 1' in (sub.folder / 'engine.py').read_text(), 'the names the cell uses were carried'
