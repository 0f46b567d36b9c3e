"""`grade export prairielearn`: the setup it writes, and its entry script run for real with GRADE_ROOT."""
import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import catalog
from grader.cli import main
from grader.export.image import ENTRYPOINT
from test_export import shipped_python

ROOT = Path(__file__).resolve().parent.parent
FULL = sum(e.points for e in catalog.load())


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    out = tmp_path_factory.mktemp('pl') / 'grader'
    result = CliRunner().invoke(main, ['export', 'prairielearn', '--out', str(out), '--image', 'course/mg:1',
                                       '--timeout', '90'])
    assert result.exit_code == 0 and f'into {out}' in result.output, result.output
    return out


def grade_root(tmp_path, files):
    """A folder laid out like PrairieLearn's /grade, with `files` in student/."""
    root = tmp_path / 'grade'
    (root / 'student').mkdir(parents=True)
    for name, text in files.items():
        (root / 'student' / name).write_text(text)
    return root


def run_entry(setup, root, *args, python=None, **extra):
    """The exported entry script, as PrairieLearn runs it, with GRADE_ROOT pointing at `root`."""
    env = {'PATH': '/usr/bin:/bin', 'GRADE_ROOT': str(root),
           'GRADER_PYTHON': str(python or shipped_python(root.parent, setup / 'grader-src')), **extra}
    proc = subprocess.run([str(setup / 'grade-prairielearn'), *args], env=env, capture_output=True, text=True,
                          timeout=120, cwd=root.parent)
    return proc, json.loads((root / 'results' / 'results.json').read_text())


def folder_files(folder):
    return {p.name: p.read_text() for p in (ROOT / folder).iterdir() if p.is_file() and p.suffix in ('.py', '.toml')}


def test_the_setup_holds_the_image_context_info_json_and_a_guide(setup):
    assert sorted(p.name for p in setup.iterdir()) == ['Containerfile', 'README.md', 'grade-prairielearn', 'grader-src',
                                                      'info.json', 'run_autograder', 'setup.sh']
    executable = {p.name for p in setup.iterdir() if p.is_file() and p.stat().st_mode & stat.S_IXUSR}
    assert executable == {'grade-prairielearn', 'run_autograder', 'setup.sh'}
    options = json.loads((setup / 'info.json').read_text())['externalGradingOptions']
    assert options == {'enabled': True, 'image': 'course/mg:1', 'timeout': 90, 'enableNetworking': False,
                       'entrypoint': f'{ENTRYPOINT} --submission-seconds 75'}
    guide = (setup / 'README.md').read_text()
    assert 'docker build -f Containerfile --build-arg GRADING_USER=root -t course/mg:1 .' in guide and '"timeout": 90' in guide


@pytest.mark.counts
def test_solutions_score_1_and_every_test_has_what_prairielearn_shows(setup, tmp_path):
    root = grade_root(tmp_path, folder_files('solutions'))
    proc, results = run_entry(setup, root)
    assert proc.returncode == 0, proc.stderr
    assert results['gradable'] is True and results['score'] == 1.0, results['message']
    assert results['message'] == f'{FULL}/{FULL} points: {len(catalog.load())} of {len(catalog.load())} exercises pass.'
    assert [t['name'] for t in results['tests']] == [e.id for e in catalog.load()]
    for test, exercise in zip(results['tests'], catalog.load()):
        assert set(test) == {'name', 'description', 'points', 'max_points', 'message', 'output'}
        assert (test['description'], test['points'], test['max_points']) == (exercise.title, exercise.points, exercise.points)
    assert 'Isolation:' in results['output'] and proc.stdout.strip() == 'score 1.0'


@pytest.mark.counts
def test_the_stubs_score_0_with_feedback(setup, tmp_path):
    root = grade_root(tmp_path, folder_files('exercises'))
    proc, results = run_entry(setup, root)
    assert proc.returncode == 0 and results['gradable'] is True and results['score'] == 0, results
    first = results['tests'][0]
    assert (first['points'], first['message']) == (0, 'not implemented yet')
    assert 'not implemented yet: numerical_derivative [derivatives.py:7]' in first['output']
    assert results['message'] == f'0/{FULL} points: 0 of {len(catalog.load())} exercises pass.'


def test_one_exercise_is_graded_and_scored_alone(setup, tmp_path):
    files = folder_files('exercises') | {'derivatives.py': (ROOT / 'solutions' / 'derivatives.py').read_text()}
    root = grade_root(tmp_path, files)
    _, results = run_entry(setup, root, '--submission-seconds', '20', 'derivatives')
    assert [t['name'] for t in results['tests']] == ['derivatives'] and results['score'] == 1.0


def test_a_submission_without_code_is_not_gradable_and_says_why(setup, tmp_path):
    root = grade_root(tmp_path, {'answers.txt': 'forgot the code'})
    proc, results = run_entry(setup, root)
    assert proc.returncode == 0 and results['gradable'] is False and results['score'] == 0
    assert 'no Python files' in results['format_errors'][0] and 'no Python files' in results['output']


