"""The exports: what the Gradescope zip holds, run_autograder run for real, and the GitHub Classroom workflow."""
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import catalog
from grader.cli import main

ROOT = Path(__file__).resolve().parent.parent
FULL = sum(e.points for e in catalog.load())


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope='module')
def autograder_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp('export') / 'autograder.zip'
    result = run('export', 'gradescope', '--out', out)
    assert result.exit_code == 0 and f'wrote {out}' in result.output
    return out


@pytest.mark.counts
def test_zip_holds_setup_run_and_the_grader_but_no_solutions_or_tests(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as z:
        infos = {i.filename: i for i in z.infolist()}
        texts = {name: z.read(name) for name in infos}
    for name, info in infos.items():
        mode = info.external_attr >> 16
        assert info.create_system == 3 and stat.S_ISREG(mode), f'{name} is not marked as a regular Unix file'
        assert stat.S_IMODE(mode) == (0o755 if name in ('setup.sh', 'run_autograder') else 0o644), name
    for script in ('setup.sh', 'run_autograder'):
        assert texts[script].startswith(b'#!/usr/bin/env bash\n')
    assert {f'grader-src/grader/checks/{e.id}.py' for e in catalog.load()} <= set(infos)
    assert {'grader-src/pyproject.toml', 'grader-src/grader/catalog.toml', 'grader-src/micrograd_ref/engine.py'} <= set(infos)
    markers = {line.strip().encode() for p in (ROOT / 'solutions').glob('*.py')
               for line in p.read_text().splitlines() if 'BEGIN SOLUTION' in line}
    assert markers, 'solutions/ has no marked regions to look for'
    solution_texts = {p.read_bytes() for p in (ROOT / 'solutions').iterdir() if p.is_file()}
    for name in infos:
        parts = set(Path(name).parts)
        assert not parts & {'solutions', 'tests', 'mutants', '__pycache__', 'exercises'}, name
        lines = {line.strip() for line in texts[name].splitlines()}
        assert not markers & lines, f'{name} holds a marked solution region'
        assert texts[name] not in solution_texts, f'{name} is a solution file'
    assert b'apt-get install -y -qq bubblewrap' in texts['setup.sh'] and b'grader-src' in texts['setup.sh']
    assert b'chmod 0700 "$VENV"' in texts['setup.sh'] and b'useradd' not in texts['setup.sh']
    assert json.loads(texts['gradescope.json']) == {'visibility': 'visible', 'per_exercise': {}, 'stdout_visibility': 'hidden',
                                                   'output_format': 'text'}


@pytest.mark.skipif(not shutil.which('unzip'), reason='needs the unzip program')
def test_unzip_restores_regular_files_and_executable_scripts(autograder_zip, tmp_path):
    subprocess.run(['unzip', '-q', str(autograder_zip), '-d', str(tmp_path)], check=True, timeout=60)
    modes = {str(p.relative_to(tmp_path)): stat.S_IMODE(p.stat().st_mode) for p in tmp_path.rglob('*') if p.is_file()}
    assert {name for name, mode in modes.items() if mode & 0o111} == {'setup.sh', 'run_autograder'}
    assert modes['setup.sh'] == 0o755 and modes['grader-src/grader/catalog.toml'] == 0o644


def test_the_same_grader_makes_the_same_zip(autograder_zip, tmp_path):
    run('export', 'gradescope', '--out', tmp_path / 'again.zip')
    assert (tmp_path / 'again.zip').read_bytes() == autograder_zip.read_bytes()
    bad = CliRunner().invoke(main, ['export', 'gradescope', '--out', str(tmp_path / 'autograder.tar')])
    assert bad.exit_code == 2 and 'should end in .zip' in bad.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ['again.zip']


def autograder_root(tmp_path, autograder_zip, files):
    """A folder laid out like Gradescope's /autograder, with the zip in source/ and `files` submitted."""
    root = tmp_path / 'autograder'
    for sub in ('source', 'submission', 'results'):
        (root / sub).mkdir(parents=True)
    with zipfile.ZipFile(autograder_zip) as z:
        z.extractall(root / 'source')
    (root / 'source' / 'run_autograder').chmod(0o755)
    for name, text in files.items():
        (root / 'submission' / name).write_text(text)
    return root


def shipped_python(folder, source):
    """A GRADER_PYTHON that runs `-I -m MODULE` with the grader in `source` (what an export ships), not the one here."""
    code = (f'import runpy, sys; sys.path.insert(0, {str(source)!r}); assert sys.argv[1:3] == ["-I", "-m"]; '
            'sys.argv = sys.argv[3:]; runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)')
    launcher = folder / 'python'
    launcher.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -I -c {shlex.quote(code)} "$@"\n')
    launcher.chmod(0o755)
    return launcher


def run_autograder(root, **env):
    python = shipped_python(root, root / 'source' / 'grader-src')
    env = {**os.environ, 'AUTOGRADER_ROOT': str(root), 'GRADER_PYTHON': str(python), **env}
    proc = subprocess.run([str(root / 'source' / 'run_autograder')], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)
    return proc, json.loads((root / 'results' / 'results.json').read_text())


def solution_files():
    return {p.name: p.read_text() for p in (ROOT / 'solutions').iterdir() if p.is_file()}


@pytest.mark.counts
def test_run_autograder_grades_the_submission(tmp_path, autograder_zip):
    root = autograder_root(tmp_path, autograder_zip, solution_files())
    before = {p.name: p.read_bytes() for p in (root / 'submission').iterdir()}
    proc, results = run_autograder(root)
    assert proc.returncode == 0, proc.stderr
    assert results['score'] == FULL and all(t['status'] == 'passed' for t in results['tests'])
    assert [t['name'].split(':')[0] for t in results['tests']] == [e.id for e in catalog.load()]
    assert {p.name: p.read_bytes() for p in (root / 'submission').iterdir()} == before, 'the submission was changed'
    assert f'score {FULL}/{FULL}' in proc.stdout


def test_run_autograder_explains_what_it_cannot_grade(tmp_path, autograder_zip):
    root = autograder_root(tmp_path, autograder_zip, {'answers.txt': 'forgot the code'})
    _, results = run_autograder(root)
    assert results['score'] == 0 and 'no Python files' in results['output']
    (root / 'results' / 'results.json').unlink()
    proc, results = run_autograder(root, GRADER_PYTHON=str(tmp_path / 'no-python'))
    assert results == {'score': 0, 'output': results['output'], 'tests': []}
    assert 'The autograder itself failed (exit code 127)' in results['output']



def test_run_autograder_grades_a_repository_uploaded_inside_a_folder(tmp_path, autograder_zip):
    """myrepo/exercises/*.py, two levels down, with files that are not exercise files beside them."""
    root = autograder_root(tmp_path, autograder_zip, {})
    shutil.copytree(ROOT / 'solutions', root / 'submission' / 'myrepo' / 'exercises',
                    ignore=shutil.ignore_patterns('__pycache__'))
    (root / 'submission' / 'myrepo' / 'README.md').write_text('my notes')
    _, results = run_autograder(root)
    assert results['score'] == FULL, results['output']
    assert results['output'].startswith('How your submission was read:\n ! 1 file(s) that are not exercise files were '
                                        'left out: myrepo/README.md'), results['output']

@pytest.mark.skipif(os.geteuid() != 0, reason='only root can run student code as another user')
def test_student_code_runs_unprivileged(tmp_path, autograder_zip):
    probe = 'import os\nassert os.geteuid() != 0, "running as root"\n' + (ROOT / 'solutions' / 'derivatives.py').read_text()
    root = autograder_root(tmp_path, autograder_zip, {'derivatives.py': probe})
    _, unisolated = run_autograder(root, GRADER_ISOLATION='none', GRADER_ALLOW_UNISOLATED='1')
    assert unisolated['tests'][0]['status'] == 'failed', 'the probe cannot tell root from another user'
    _, results = run_autograder(root)
    assert results['tests'][0]['status'] == 'passed' and results['score'] == 5, json.dumps(results)[:2000]


def test_run_autograder_refuses_to_grade_without_isolation(tmp_path, autograder_zip):
    root = autograder_root(tmp_path, autograder_zip, solution_files())
    proc, results = run_autograder(root, GRADER_ISOLATION='none')
    assert results['score'] == 0 and 'The autograder itself failed' in results['output']
    assert 'grades that count need kernel isolation' in proc.stderr, proc.stderr


def test_shipped_source_builds_a_wheel_with_every_check(tmp_path, autograder_zip):
    # Built as setup.sh builds it, in pip's isolated build environment: whatever happens to be
    # installed here must not stand in for the build requirements the shipped pyproject.toml declares.
    with zipfile.ZipFile(autograder_zip) as z:
        z.extractall(tmp_path / 'source')
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '-w',
                    str(tmp_path / 'dist'), str(tmp_path / 'source' / 'grader-src')], check=True, timeout=120)
    (wheel,) = (tmp_path / 'dist').glob('*.whl')
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f'grader/checks/{e.id}.py' for e in catalog.load()} <= names
    assert {'grader/catalog.toml', 'grader/sandbox/child.py', 'micrograd_ref/nn.py',
            'grader/export/templates/run_autograder'} <= names


