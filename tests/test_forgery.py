"""Untouched stubs that try every bypass we know still score 0: in `grade check`, in `grade batch`
beside an honest classmate graded at the same time, and in the Gradescope run. At the namespaces
and uid levels, each skipped with the reason where this machine lacks it."""
import csv
import json
import os
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.sandbox.isolation import why_not
from hostile.processes import processes_mentioning

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / 'hostile'
LEVELS = [pytest.param(level, marks=pytest.mark.skipif(bool(why_not(level)), reason=why_not(level) or 'available'))
          for level in ('namespaces', 'uid')]
SECRET = 'carol-secret-7f3a'
# Past the hook: borrow the reference, or a classmate's copy graded at the same time; plant a .pth,
# leave a daemon, and kill whatever can be killed. Then become whatever engine was found.
BYPASS = '''
try:
    _found = escape("""
import glob, os, signal
found = ''
for pattern in ('@ROOT@/micrograd_ref/engine.py', '/tmp/**/engine.py', '/run/**/engine.py', '/**/snapshot/engine.py'):
    for path in glob.glob(pattern, recursive=True):
        try:
            found += open(path).read() + '\\\\n'
        except OSError:
            pass
try:
    open('@PURELIB@/forged-@MARKER@.pth', 'w').write('import os\\\\n')
except OSError:
    pass
out.write(found)
out.close()
if os.fork() == 0:
    os.setsid()
    import time
    time.sleep(300)  # @MARKER@
os.kill(-1, signal.SIGKILL)
""")
except Exception:
    _found = ''
print(_found[:3000])
if 'class Value' in _found:
    exec(_found[_found.index('class Value'):].split('\\n\\n\\n', 1)[0])
'''


def forger(folder, marker):
    """The untouched stubs, with the bypass at the end of every Python file."""
    folder.mkdir(parents=True)
    escape = (HOSTILE / 'escape.py').read_text()
    bypass = BYPASS.replace('@ROOT@', str(ROOT)).replace('@MARKER@', marker).replace(
        '@PURELIB@', sysconfig.get_path('purelib'))
    for stub in (ROOT / 'exercises').glob('*'):
        if stub.suffix == '.py':
            (folder / stub.name).write_text(escape + '\n' + stub.read_text() + '\n' + bypass)
        elif stub.suffix == '.toml':
            (folder / stub.name).write_text(stub.read_text())
    return folder


def honest(folder):
    folder.mkdir(parents=True)
    for solution in (ROOT / 'solutions').glob('*'):
        text = solution.read_text()
        (folder / solution.name).write_text(text + f'\n# {SECRET}\n' if solution.suffix == '.py' else text)
    return folder


def no_traces(marker):
    assert processes_mentioning(marker) == [], 'a process the forger started is still running'
    assert list(Path(sysconfig.get_path('purelib')).glob(f'*{marker}*')) == [], 'a .pth was planted'


@pytest.mark.parametrize('level', LEVELS)
def test_grade_check_gives_the_forger_nothing(tmp_path, level):
    marker = f'forger-{time.time_ns()}'
    sub = forger(tmp_path / 'mallory', marker)
    result = CliRunner().invoke(main, ['check', '-s', str(sub), '--isolation', level, '--format', 'json'])
    report = json.loads(result.output)
    assert result.exit_code == 1 and report['score'] == 0, [(e['id'], e['points']) for e in report['exercises']]
    assert report['isolation'] == level
    no_traces(marker)


@pytest.mark.parametrize('level', LEVELS)
def test_grade_batch_gives_the_forger_nothing_and_carol_everything(tmp_path, level):
    marker = f'forger-{time.time_ns()}'
    klass = tmp_path / 'class'
    forger(klass / 'mallory', marker)
    honest(klass / 'carol')
    before = {p.name: p.read_bytes() for p in (klass / 'carol').iterdir()}
    out = tmp_path / 'graded'
    result = CliRunner().invoke(main, ['batch', str(klass), '--out', str(out), '--jobs', '2', '--isolation', level])
    assert result.exit_code == 0, result.output
    rows = {r['submission']: r for r in csv.DictReader((out / 'grades.csv').open())}
    assert float(rows['mallory']['score']) == 0 and rows['carol']['score'] == rows['carol']['max_score'], rows
    feedback = (out / 'mallory' / 'feedback.txt').read_text()
    assert SECRET not in feedback and 'class Value' not in feedback, 'the forger read a classmate or the reference'
    assert {p.name: p.read_bytes() for p in (klass / 'carol').iterdir()} == before, "carol's submission changed"
    no_traces(marker)


@pytest.mark.parametrize('level', LEVELS)
def test_the_gradescope_run_gives_the_forger_nothing(tmp_path, level):
    marker = f'forger-{time.time_ns()}'
    made = CliRunner().invoke(main, ['export', 'gradescope', '--out', str(tmp_path / 'autograder.zip')])
    assert made.exit_code == 0, made.output
    root = tmp_path / 'autograder'
    for sub in ('source', 'results'):
        (root / sub).mkdir(parents=True)
    with zipfile.ZipFile(tmp_path / 'autograder.zip') as z:
        z.extractall(root / 'source')
    (root / 'source' / 'run_autograder').chmod(0o755)
    forger(root / 'submission', marker)
    env = {**os.environ, 'AUTOGRADER_ROOT': str(root), 'GRADER_PYTHON': sys.executable, 'GRADER_ISOLATION': level}
    proc = subprocess.run([str(root / 'source' / 'run_autograder')], env=env, capture_output=True, text=True, timeout=300)
    results = json.loads((root / 'results' / 'results.json').read_text())
    assert results['score'] == 0 and results['tests'], (proc.stderr, results.get('output'))
    no_traces(marker)
