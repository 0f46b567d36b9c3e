"""`grade new`, and docs/adding-an-exercise.md followed step by step in a copy of the project."""
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from conftest import ALL_IDS, unused_id

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / 'docs' / 'adding-an-exercise.md'
NEW = unused_id()  # for the tests that scaffold an exercise of their own; the walkthrough adds sigmoid itself
IGNORE = shutil.ignore_patterns('.git', '.venv', '__pycache__', '*.egg-info', '.hypothesis', 'out', 'exercises-backup-*')


def blocks() -> dict[str, str]:
    """The doc's code blocks that name a file (```python path), by path; and its bash commands, in order."""
    found = re.findall(r'^```(\w+)(?: (\S+))?\n(.*?)^```', DOC.read_text(), flags=re.S | re.M)
    named = {path: body for _, path, body in found if path}
    named['commands'] = [line for lang, path, body in found if lang == 'bash' for line in body.splitlines() if line]
    return named


@pytest.fixture
def project(tmp_path):
    """A copy of the project; grade runs there with the copy first on PYTHONPATH."""
    copy = tmp_path / 'project'
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    return copy


def grade(project: Path, command: str) -> subprocess.CompletedProcess:
    """Run a `grade ...` command line, as the doc writes it, in the project copy."""
    return run_grade(project, shlex.split(command)[1:])


def run_grade(project: Path, args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', 'grader', *args], capture_output=True, text=True,
                          cwd=project, timeout=300, env={**os.environ, 'PYTHONPATH': str(project)})


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) >= 1, f'{path.name} no longer holds {old!r}: update docs/adding-an-exercise.md'
    path.write_text(text.replace(old, new))


@pytest.mark.skipif('sigmoid' in ALL_IDS, reason='the catalog holds sigmoid already: the walkthrough is how it got there')
def test_the_documented_walkthrough_adds_a_validated_exercise(project):
    doc = blocks()
    new, validate, publish = doc['commands']
    assert new.startswith('grade new sigmoid') and validate == 'grade validate sigmoid' and publish == 'grade publish'
    result = grade(project, new)
    assert result.returncode == 0, result.stderr
    contract = project / 'docs' / 'contract'
    assert (contract / 'sigmoid.md').is_file() and '(sigmoid.md)' in (contract / 'README.md').read_text()
    failing = grade(project, validate)
    assert failing.returncode == 1 and 'the check for Value.sigmoid is not written yet' in failing.stdout

    catalog = project / 'grader' / 'catalog.toml'
    text = catalog.read_text()
    catalog.write_text(text[:text.rindex('[[exercise]]\nid = "sigmoid"')] + doc['grader/catalog.toml'])
    solution = project / 'solutions' / 'engine.py'
    text = solution.read_text()
    start = text.index('    def sigmoid(self):\n')
    end = text.index('# END SOLUTION\n', start) + len('# END SOLUTION\n')
    solution.write_text(text[:start] + doc['solutions/engine.py'] + text[end:])
    edit(project / 'micrograd_ref' / 'engine.py', '    def relu(self):\n', doc['micrograd_ref/engine.py'] + '\n    def relu(self):\n')
    edit(project / 'grader' / 'sandbox' / 'probes.py', "    'relu': lambda a: a.relu(),", "    'relu': lambda a: a.relu(),\n" + doc['grader/sandbox/probes.py'].rstrip('\n'))
    (project / 'grader' / 'checks' / 'sigmoid.py').write_text(doc['grader/checks/sigmoid.py'])
    edit(project / 'grader' / 'checking' / 'reference.py', "('+', '*', '**', 'exp', 'tanh')", "('+', '*', '**', 'exp', 'tanh', 'sigmoid')")
    edit(project / 'grader' / 'checking' / 'compare.py', "'tanh': 'Value.tanh'", "'tanh': 'Value.tanh', " + doc['grader/checking/compare.py'].strip())
    (project / 'grader' / 'mutants' / 'sigmoid.toml').write_text(doc['grader/mutants/sigmoid.toml'])
    (contract / 'sigmoid.md').write_text(doc['docs/contract/sigmoid.md'])

    result = grade(project, validate)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'validated 1 exercise(s) and 3 mutant(s)' in result.stdout and 'all good' in result.stdout
    result = grade(project, publish)
    assert result.returncode == 0, result.stdout + result.stderr
    stub = (project / 'exercises' / 'engine.py').read_text()
    assert '        # sigmoid: out holds 1 / (1 + math.exp(-self.data))' in stub
    assert '        raise NotImplementedError("sigmoid: Value.sigmoid")\n' in stub and 'math.exp(-self.data))\n' not in stub
    result = grade(project, 'grade check sigmoid')
    assert result.returncode == 1 and 'not implemented yet: Value.sigmoid' in result.stdout, result.stdout

    # Every test that counts exercises, points or totals, run in the project with one more exercise.
    suite = subprocess.run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:randomly', '-m', 'counts', 'tests'],
                           cwd=project, capture_output=True, text=True, timeout=900,
                           env={**os.environ, 'PYTHONPATH': str(project)})
    assert suite.returncode == 0 and ' passed' in suite.stdout, suite.stdout[-3000:] + suite.stderr[-2000:]