def test_a_grader_that_cannot_start_still_writes_results_and_exits_0(setup, tmp_path):
    root = grade_root(tmp_path, folder_files('solutions'))
    proc, results = run_entry(setup, root, python=tmp_path / 'no-python')
    assert proc.returncode == 0, 'PrairieLearn reads results.json only after exit code 0'
    assert results['gradable'] is False and 'The grader itself failed (exit code 127)' in results['message']
    (root / 'results' / 'results.json').unlink()
    proc, results = run_entry(setup, root, 'no_such_exercise')
    assert results['gradable'] is False and 'exit code 2' in results['message']
    assert 'unknown exercise(s): no_such_exercise' in proc.stderr


def test_level_none_is_refused_unless_allowed(setup, tmp_path):
    root = grade_root(tmp_path, folder_files('solutions'))
    proc, results = run_entry(setup, root, GRADER_ISOLATION='none')
    assert proc.returncode == 0 and results['gradable'] is False, results
    assert 'grades that count need kernel isolation' in proc.stderr
    (root / 'results' / 'results.json').unlink()
    proc, results = run_entry(setup, root, GRADER_ISOLATION='none', GRADER_ALLOW_UNISOLATED='1')
    assert results['score'] == 1.0 and 'Isolation: none' in results['output'], proc.stderr


@pytest.mark.parametrize('args, message', [
    (['--timeout', '601'], 'a timeout of 601 s is more than PrairieLearn allows: give at most 600 s'),
    (['--timeout', '10'], "a timeout of 10 s leaves the student's code 0 s, once the grader has its 15 s"),
    (['--timeout', '16'], "a timeout of 16 s leaves the student's code 1 s, once the grader has its 15 s to start and "
                          'write the results: give at least 30 s, so that a check that runs out of time is still reported'),
    (['--timeout', '29'], "leaves the student's code 14 s"),
    (['--image', 'my image'], "'my image' is not an image name Docker accepts"),
    (['--image', 'You/Micrograd-Grader:root'], "'You/Micrograd-Grader:root' is not an image name Docker accepts: Docker "
                                               "takes only lowercase repository names ('you/micrograd-grader', not"),
    (['--image', 'ghcr.io/course/mg:'], 'a tag is 1 to 128 letters'),
    (['--image', 'mg@sha256:nothex'], 'the digest after @ must look like sha256:'),
    (['--exercise', 'backwards'], "unknown exercise 'backwards'. Did you mean: backward"),
])
def test_prairielearn_refuses_what_it_cannot_honour(tmp_path, args, message):
    result = CliRunner().invoke(main, ['export', 'prairielearn', '--out', str(tmp_path / 'pl'), *args])
    assert result.exit_code == 2 and message in ' '.join(result.output.split()), result.output
    assert not (tmp_path / 'pl').exists()


@pytest.mark.parametrize('timeout, image', [(30, 'ghcr.io/course/micrograd-grader:2025'), (600, 'localhost:5000/mg'),
                                            (45, 'registry.example.com:8080/a__b/c-d.e@sha256:' + 'ab' * 32)])
def test_the_least_timeout_and_any_name_docker_takes_are_accepted(tmp_path, timeout, image):
    result = CliRunner().invoke(main, ['export', 'prairielearn', '--out', str(tmp_path / 'pl'), '--image', image,
                                       '--timeout', str(timeout)])
    assert result.exit_code == 0, result.output
    options = json.loads((tmp_path / 'pl' / 'info.json').read_text())['externalGradingOptions']
    assert options['image'] == image and options['entrypoint'].endswith(f'--submission-seconds {timeout - 15}')


def test_the_setup_goes_only_into_a_new_or_empty_folder(tmp_path):
    (tmp_path / 'taken').mkdir()
    (tmp_path / 'taken' / 'keep.txt').write_text('mine')
    result = CliRunner().invoke(main, ['export', 'prairielearn', '--out', str(tmp_path / 'taken')])
    assert result.exit_code == 2 and 'already exists and is not empty' in result.output
    assert [p.name for p in (tmp_path / 'taken').iterdir()] == ['keep.txt']
    assert shutil.which('bash'), 'the entry scripts are bash'


def test_the_guides_local_run_tests_what_the_image_ships_not_this_project(tmp_path):
    """docs/prairielearn.md's export, then its lines for a run on your machine, as written (no docker build)."""
    from test_export import documented_lines, installed_grader, run_documented

    guide = ROOT / 'docs' / 'prairielearn.md'
    export = [line for line in documented_lines(guide, 'grade export prairielearn') if line.startswith('grade export')]
    lines = documented_lines(guide, 'GRADE_ROOT=')
    assert not [line for line in lines if 'which python' in line], 'the project\'s Python imports this working copy'
    shutil.copytree(ROOT / 'solutions', tmp_path / 'solutions', ignore=shutil.ignore_patterns('__pycache__'))
    done = run_documented(export + lines, tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads((tmp_path / 'try' / 'results' / 'results.json').read_text())
    assert results['score'] == 1.0 and results['gradable'] is True, results['message']
    grader_file = installed_grader(tmp_path / 'try' / 'venv' / 'bin' / 'python')
    assert grader_file.is_relative_to(tmp_path / 'try' / 'venv') and not grader_file.is_relative_to(ROOT), grader_file
