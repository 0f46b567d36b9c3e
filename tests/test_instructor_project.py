"""The instructor's commands find the project upwards, as the student's do, and every usage error exits 2."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path):
    """A copy of the instructor's project: a git repository with solutions/, exercises/ and docs/."""
    copy = tmp_path / 'project'
    for part in ('grader', 'micrograd_ref', 'solutions', 'exercises', 'docs'):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns('__pycache__'))
    (copy / '.git').mkdir()
    return copy


def grade(project: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', 'grader', *args], capture_output=True, text=True, cwd=cwd, timeout=300,
                          env={**os.environ, 'PYTHONPATH': str(project), 'NO_COLOR': '1'})


@pytest.mark.parametrize('where', ['exercises', 'docs/contract'])
def test_validate_publish_and_new_work_from_inside_the_project(project, where):
    cwd = project / where
    validated = grade(project, cwd, 'validate', 'derivatives')
    assert validated.returncode == 0 and 'all good' in validated.stdout, validated.stdout + validated.stderr
    stub = project / 'exercises' / 'derivatives.py'
    stub.unlink()
    published = grade(project, cwd, 'publish')
    shown = os.path.relpath(project / 'exercises', cwd)  # as the student's commands show paths: from here
    assert published.returncode == 0 and f'into {shown}: 1 written' in published.stdout, published.stdout + published.stderr
    assert stub.read_text() == (ROOT / 'exercises' / 'derivatives.py').read_text()
    assert not (cwd / 'exercises').exists() and not (cwd / 'solutions').exists()
    added = grade(project, cwd, 'new', 'found_upwards')
    assert added.returncode == 0, added.stderr
    assert 'def found_upwards():' in (project / 'solutions' / 'found_upwards.py').read_text()


def test_publish_from_inside_solutions_writes_the_exercises_beside_it(project):
    (project / 'exercises' / 'nn.py').unlink()
    published = grade(project, project / 'solutions', 'publish')
    assert published.returncode == 0 and 'into ../exercises: 1 written' in published.stdout, published.stderr
    assert not (project / 'solutions' / 'exercises').exists()


@pytest.mark.parametrize('args', [['validate'], ['publish'], ['publish', '--out', 'bundle'], ['new', 'sigmoid_two']])
def test_outside_a_project_every_instructor_command_is_the_same_usage_error(project, tmp_path, args):
    elsewhere = tmp_path / 'elsewhere'
    (elsewhere / '.git').mkdir(parents=True)
    (elsewhere / 'docs').mkdir()
    done = grade(project, elsewhere / 'docs', *args)
    assert done.returncode == 2, done.stderr
    assert done.stderr.rstrip().endswith(
        f"Error: no solutions/ folder found in {elsewhere / 'docs'} or the folders above it, up to the top of its git "
        "repository: run it in the instructor's project, or pass --solutions DIR"), done.stderr
    assert sorted(p.name for p in elsewhere.rglob('*')) == ['.git', 'docs'], 'nothing was written'
    named = grade(project, elsewhere, *args, '--solutions', 'nothere')
    assert named.returncode == 2 and "there is no solutions folder 'nothere'" in named.stderr, named.stderr
