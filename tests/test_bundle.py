"""`grade publish --out DIR`: a student bundle with stubs, the grader and the reference; no solutions."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from conftest import unused_id
from grader import catalog
from grader.publish import PublishError, generate, student_files
from grader.publish.bundle import audit, write_bundle
from grader.publish.markers import regions

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope='module')
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp('bundle') / 'micrograd'
    write_bundle(ROOT / 'solutions', out)
    return out


def files_in(folder):
    return [p for p in folder.rglob('*') if p.is_file() and '__pycache__' not in p.parts]


@pytest.mark.counts
def test_the_bundle_holds_stubs_grader_reference_and_readme(bundle):
    top = sorted(p.name for p in bundle.iterdir())
    assert top == ['.gitignore', 'README.md', 'docs', 'exercises', 'grader', 'images', 'micrograd_ref', 'pyproject.toml']
    stubs = generate(ROOT / 'solutions')
    for name in student_files():
        assert (bundle / 'exercises' / name).read_text() == stubs[name]
        assert (bundle / 'grader' / 'stubs' / name).read_text() == stubs[name], 'grade reset needs pristine stubs'
    readme = (bundle / 'README.md').read_text()
    assert 'pip install -e .' in readme and '\ngrade ' in readme and '## The student loop' in readme
    assert 'install Jupyter into the same virtual environment as the grader' in ' '.join(readme.split())
    assert '`pip install jupyterlab`' in readme, 'the notebook needs Jupyter beside the grader, and says so'
    images = re.findall(r'!\[[^\]]*\]\(([^)]+)\)', readme)
    assert images and all((bundle / image).is_file() for image in images), 'the README shows an image it lacks'


AT_FAULT = ["pip install -e '.[test]'", 'tests/styles/', 'tests/test_alternatives.py', 'grader/catalog.toml',
            '@pytest.mark.points', 'all_or_nothing', 'grades.csv', 'class summary', "The project's tests"]


def test_the_readme_holds_only_what_a_student_has(bundle):
    """The project README's student loop names the project's tests, the catalog's fields and the class's grades."""
    project = (ROOT / 'README.md').read_text()
    loop = project[project.index('## The student loop'):project.index('## For instructors')]
    assert [fault for fault in AT_FAULT if fault in loop], 'nothing left to take out: simplify the bundle README'
    readme = (bundle / 'README.md').read_text()
    assert [fault for fault in AT_FAULT if fault in readme] == []
    flat = ' '.join(readme.split())
    for kept in ("Code written as in micrograd's repository, EurekaLabsAI's micrograd or the lecture notebook gets full "
                 'marks on every exercise it implements.',
                 'A failure is the exercise\'s own when it is its own stub, when the grader\'s call into its code raises, '
                 'or when it happens at a line of a function or class that the exercise covers.',
                 'Scores are rounded to 2 decimals and shown as `4.5/10`, or `5/5` for a whole number.',
                 '### A watch session', '### What the checks accept', '### Points'):
        assert kept in flat, kept
    assert '\n\n\n' not in readme


def test_for_students_takes_out_a_parenthesis_then_a_sentence_then_a_block():
    from grader.publish.readme import for_students
    text = ('Intro.\n\n- Kept whole.\n- One sentence stays. One goes (see `tests/x.py`) for good.\n- Only the part (in\n'
            '  `grader/catalog.toml`) goes.\n- All of it: `pytest.mark.points(3)`.\n\n```text\ngrades.csv\n```\n\nEnd.\n')
    assert for_students(text) == ('Intro.\n\n- Kept whole.\n- One sentence stays. One goes for good.\n- Only the part goes.'
                                  '\n\nEnd.')


def test_the_pyproject_installs_the_grader_and_nothing_of_the_instructors(bundle):
    shipped = tomllib.loads((bundle / 'pyproject.toml').read_text())
    instructor = tomllib.loads((ROOT / 'pyproject.toml').read_text())
    assert set(shipped) == {'build-system', 'project', 'tool'} and list(shipped['tool']) == ['setuptools']
    project = shipped['project']
    assert set(project) == {'name', 'version', 'description', 'readme', 'requires-python', 'dependencies', 'scripts'}
    assert project['name'] == 'micrograd-exercises' and project['version'] == instructor['project']['version']
    assert project['dependencies'] == instructor['project']['dependencies'] and project['readme'] == 'README.md'
    assert project['scripts'] == {'grade': 'grader.cli:main'} and shipped['build-system'] == instructor['build-system']
    assert shipped['tool']['setuptools']['packages'] == {'find': {'include': ['grader*', 'micrograd_ref*']}}
    data = shipped['tool']['setuptools']['package-data']['grader']
    assert 'stubs/*' in data and all(list((bundle / 'grader').glob(pattern)) for pattern in data)
    text = (bundle / 'pyproject.toml').read_text()
    assert not [line for line in text.splitlines()[1:] if '#' in line], 'no comment about the instructor\'s CI or tests'


@pytest.mark.skipif(not shutil.which('git'), reason='needs git')
def test_the_gitignore_leaves_out_what_a_students_work_makes(bundle, tmp_path):
    repo = Path(shutil.copytree(bundle, tmp_path / 'repo'))
    made = ['.venv/bin/python', 'build/lib/x.py', 'micrograd_exercises.egg-info/PKG-INFO', 'exercises/.backups/nn.py',
            'grader/__pycache__/cli.cpython-312.pyc', 'exercises/.ipynb_checkpoints/micrograd-checkpoint.ipynb']
    for name in made:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text('x')
    subprocess.run(['git', 'init', '-q'], cwd=repo, check=True)
    ignored = subprocess.run(['git', 'check-ignore', '--no-index', *made, 'exercises/engine.py', 'README.md'], cwd=repo,
                             capture_output=True, text=True).stdout.split()
    assert ignored == made


def test_the_bundle_holds_no_solution_marker_or_instructor_file(bundle):
    names = {p.name for p in bundle.rglob('*')}
    assert not names & {'solutions', 'tests', 'benchmarks', 'mutants', 'validation', 'scaffold.py'}
    docs = sorted(str(p.relative_to(bundle)) for p in (bundle / 'docs').rglob('*') if p.is_file())
    assert docs and all(d.startswith('docs/contract/') for d in docs), 'only the contract of the docs is handed out'


def test_every_contract_link_in_the_stubs_resolves_in_the_bundle(bundle):
    for stub in files_in(bundle / 'exercises'):
        for page in re.findall(r'\b([a-z_]+\.md)\b', stub.read_text()):
            assert (bundle / 'docs' / 'contract' / page).is_file(), f'{stub.name} links {page}, which is not there'
    assert not [p for p in bundle.rglob('*.toml') if p.parent.name == 'mutants']
    for path in files_in(bundle):
        text = path.read_text(errors='replace')
        for marker in ('# BEGIN SOLUTION', '# END SOLUTION', '# STUB:'):
            assert not any(line.lstrip().startswith(marker) for line in text.splitlines()), f'{path} holds {marker}'
    # No line the student is meant to write reaches what the student is handed as code.
    code = solution_lines()
    assert len(code) > 50, 'too few solution lines found to look for'
    for path in files_in(bundle / 'exercises') + files_in(bundle / 'grader' / 'stubs'):
        leaked = code & {line.strip() for line in path.read_text().splitlines()}
        assert not leaked, f'{path} holds solution lines: {sorted(leaked)[:3]}'


def solution_lines():
    """Lines found only inside marked regions of the solutions (not also elsewhere, like `return out`)."""
    inside, outside = set(), set()
    for name in student_files():
        lines = (ROOT / 'solutions' / name).read_text().splitlines()
        spans = [(r.start, r.end) for r in regions('\n'.join(lines), name)]
        for n, line in enumerate(lines):
            s = line.strip()
            if s and not s.startswith('#'):
                (inside if any(a < n < b for a, b in spans) else outside).add(s)
    return inside - outside


def test_audit_finds_a_planted_solution(tmp_path):
    (tmp_path / 'solutions').mkdir()
    (tmp_path / 'notes.py').write_text('x = 1\n    # BEGIN SOLUTION nn: Neuron\n')
    problems = audit(tmp_path)
    assert 'solutions is instructor-only' in problems and 'notes.py:2 holds a solution marker' in problems


def test_the_bundle_goes_only_into_a_new_or_empty_folder(tmp_path):
    (tmp_path / 'taken').mkdir()
    (tmp_path / 'taken' / 'keep.txt').write_text('mine')
    with pytest.raises(PublishError, match='already exists and is not empty'):
        write_bundle(ROOT / 'solutions', tmp_path / 'taken')
    assert [p.name for p in (tmp_path / 'taken').iterdir()] == ['keep.txt']


def test_pristine_stubs_come_from_the_bundle_without_solutions(bundle, tmp_path):
    code = 'import grader.publish as p; print(p.__file__); print(p.pristine_stub("nn.py"), end="")'
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=tmp_path, timeout=60,
                            env={**os.environ, 'PYTHONPATH': str(bundle)})
    assert result.returncode == 0, result.stderr
    where, _, stub = result.stdout.partition('\n')
    assert where == str(bundle / 'grader' / 'publish' / '__init__.py')
    assert stub == generate(ROOT / 'solutions')['nn.py']


def test_the_bundle_installs_in_a_fresh_venv_and_grades_the_stubs(bundle, tmp_path):
    """The two README commands, for real: pip install -e . into a new venv, then grade. Slow (~20 s)."""
    venv = tmp_path / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=True, timeout=120)
    bin_dir = venv / ('Scripts' if os.name == 'nt' else 'bin')
    install = subprocess.run([str(bin_dir / 'python'), '-m', 'pip', 'install', '-q', '-e', str(bundle)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stdout + install.stderr
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'VIRTUAL_ENV')}
    result = subprocess.run([str(bin_dir / 'grade')], capture_output=True, text=True, cwd=bundle, timeout=120, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert '── derivatives: Derivatives by hand ──' in result.stdout
    assert 'not implemented yet: numerical_derivative [derivatives.py:7]' in result.stdout
    result = subprocess.run([str(bin_dir / 'grade'), 'validate'], capture_output=True, text=True, cwd=bundle, env=env)
    assert result.returncode == 1 and 'grade validate is for instructors' in result.stderr, result.stderr
    assert str(bundle) in subprocess.run([str(bin_dir / 'python'), '-c', 'import grader; print(grader.__file__)'],
                                         capture_output=True, text=True, cwd=tmp_path, env=env).stdout


def test_publish_out_on_the_command_line(tmp_path):
    from click.testing import CliRunner
    from grader.cli import main
    result = CliRunner().invoke(main, ['publish', '--out', str(tmp_path / 'hand-out')])
    assert result.exit_code == 0 and f'files into {tmp_path / "hand-out"}' in result.output, result.output
    again = CliRunner().invoke(main, ['publish', '--out', str(tmp_path / 'hand-out')])
    assert again.exit_code == 2 and 'already exists and is not empty' in again.output


def test_an_interrupted_bundle_leaves_nothing_behind(tmp_path, monkeypatch):
    from grader.publish import bundle as module

    def interrupted(folder):
        raise KeyboardInterrupt
    monkeypatch.setattr(module, 'audit', interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_bundle(ROOT / 'solutions', tmp_path / 'hand-out')
    assert list(tmp_path.iterdir()) == []


def grade_in(folder, *args, cwd=None):
    """`grade ARGS` with `folder`'s grader first on the path, as an installed copy of it would run."""
    return subprocess.run([sys.executable, '-m', 'grader', *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd or folder, env={**os.environ, 'PYTHONPATH': str(folder)})


def test_the_bundle_offers_only_student_commands(bundle):
    listing = grade_in(bundle, '--help')
    assert listing.returncode == 0, listing.stderr
    commands = {line.split()[0] for line in listing.stdout.split('Commands:')[1].splitlines() if line.strip()}
    assert commands == {'check', 'list', 'hint', 'watch', 'graph', 'reset'}
    for command in ('new', 'publish', 'validate', 'batch', 'export'):
        refused = grade_in(bundle, command, 'anything', '--out', 'x')
        assert refused.returncode == 1 and f'grade {command} is for instructors' in refused.stderr, refused.stderr
    assert not (bundle / 'x').exists()


def test_the_instructors_project_still_offers_every_command():
    listing = grade_in(ROOT, '--help')
    assert {'new', 'publish', 'validate', 'batch', 'export'} <= set(listing.stdout.split())


@pytest.mark.counts
def test_the_bundle_readme_lists_the_catalogs_exercises_with_one_an_instructor_added(tmp_path):
    project = tmp_path / 'project'
    for part in ('grader', 'micrograd_ref', 'solutions', 'docs', 'pyproject.toml', 'README.md'):
        copy = shutil.copytree if (ROOT / part).is_dir() else shutil.copy2
        copy(ROOT / part, project / part, **({'ignore': shutil.ignore_patterns('__pycache__')} if copy is shutil.copytree else {}))
    new = unused_id()
    added = grade_in(project, 'new', new, '--file', 'engine.py', '--symbol', f'Value.{new}', '--title', 'Sigmoid: σ(x)')
    assert added.returncode == 0, added.stderr
    published = grade_in(project, 'publish', '--out', str(tmp_path / 'hand-out'))
    assert published.returncode == 0, published.stderr
    readme = (tmp_path / 'hand-out' / 'README.md').read_text()
    rows = [line for line in readme.splitlines() if line.startswith('| `')]
    assert [row.split('`')[1] for row in rows] == [e.id for e in catalog.load()] + [new]
    assert rows[-1] == f'| `{new}` | Sigmoid: σ(x) | 5 | `engine.py` |'
    assert f'{len(rows)} exercises, {sum(e.points for e in catalog.load()) + 5} points' in readme
