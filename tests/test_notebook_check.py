"""check() without a kernel, and the two things it must tell from the kernel: which notebook, and whether it is saved."""
from pathlib import Path

import nbformat
import pytest

from grader.notebook import build_notebook, check
from grader.notebook.jupyter import NotebookCheck
from grader.notebook.session import NotebookNotFound, Runs, find_notebook, unsaved
from grader.notebook.show import as_html, as_text

ROOT = Path(__file__).resolve().parent.parent


def test_code_run_and_saved_is_saved():
    runs = Runs(['', 'a = 1', 'b = 2   \n'], started={1: 10.0, 2: 20.0}, recording_since=5.0)
    assert unsaved(runs, ['a = 1\n', 'b = 2'], saved_at=30.0, current=3) == []


def test_code_edited_and_run_after_the_save_is_not():
    runs = Runs(['', 'a = 1', 'b = 3', 'check("x")'], started={1: 10.0, 2: 40.0, 3: 41.0}, recording_since=5.0)
    assert unsaved(runs, ['a = 1', 'b = 2'], saved_at=30.0, current=3) == [2]


def test_code_run_then_edited_and_saved_is_saved():
    runs = Runs(['', 'b = 2'], started={1: 10.0}, recording_since=5.0)
    assert unsaved(runs, ['b = 3'], saved_at=30.0, current=2) == []


def test_cells_that_only_show_something_never_count():
    runs = Runs(['', 'check("nn")', 'print(a.grad)\nL', 'Value.relu = relu'], recording_since=50.0)
    assert unsaved(runs, [], saved_at=30.0, current=9) == [3], 'only the cell that adds to Value changes the grade'


def test_runs_before_recording_count_as_after_a_save_that_came_before_it():
    runs = Runs(['', 'b = 3'], recording_since=50.0)
    assert unsaved(runs, ['b = 2'], saved_at=30.0, current=2) == [1], 'saved before check() was first used: ask'
    assert unsaved(runs, ['b = 2'], saved_at=60.0, current=2) == [], 'saved since: the file is newer than the run'


def test_the_notebook_is_the_one_that_holds_the_code_run(tmp_path, monkeypatch):
    monkeypatch.delenv('JPY_SESSION_NAME', raising=False)
    with pytest.raises(NotebookNotFound, match='there is no notebook in'):
        find_notebook({}, tmp_path, [])
    for name, source in (('a.ipynb', 'x = 41'), ('b.ipynb', 'x = 42')):
        nb = nbformat.v4.new_notebook()
        nb.cells.append(nbformat.v4.new_code_cell(source))
        nbformat.write(nb, tmp_path / name)
    assert find_notebook({}, tmp_path, ['', 'x = 42']) == tmp_path / 'b.ipynb'
    with pytest.raises(NotebookNotFound, match="holds 2 notebooks and check\\(\\) cannot tell which"):
        find_notebook({}, tmp_path, ['', 'y = 0'])
    monkeypatch.setenv('JPY_SESSION_NAME', str(tmp_path / 'a.ipynb'))
    assert find_notebook({}, tmp_path, ['', 'x = 42']) == tmp_path / 'a.ipynb', 'what Jupyter says comes first'
    monkeypatch.delenv('JPY_SESSION_NAME')
    assert find_notebook({'__vsc_ipynb_file__': str(tmp_path / 'a.ipynb')}, tmp_path, []) == tmp_path / 'a.ipynb'


def test_check_outside_a_kernel_grades_the_file(tmp_path):
    path = build_notebook(ROOT / 'solutions', tmp_path / 'micrograd.ipynb')
    result = check('forward_ops', notebook=path)
    assert result.report.full_marks and repr(result).startswith('✓ forward_ops passes: 5/5\n')
    assert as_html(result).startswith('<div style="border-left: 4px solid #1a7f37')


def test_check_says_what_is_wrong_without_a_traceback(tmp_path):
    unknown = check('forwardops', notebook=tmp_path / 'nb.ipynb')
    assert repr(unknown) == ("check() could not grade: unknown exercise 'forwardops'. Did you mean: forward_ops? "
                             '(check() shows them all)')
    missing = check('forward_ops', notebook=tmp_path / 'nb.ipynb')
    assert repr(missing) == f"check() could not grade: there is no notebook '{tmp_path / 'nb.ipynb'}'"
    (tmp_path / 'bad.ipynb').write_text('{')
    assert 'is not a Jupyter notebook' in repr(check(notebook=tmp_path / 'bad.ipynb'))


def test_check_grades_several_exercises_and_explains_arguments_it_cannot_take(tmp_path):
    path = build_notebook(ROOT / 'solutions', tmp_path / 'micrograd.ipynb')
    both = check('forward_ops', 'backward', notebook=path)
    assert [e.id for e in both.report.exercises] == ['forward_ops', 'backward'] and both.report.full_marks
    assert repr(both).startswith('✓ forward_ops, backward passes: 15/15')
    for args, kwargs, says in [
            ((42,), {}, 'give each exercise id as a string of its own, as in check("forward_ops", "backward"), not 42'),
            ((['nn'],), {}, "give each exercise id as a string of its own, as in check(\"forward_ops\", \"backward\"), not ['nn']"),
            (('nn', 'lab.ipynb'), {}, "name the notebook with notebook=, as in check(\"forward_ops\", notebook='lab.ipynb')"),
            ((), {'notebook': 3}, 'notebook= takes the notebook\'s file name, as in check(notebook="lab.ipynb"), not 3')]:
        assert repr(check(*args, **kwargs)) == f'check() could not grade: {says}'


def test_rendering_escapes_what_the_student_wrote():
    shown = as_html(NotebookCheck(notebook='<b>nb</b>.ipynb', unsaved=[4]))
    assert '&lt;b&gt;nb&lt;/b&gt;.ipynb' in shown and '<b>nb</b>' not in shown
    assert as_text(NotebookCheck(notebook='nb.ipynb', unsaved=[2, 7])).endswith(
        'nb.ipynb on disk does not hold the code you ran as [2] and [7], and check() grades the saved file.')
