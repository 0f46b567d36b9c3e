"""The batch's grading processes: reused across submissions without carrying anything over, and stopped by Ctrl-C."""
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from batch_helpers import TANH, processes_inside, read_csv, tree_hash
from hostile.processes import children_of_this_process as children
from grader.batch import outputs, worker
from grader.batch.run import run_batch
from grader.batch.worker import Workers
from grader.sandbox.limits import Limits
from interruptible import INTERRUPTIBLE
from mutate import make_submission

ROOT = Path(__file__).resolve().parent.parent


def test_one_grading_process_in_a_row_gives_fresh_answers(tmp_path):
    """Grading processes serve many submissions: a bug seen before must not colour the next report."""
    workers = Workers(Limits())  # nothing here loops: the default bounds keep a busy machine from failing it
    try:
        order = [make_submission(tmp_path, [TANH], name='bug1'), make_submission(tmp_path, name='good'),
                 make_submission(tmp_path, [TANH], name='bug2')]
        reports = [workers.grade(p.name, p).report for p in order]
        assert len(workers._processes) == 1, 'the three were not graded by one process'
    finally:
        workers.close()
    summary = [[(e.id, e.status, e.points) for e in r.exercises] for r in reports]
    assert summary[0] == summary[2] and reports[1].full_marks and not reports[0].full_marks
    local = next(e for e in reports[2].exercises if e.id == 'local_backward')
    assert [c.feedback.misconception for c in local.checks if not c.passed][:1] == ['tanh_uses_input']


def sleepy_class(tmp_path):
    klass = tmp_path / 'class'
    for name in ('a', 'b', 'c'):
        (klass / name).mkdir(parents=True)
        (klass / name / 'derivatives.py').write_text('import time\ntime.sleep(1)\n' +
                                                     (ROOT / 'solutions' / 'derivatives.py').read_text())
    return klass


