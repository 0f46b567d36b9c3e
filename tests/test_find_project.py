"""`grade` finds the exercises as git finds its repository: from any folder inside, or beside one notebook."""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import catalog
from grader.cli import main
from grader.notebook import build_notebook
from grader.project import NotFound, find, given

ROOT = Path(__file__).resolve().parent.parent


def project(tmp_path, folder='solutions') -> Path:
    """A student's project: a git repository that holds exercises/ and a docs/ folder."""
    repo = tmp_path / 'repo'
    shutil.copytree(ROOT / folder, repo / 'exercises', ignore=shutil.ignore_patterns('*.ipynb', '__pycache__'))
    (repo / '.git').mkdir()
    (repo / 'docs' / 'notes').mkdir(parents=True)
    return repo


def grade(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """The real `grade`, run from a folder, as a student's terminal runs it."""
    return subprocess.run([sys.executable, '-m', 'grader', *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env={**os.environ, 'PYTHONPATH': str(ROOT), 'NO_COLOR': '1'})


@pytest.mark.counts
def test_from_inside_exercises_and_from_any_subfolder(tmp_path):
    repo = project(tmp_path, 'exercises')
    inside = grade(repo / 'exercises', 'check', 'derivatives')
    assert inside.returncode == 1 and 'Start in: ./derivatives.py' in inside.stdout, inside.stderr
    deeper = grade(repo / 'docs' / 'notes', 'list')
    assert 'derivatives     Derivatives by hand' in deeper.stdout and f'Total: 0/{sum(e.points for e in catalog.load())}' in deeper.stdout, deeper.stderr


def test_the_search_stops_at_the_top_of_the_repository(tmp_path):
    repo = project(tmp_path)
    shutil.copytree(repo / 'exercises', tmp_path / 'exercises')  # outside the repository: never found from inside
    shutil.rmtree(repo / 'exercises')
    with pytest.raises(NotFound, match='up to the top of its git repository'):
        find(repo / 'docs' / 'notes')
    assert find(tmp_path).folder.resolve() == (tmp_path / 'exercises').resolve()


def test_the_nearest_exercises_win_and_paths_are_shown_from_here(tmp_path, monkeypatch):
    repo = project(tmp_path)
    monkeypatch.chdir(repo / 'docs')
    assert find().folder == Path('../exercises')
    monkeypatch.chdir(repo / 'exercises')
    assert find().folder == Path('.')
    (repo / 'exercises' / '.backups').mkdir()
    monkeypatch.chdir(repo / 'exercises' / '.backups')
    assert find().folder == Path('..')


def test_submission_may_be_a_folder_that_holds_exercises(tmp_path):
    repo = project(tmp_path)
    result = CliRunner().invoke(main, ['check', 'backward', '--submission', str(repo)])
    assert result.exit_code == 0 and 'Total: 10/10' in result.output, result.output


def test_a_submission_never_reaches_a_classmates_work_through_a_link(tmp_path):
    """--submission names someone's folder: an exercises/ or a notebook in it that is a link is not graded."""
    bob = project(tmp_path)
    build_notebook(ROOT / 'solutions', tmp_path / 'bob.ipynb')
    mallory = tmp_path / 'mallory'
    mallory.mkdir()
    (mallory / 'exercises').symlink_to(bob / 'exercises')
    (mallory / 'micrograd.ipynb').symlink_to(tmp_path / 'bob.ipynb')
    result = CliRunner().invoke(main, ['check', '--submission', str(mallory)])
    assert result.exit_code == 2 and 'holds no exercise files' in result.output, result.output


@pytest.mark.parametrize('make,message', [
    (lambda p: p.mkdir(), "holds no exercise files (derivatives.py, engine.py, manual_grads.py, ...), no exercises/ "
                          "folder and no notebook"),
    (lambda p: p.write_text('x'), "is not a folder: pass the folder that holds your exercise files, or a notebook"),
    (lambda p: None, "there is no folder '"),
])
def test_a_submission_that_holds_nothing_to_grade_is_a_clear_error(tmp_path, make, message):
    make(tmp_path / 'work')
    result = CliRunner().invoke(main, ['check', '--submission', str(tmp_path / 'work')])
    assert result.exit_code == 2 and message in result.output, result.output


def test_beside_a_single_notebook_grade_grades_it(tmp_path):
    build_notebook(ROOT / 'solutions', tmp_path / 'mine.ipynb')
    result = grade(tmp_path, 'check', 'forward_ops')
    assert result.returncode == 0 and 'Total: 5/5' in result.stdout
    assert result.stderr.startswith('Grading the cells of mine.ipynb:')
    hint = grade(tmp_path, 'hint')
    assert hint.returncode == 0 and 'Every exercise passes: no hints needed.' in hint.stdout, hint.stderr
    build_notebook(ROOT / 'solutions', tmp_path / 'other.ipynb')
    two = grade(tmp_path, 'check')
    assert two.returncode == 2 and 'this folder holds 2 notebooks and no exercises/ folder' in two.stderr


def test_hint_beside_a_notebook_is_for_the_exercise_it_is_on(tmp_path):
    build_notebook(ROOT / 'exercises', tmp_path / 'mine.ipynb')
    result = grade(tmp_path, 'hint')
    assert result.returncode == 0 and result.stdout.startswith('derivatives: Derivatives by hand\n  Hint 1/'), result


def test_a_notebook_saved_after_the_files_beside_it_is_mentioned(tmp_path):
    repo = project(tmp_path, 'exercises')
    notebook = build_notebook(ROOT / 'solutions', repo / 'exercises' / 'micrograd.ipynb')
    later = time.time() + 10
    os.utime(notebook, (later, later))
    result = grade(repo, 'check', 'derivatives')
    assert 'micrograd.ipynb beside them was saved after them' in result.stderr
    assert f"--notebook {Path('exercises') / 'micrograd.ipynb'}" in result.stderr
    assert given(repo / 'exercises').note and not given(ROOT / 'solutions').note


def test_a_notebook_name_with_control_characters_cannot_redraw_the_terminal(tmp_path):
    build_notebook(ROOT / 'solutions', tmp_path / 'evil\x1b[2J.ipynb')
    result = grade(tmp_path, 'check', 'derivatives')
    assert result.returncode == 0 and '\x1b' not in result.stderr and 'evil.ipynb' in result.stderr  # the escape sequence is removed whole