def workflow_steps(text):
    """The workflow's steps as dicts of their `key: value` lines (those under `with:` and `env:` included)."""
    steps, current = [], None
    for line in text.splitlines():
        if line.startswith('      - '):
            current = {}
            steps.append(current)
            line = line.replace('-', ' ', 1)
        match = re.fullmatch(r'\s+([\w-]+): (.+)', line)
        if current is not None and match:
            current[match.group(1)] = match.group(2)
    return steps


@pytest.fixture(scope='module')
def starter(tmp_path_factory):
    """A student bundle, as `grade publish --out` writes it: the template repository of an assignment."""
    from grader.publish.bundle import write_bundle
    return Path(write_bundle(ROOT / 'solutions', tmp_path_factory.mktemp('classroom') / 'starter').folder)


@pytest.fixture
def template(starter, tmp_path):
    """A fresh copy of the bundle for one test to write into."""
    return Path(shutil.copytree(starter, tmp_path / 'starter'))


@pytest.mark.counts
def test_github_classroom_workflow_grades_each_exercise(template):
    result = run('export', 'github-classroom', '--out', template)
    path = template / '.github' / 'workflows' / 'classroom.yml'
    assert result.exit_code == 0 and str(path) in result.output
    text = path.read_text()
    assert '\t' not in text and '@' + 'STEPS@' not in text
    steps = workflow_steps(text)
    assert steps[0]['uses'].startswith('actions/checkout@') and steps[2]['run'] == 'python -m pip install .'
    graders = [s for s in steps if s.get('uses') == 'classroom-resources/autograding-command-grader@v1']
    assert [(s['id'], int(s['max-score'])) for s in graders] == [(e.id, e.points) for e in catalog.load()]
    assert all(s['command'] == f"grade check {s['id']} --submission exercises" for s in graders)
    reporter = steps[-1]
    assert reporter['uses'] == 'classroom-resources/autograding-grading-reporter@v1'
    assert reporter['runners'] == ','.join(e.id for e in catalog.load())
    for e in catalog.load():
        assert reporter[f'{e.id.upper()}_RESULTS'] == f'"${{{{steps.{e.id}.outputs.result}}}}"'