def interrupt_batch(tmp_path, klass, out, *extra):
    """A real `grade batch` process, interrupted while it grades its second submission."""
    scratch = tmp_path / 'scratch'
    scratch.mkdir(exist_ok=True)
    env = {**os.environ, 'PYTHONPATH': str(ROOT), 'TMPDIR': str(scratch)}
    proc = subprocess.Popen([sys.executable, '-m', 'grader', 'batch', str(klass), '--out', str(out), '--jobs', '1', *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
                            **INTERRUPTIBLE)
    first = proc.stderr.readline()
    assert first.startswith('1/3 a 5/'), first
    time.sleep(0.3)  # b's grading process is running now
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert list(scratch.iterdir()) == [], 'a private copy was left behind'
    assert not processes_inside(scratch), 'a grading process outlived the batch'
    return stdout


def test_sigint_mid_batch_leaves_valid_files_and_a_rerun_finishes(tmp_path):
    klass, out = sleepy_class(tmp_path), tmp_path / 'out'
    before = tree_hash(klass)
    stdout = interrupt_batch(tmp_path, klass, out)
    assert f'Interrupted: 2 not graded yet. To finish them without starting over, run: grade batch {klass}' in stdout
    assert sorted(read_csv(out / 'grades.csv')) == ['a']
    for path in out.rglob('*'):
        assert not path.name.startswith(outputs.TEMP_PREFIX), path
        if path.suffix == '.json':
            json.loads(path.read_text())
    assert not (out / 'b' / 'results.json').exists()
    assert tree_hash(klass) == before
    rerun = run_batch(klass, out, jobs=2)
    assert rerun.skipped == ['a'] and sorted(rerun.graded) == ['b', 'c']
    assert sorted(read_csv(out / 'grades.csv')) == ['a', 'b', 'c']


def test_an_interrupted_force_run_keeps_every_row_and_a_plain_rerun_finishes_it(tmp_path):
    klass, out = sleepy_class(tmp_path), tmp_path / 'out'
    assert sorted(run_batch(klass, out, jobs=2).graded) == ['a', 'b', 'c']
    stdout = interrupt_batch(tmp_path, klass, out, '--force')
    finish = stdout.split('without starting over, run: ')[1].splitlines()[0]
    assert '--force' not in finish and finish.startswith('grade batch '), finish
    assert sorted(read_csv(out / 'grades.csv')) == ['a', 'b', 'c'], 'an interrupted --force run lost a row'
    rerun = run_batch(klass, out, jobs=2)
    assert rerun.skipped == ['a'] and sorted(rerun.graded) == ['b', 'c'], 'the rerun did not pick up where --force stopped'
    assert not (out / outputs.REGRADE).exists()
    assert sorted(run_batch(klass, out, jobs=2).skipped) == ['a', 'b', 'c']


@pytest.mark.parametrize('launch, seconds, note', [
    ('import os; os._exit(3)', 30.0, 'the grading process died (exit code 3)'),
    ('import sys; sys.stdout.write("nonsense\\n"); sys.stdout.flush(); sys.stdin.read()', 30.0, 'not JSON'),
    ('import time; time.sleep(60)', 0.2, 'grading did not finish in time'),
])
def test_a_broken_grading_process_costs_one_submission(tmp_path, monkeypatch, launch, seconds, note):
    monkeypatch.setattr(worker, 'LAUNCH', launch)
    monkeypatch.setattr(worker, 'SLACK_SECONDS', 0.3)
    (tmp_path / 'alice').mkdir()
    (tmp_path / 'alice' / 'engine.py').write_text('x = 1\n')
    workers = Workers(Limits(submission_seconds=seconds))
    try:
        outcome = workers.grade('alice', tmp_path / 'alice')
        assert note in outcome.note and outcome.report.score == 0
        assert not workers._processes, 'the broken process is still counted as serving'
        again = workers.grade('alice', tmp_path / 'alice')  # a fresh process is started for the next one
        assert note in again.note
    finally:
        workers.close()
    assert not children(), 'a grading process was left running'


def test_a_newline_in_a_folder_name_mixes_nothing_up(tmp_path):
    """Requests are JSON, so a name with a newline in it is one request, and each reply names its folder."""
    klass = tmp_path / 'class'
    odd = klass / 'alice' / 'my\nexercises'
    odd.mkdir(parents=True)
    shutil.copy(ROOT / 'solutions' / 'derivatives.py', odd)
    (klass / 'bob').mkdir()
    (klass / 'bob' / 'derivatives.py').write_text('def numerical_derivative(f, x, h):\n    return 0\n')
    run_batch(klass, tmp_path / 'out', jobs=1)
    rows = read_csv(tmp_path / 'out' / 'grades.csv')
    assert (rows['alice']['derivatives'], rows['bob']['derivatives']) == ('5', '0')
    assert rows['alice']['note'] == rows['bob']['note'] == ''


def test_a_grading_process_killed_outright_costs_only_the_row_it_held(tmp_path):
    """SIGKILL from outside, as the OOM killer would: the submission it held gets a note, the batch goes on."""
    klass, out = sleepy_class(tmp_path), tmp_path / 'out'

    def kill_during_the_next(tick):
        if tick.done == 1:
            threading.Timer(0.4, lambda: [os.kill(pid, signal.SIGKILL) for pid in serving()]).start()

    result = run_batch(klass, out, jobs=1, on_tick=kill_during_the_next)
    rows = read_csv(out / 'grades.csv')
    assert sorted(rows) == ['a', 'b', 'c'] and not result.interrupted
    assert 'the grading process died (exit code -9)' in rows['b']['note'], rows['b']
    assert rows['a']['note'] == rows['c']['note'] == '' and rows['c']['derivatives'] == '5', rows


def serving():
    """Pids of this test's batch grading processes."""
    mine, found = str(os.getpid()), []
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open(f'/proc/{pid}/stat') as f:
                parent = f.read().rsplit(')', 1)[1].split()[1]
            with open(f'/proc/{pid}/cmdline', 'rb') as f:
                command = f.read()
        except OSError:
            continue
        if parent == mine and b'grader.batch.serve' in command:
            found.append(int(pid))
    return found
