"""A catalog that cannot be read is one clear error, naming the file, the line and the problem, in every command."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import catalog
from grader.catalog import CatalogError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = (ROOT / 'grader' / 'catalog.toml').read_text()
LAST = catalog.load(ROOT / 'grader' / 'catalog.toml')[-1].id  # what a key appended at the end belongs to


def line_of(text: str, needle: str, start: str = '') -> int:
    """The number of the first line holding `needle` at or after the first line holding `start`."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if start in line)
    return next(i for i in range(first, len(lines)) if needle in lines[i]) + 1


def broken(text: str, old: str, new: str, start: str = '') -> str:
    """The text with the first `old` at or after `start` replaced."""
    at = text.index(old, text.index(start))
    return text[:at] + new + text[at + len(old):]


CASES = [
    (SHIPPED + 'oops = [\n', len(SHIPPED.splitlines()) + 1, 'not valid TOML: invalid value at the end of the file'),
    (broken(SHIPPED, 'points = 5', 'points = "five"'), line_of(SHIPPED, 'points = 5'),
     "points of exercise 'derivatives' must be a whole number of points above 0, such as 5, not 'five'"),
    (broken(SHIPPED, 'requires = []', 'requires = ["nosuch"]'), line_of(SHIPPED, 'requires = []'),
     "exercise 'derivatives' requires 'nosuch', which is not in the catalog"),
    (broken(SHIPPED, 'requires = ["forward_ops"]', 'requires = ["forward_op"]'), line_of(SHIPPED, 'requires = ["forward_ops"]'),
     "exercise 'manual_grads' requires 'forward_op', which is not in the catalog (did you mean 'forward_ops'?)"),
    (broken(SHIPPED, 'requires = []', 'require = []'), line_of(SHIPPED, 'requires = []'),
     "exercise 'derivatives' has an unknown key 'require' (the keys are all_or_nothing, covers, hints, id, intro,"),
    (SHIPPED + 'all_or_nothing = "yes"\n', len(SHIPPED.splitlines()) + 1,
     f"all_or_nothing of exercise '{LAST}' must be true or false, not 'yes'"),
    (broken(SHIPPED, 'id = "forward_ops"', 'id = "derivatives"'), line_of(SHIPPED, 'id = "forward_ops"'),
     "the id 'derivatives' is taken by exercise #1"),
    (broken(SHIPPED, 'title = "Derivatives by hand"\n', ''), line_of(SHIPPED, '[[exercise]]'), "exercise 'derivatives' has no title"),
    (broken(SHIPPED, 'covers = { "derivatives.py"', 'covers = { "../derivatives.py"'), line_of(SHIPPED, 'covers = { "derivatives.py"'),
     "covers of exercise 'derivatives' must be a table of file names"),
    (broken(SHIPPED, 'requires = []', 'requires = ["manual_grads"]', 'id = "forward_ops"'), line_of(SHIPPED, 'requires = []', 'id = "forward_ops"'),
     'exercises require each other in a circle: forward_ops -> manual_grads -> forward_ops'),
    ('# nothing here\n', None, 'it holds no [[exercise]] entries'),
]


@pytest.mark.parametrize('text, line, problem', CASES)
def test_each_problem_is_named_with_its_file_and_line(tmp_path, text, line, problem):
    path = tmp_path / 'catalog.toml'
    path.write_text(text)
    with pytest.raises(CatalogError) as caught:
        catalog.load(path)
    where = f'{path}:{line}' if line else str(path)
    assert str(caught.value.message).startswith(f'the exercise catalog cannot be read: {where}: {problem}'), caught.value.message
    assert caught.value.exit_code == 2, 'every command shows it as a usage error'


def test_the_shipped_catalog_reads():
    assert [e.id for e in catalog.load()][:2] == ['derivatives', 'forward_ops']


@pytest.fixture(scope='module')
def project(tmp_path_factory):
    copy = tmp_path_factory.mktemp('catalog') / 'project'
    for part in ('grader', 'micrograd_ref', 'solutions', 'exercises'):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns('__pycache__'))
    (copy / 'class' / 'ann').mkdir(parents=True)
    return copy


COMMANDS = [['list'], ['check'], ['check', 'derivatives', '--submission', 'solutions'], ['validate', 'derivatives'],
            ['publish'], ['publish', '--out', 'bundle'], ['new', 'sigmoid_two'], ['reset', 'derivatives'], ['hint'],
            ['batch', 'class', '--out', 'graded'], ['export', 'gradescope', '--out', 'a.zip'],
            ['export', 'image', '--out', 'image'], ['export', 'prairielearn', '--out', 'pl'],
            ['export', 'github-classroom', '--out', 'bundle']]


@pytest.mark.parametrize('text, line, problem', [CASES[0], CASES[1], CASES[2]])
def test_every_command_shows_it_as_a_usage_error_and_writes_nothing(project, text, line, problem):
    (project / 'grader' / 'catalog.toml').write_text(text)
    before = sorted(str(p.relative_to(project)) for p in project.rglob('*') if '__pycache__' not in p.parts)
    try:
        for args in COMMANDS:
            done = subprocess.run([sys.executable, '-m', 'grader', *args], capture_output=True, text=True, cwd=project,
                                  timeout=120, env={**os.environ, 'PYTHONPATH': str(project), 'NO_COLOR': '1'})
            shown = f'grade {" ".join(args)}: {done.stderr}'
            assert done.returncode == 2 and 'Traceback' not in done.stderr, shown
            assert done.stderr.rstrip().splitlines()[-1] == (
                f"Error: the exercise catalog cannot be read: {project / 'grader' / 'catalog.toml'}:{line}: {problem}"), shown
    finally:
        (project / 'grader' / 'catalog.toml').write_text(SHIPPED)
    assert sorted(str(p.relative_to(project)) for p in project.rglob('*') if '__pycache__' not in p.parts) == before