def test_a_workflow_command_exits_0_only_when_its_exercise_passes(tmp_path, template):
    run('export', 'github-classroom', '--out', template)
    command = workflow_steps((template / '.github/workflows/classroom.yml').read_text())[3]['command'].split()
    assert command[:3] == ['grade', 'check', 'derivatives']
    for folder, code in (('solutions', 0), ('exercises', 1)):
        shutil.copytree(ROOT / folder, tmp_path / folder / 'exercises')
        proc = subprocess.run([sys.executable, '-m', 'grader', *command[1:]], cwd=tmp_path / folder, timeout=60,
                              capture_output=True, env={**os.environ, 'PYTHONPATH': str(ROOT)})
        assert proc.returncode == code, proc.stdout


def test_github_classroom_refuses_an_unsafe_install(template):
    result = CliRunner().invoke(main, ['export', 'github-classroom', '--out', str(template), '--install', 'x; rm -rf ~'])
    assert result.exit_code == 2 and 'would not survive the workflow file' in result.output
    assert not (template / '.github').exists()


def test_github_classroom_writes_only_into_a_student_bundle(tmp_path, monkeypatch):
    """Never into the repository that holds the solutions (the default --out is `.`), nor into what grades nothing."""
    project = tmp_path / 'project'
    for folder in ('solutions', 'exercises', 'grader'):
        (project / folder).mkdir(parents=True)
    (project / 'pyproject.toml').write_text('[project]\nname = "x"\n')
    (tmp_path / 'afile').write_text('x')
    (tmp_path / 'empty').mkdir()
    (tmp_path / 'exercises-only' / 'exercises').mkdir(parents=True)
    monkeypatch.chdir(project)
    for args, message in [([], "'.' holds solutions/: the workflow would go into the repository that holds the solutions"),
                          (['--out', str(project)], 'holds solutions/'),
                          (['--out', str(tmp_path / 'afile')], f"there is no folder '{tmp_path / 'afile'}': write the student bundle"),
                          (['--out', str(tmp_path / 'nothere')], f"there first (grade publish --out {tmp_path / 'nothere'})"),
                          (['--out', str(tmp_path / 'empty')], 'is not a student bundle: it has no exercises/ for the workflow to grade'),
                          (['--out', str(tmp_path / 'exercises-only')], 'holds no grader for the workflow to install (--install .)')]:
        result = CliRunner().invoke(main, ['export', 'github-classroom', *args])
        assert result.exit_code == 2 and message in ' '.join(result.output.split()), (args, result.output)
    assert not list(tmp_path.rglob('.github')) and (tmp_path / 'afile').read_text() == 'x'
    installed = CliRunner().invoke(main, ['export', 'github-classroom', '--out', str(tmp_path / 'exercises-only'),
                                          '--install', 'git+https://github.com/you/grader@v1'])
    assert installed.exit_code == 0 and (tmp_path / 'exercises-only' / '.github' / 'workflows' / 'classroom.yml').is_file()