@pytest.mark.parametrize('args, message', [
    (['new', 'softmax'], "'softmax' is already in the catalog"),
    (['new', 'Sigmoid'], "'Sigmoid' is not a valid exercise id"),
    (['new', 'class'], "'class' is not a valid exercise id"),
    (['new', 'two-words'], "'two-words' is not a valid exercise id"),
    (['new', NEW, '--file', 'engine.py', '--symbol', 'Value.tanh'], 'Value.tanh is already defined'),
    (['new', NEW, '--file', 'engine.py', '--symbol', f'Tensor.{NEW}'], 'there is no class Tensor'),
    (['new', NEW, '--solutions', 'nothere'], 'there is no solutions folder'),
    (['new', NEW, '--symbol', 'Value.class'], "'Value.class' is not a function or Class.method name"),
    (['new', NEW, '--symbol', 'a.b.c'], "'a.b.c' is not a function or Class.method name"),
    (['new', NEW, '--file', 'class.py'], "'class.py' is not a Python file name"),
    (['new', NEW, '--file', '../engine.py'], "'../engine.py' is not a Python file name"),
    (['new', NEW, '--title', 'two\nlines'], "the title 'two\\nlines' must be one line of printable text"),
    (['new', NEW, '--title', ' '], "must be one line of printable text"),
    (['new', NEW, '--title', 'x' * 61], 'the title is 61 characters long: keep it to 60'),
])
def test_new_refuses_and_writes_nothing(project, args, message):
    before = {p: p.read_bytes() for p in project.rglob('*') if p.is_file()}
    result = run_grade(project, args)
    assert result.returncode == 2 and message in result.stderr, result.stderr  # a usage error, as in every command
    assert {p: p.read_bytes() for p in project.rglob('*') if p.is_file() and '__pycache__' not in p.parts} == before


def test_new_scaffolds_a_function_in_a_new_file(project):
    last_link = re.findall(r'\[\w+\]\(\w+\.md\)', (project / 'docs' / 'contract' / 'README.md').read_text())[-1]
    result = grade(project, 'grade new mean_loss')
    assert result.returncode == 0, result.stderr
    solution = (project / 'solutions' / 'mean_loss.py').read_text()
    assert solution == ('def mean_loss():\n'
                        '    # mean_loss: what the student writes (checked as in docs/contract/mean_loss.md)\n'
                        '    # BEGIN SOLUTION mean_loss: mean_loss\n'
                        "    raise NotImplementedError('the solution of mean_loss is not written yet')\n    # END SOLUTION\n")
    page = (project / 'docs' / 'contract' / 'mean_loss.md').read_text()
    assert page.startswith('# mean_loss: what the checks call and read\n') and '`mean_loss` from `mean_loss.py`' in page
    index = (project / 'docs' / 'contract' / 'README.md').read_text()
    assert index.count('[mean_loss](mean_loss.md)') == 1 and f'{last_link} · [mean_loss](mean_loss.md)' in index
    entry = tomllib.loads((project / 'grader' / 'catalog.toml').read_text())['exercise'][-1]
    assert (entry['id'], entry['title'], entry['covers']) == ('mean_loss', 'mean_loss', {'mean_loss.py': ['mean_loss']})
    assert (project / 'grader' / 'mutants' / 'mean_loss.toml').read_text().startswith('# Known mistakes in mean_loss')
    result = grade(project, 'grade publish')
    assert result.returncode == 0, result.stderr
    assert 'raise NotImplementedError("mean_loss: mean_loss")' in (project / 'exercises' / 'mean_loss.py').read_text()
    result = grade(project, 'grade check mean_loss --submission solutions')
    assert result.returncode == 1 and 'the check for mean_loss is not written yet' in result.stdout


def test_new_refuses_a_solution_that_does_not_parse(project):
    solution = project / 'solutions' / 'engine.py'
    solution.write_text(solution.read_text() + 'def broken(:\n')
    result = run_grade(project, ['new', NEW, '--file', 'engine.py', '--symbol', f'Value.{NEW}'])
    assert result.returncode == 1 and 'engine.py:' in result.stderr and 'fix the solution first' in result.stderr
    assert not (project / 'grader' / 'checks' / f'{NEW}.py').exists(), result.stderr


@pytest.mark.parametrize('title', ['The "x" op', "Jack's \\ op", 'Ünïcode ops: σ(x) = 1 / (1 + e**-x)', 'a """ b'])
def test_a_title_with_quotes_leaves_the_catalog_valid_and_every_byte_before_it(project, title):
    catalog = project / 'grader' / 'catalog.toml'
    before = catalog.read_text()
    result = run_grade(project, ['new', NEW, '--file', 'engine.py', '--symbol', f'Value.{NEW}', '--title', title])
    assert result.returncode == 0, result.stderr
    after = catalog.read_text()
    assert after.startswith(before + f'\n[[exercise]]\nid = "{NEW}"\n'), 'the hand-written catalog was changed'
    assert tomllib.loads(after)['exercise'][-1]['title'] == title
    listed = run_grade(project, ['list', '--submission', 'solutions'])
    assert listed.returncode == 0 and re.search(rf' {NEW} +{re.escape(title)}', listed.stdout), listed.stdout + listed.stderr


def test_new_names_a_catalog_that_does_not_parse(project):
    catalog = project / 'grader' / 'catalog.toml'
    catalog.write_text(catalog.read_text() + '\n[[exercise]]\nid = "broken\n')
    result = run_grade(project, ['new', NEW])
    assert result.returncode == 2 and f'the exercise catalog cannot be read: {catalog}:' in result.stderr, result.stderr
    assert 'not valid TOML' in result.stderr and 'Traceback' not in result.stderr
    assert not (project / 'grader' / 'checks' / f'{NEW}.py').exists()


def test_new_refuses_over_a_contract_page_that_exists(project):
    page = project / 'docs' / 'contract' / f'{NEW}.md'
    page.write_text('written by hand\n')
    before = {p: p.read_bytes() for p in project.rglob('*') if p.is_file() and '__pycache__' not in p.parts}
    result = run_grade(project, ['new', NEW])
    assert result.returncode == 2 and f'{page} already exists' in result.stderr, result.stderr
    assert {p: p.read_bytes() for p in project.rglob('*') if p.is_file() and '__pycache__' not in p.parts} == before