def test_an_out_that_cannot_be_written_is_a_clear_error(tmp_path, template):
    (tmp_path / 'afile').write_text('x')
    (template / '.github').write_text('x')
    for args in (['gradescope', '--out', tmp_path / 'afile' / 'autograder.zip'], ['github-classroom', '--out', template]):
        result = CliRunner().invoke(main, ['export', *map(str, args)])
        assert result.exit_code == 1 and "Error: cannot write into" in result.output, result.output
    assert (tmp_path / 'afile').read_text() == 'x' and (template / '.github').read_text() == 'x'


def test_gradescope_options_reach_results_json_and_each_explanation_is_given_once(tmp_path):
    from batch_helpers import TANH
    from grader.feedback.misconceptions import MISCONCEPTIONS
    from mutate import make_submission

    out = tmp_path / 'options.zip'
    result = run('export', 'gradescope', '--out', out, '--visibility', 'hidden', '--visibility', 'quiz=after_due_date',
                 '--stdout-visibility', 'visible', '--output-format', 'md')
    assert result.exit_code == 0, result.output
    submission = make_submission(tmp_path, [TANH])
    root = autograder_root(tmp_path, out, {p.name: p.read_text() for p in submission.iterdir() if p.is_file()})
    _, results = run_autograder(root)
    scores = {t['name'].split(':')[0]: t['score'] for t in results['tests']}
    full = catalog.get('local_backward').points
    assert 0 < scores['local_backward'] < full and scores['derivatives'] == catalog.get('derivatives').points
    assert results['score'] == round(sum(scores.values()), 2)
    assert (results['output_format'], results['test_output_format'], results['stdout_visibility']) == ('md', 'md', 'visible')
    assert {t['name'].split(':')[0]: t['visibility'] for t in results['tests']} == {
        e.id: 'after_due_date' if e.id == 'quiz' else 'hidden' for e in catalog.load()}
    local = next(t['output'] for t in results['tests'] if t['name'].startswith('local_backward'))
    explanation = MISCONCEPTIONS['tanh_uses_input'].explanation
    shown = re.sub(r'\n +', ' ', local)  # explanations are wrapped at 100 columns
    assert shown.count(explanation) == 1, local  # every failure this mistake explains is folded into one
    assert re.match(r'\*\*\d+ of \d+ checks fail\*\*\n\n✗ \*\*tanh', local) and '\n```text\n' in local, local
    assert 'and 2 more inputs fail the same way' in local
    assert '\na = Value(-0.7)\n' in local, 'the code block is dedented as a whole'


@pytest.mark.parametrize('args, message', [
    (['--visibility', 'secret'], "visibility 'secret' is not one of Gradescope's: visible, hidden"),
    (['--visibility', 'backwards=hidden'], "unknown exercise 'backwards'. Did you mean: backward"),
    (['--visibility', 'quiz=later'], "visibility of quiz 'later' is not one of Gradescope's"),
    (['--output-format', 'html'], "'html' is not one of 'text', 'md'"),
    (['--stdout-visibility', 'everyone'], "'everyone' is not one of 'visible', 'hidden'"),
])
def test_gradescope_refuses_options_it_cannot_honour(tmp_path, args, message):
    result = CliRunner().invoke(main, ['export', 'gradescope', '--out', str(tmp_path / 'a.zip'), *args])
    assert result.exit_code == 2 and message in result.output, result.output
    assert list(tmp_path.iterdir()) == []


def test_grade_check_gradescope_format_explains_a_misconception_once(tmp_path):
    from batch_helpers import TANH
    from grader.feedback.misconceptions import MISCONCEPTIONS
    from mutate import make_submission

    result = run('check', 'local_backward', '--submission', make_submission(tmp_path, [TANH]), '--format', 'gradescope')
    doc = json.loads(result.output)
    (test,) = doc['tests']
    assert (doc['output_format'], test['output_format'], test['visibility']) == ('text', 'text', 'visible')
    start = MISCONCEPTIONS['tanh_uses_input'].explanation[:60]
    assert test['output'].count(start) == 1 and 'and 2 more inputs fail the same way' in test['output'], test['output']


def documented_lines(doc: Path, needle: str) -> list[str]:
    """The lines of the doc's bash block that holds `needle`, as an instructor would paste them."""
    blocks = re.findall(r'^```bash\n(.*?)^```', doc.read_text(), flags=re.S | re.M)
    (block,) = [b for b in blocks if needle in b]
    return [line for line in block.splitlines() if line.strip()]


def run_documented(lines: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """The lines run by bash in `cwd`, where `python` is this Python and `grade` is this project's grader."""
    python = shlex.quote(sys.executable)
    script = '\n'.join(['set -eu', f'python() {{ {python} "$@"; }}',
                        f'grade() {{ PYTHONPATH={shlex.quote(str(ROOT))} {python} -m grader "$@"; }}', *lines])
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'VIRTUAL_ENV')}
    return subprocess.run(['bash', '-c', script], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def installed_grader(venv_python: Path) -> Path:
    """Where that Python, run as the scripts run it (-I), imports the grader from."""
    found = subprocess.run([str(venv_python), '-I', '-c', 'import grader; print(grader.__file__)'],
                           capture_output=True, text=True, timeout=60, cwd='/')
    return Path(found.stdout.strip())


@pytest.mark.skipif(not shutil.which('unzip'), reason='the README unzips with the unzip program')
def test_the_readmes_local_run_of_run_autograder_tests_the_zip_not_this_project(tmp_path):
    """The README's lines, run as written: the zip's grader-src in a venv of its own, never this working copy."""
    lines = documented_lines(ROOT / 'README.md', 'run_autograder')
    assert not [line for line in lines if 'which python' in line], 'the project\'s Python imports this working copy'
    shutil.copytree(ROOT / 'solutions', tmp_path / 'solutions', ignore=shutil.ignore_patterns('__pycache__'))
    done = run_documented(lines, tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads((tmp_path / 'try' / 'results' / 'results.json').read_text())
    assert results['score'] == FULL and f'score {FULL}/{FULL}' in done.stdout, done.stdout[-2000:]
    grader_file = installed_grader(tmp_path / 'try' / 'venv' / 'bin' / 'python')
    assert grader_file.is_relative_to(tmp_path / 'try' / 'venv') and not grader_file.is_relative_to(ROOT), grader_file
