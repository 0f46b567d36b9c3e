"""The sandbox's limits and its replies. What each isolation level keeps from the student's code is in
test_isolation.py, hostile submissions are in test_hostile.py, and what must not outlive grading in
test_nothing_left_running.py."""
import os
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from grader.checking.student import CheckFailed, Student
from grader.cli import main
from grader.grading import grade
from grader.sandbox.limits import LimitError, format_size, parse_size
from grader.sandbox.process import Child
from grader.sandbox.replies import SHAPES, conforms
from grader.sandbox.runner import Limits, Sandbox
from grader.sandbox.runtime import Runtime
from grader.sandbox.workspace import SandboxError, Workspace
from hostile.processes import children_of_this_process
from mutate import make_submission

FAST = Limits(check_seconds=1.0, submission_seconds=30.0)  # where running out of time is the point
STEADY = Limits(check_seconds=5.0, submission_seconds=30.0)  # elsewhere: a loaded machine must not time out
MUL = "        out = Value(self.data * other.data, (self, other), '*')"
DERIVATIVE = '    return (f(x + h) - f(x)) / h'
CALL = {'module': 'derivatives', 'function': 'numerical_derivative', 'args': [{'f': 'lecture'}, 3.0, 0.001]}


def derivative_returning(tmp_path, expression, name='submission', before=''):
    """Solutions whose numerical_derivative returns `expression` (after running `before`)."""
    return make_submission(tmp_path, [('derivatives.py', DERIVATIVE, f'    {before}\n    return {expression}')], name=name)


def test_loop_in_a_method_times_out_and_grading_goes_on(tmp_path):
    sub = make_submission(tmp_path, [('engine.py', MUL, "        while True:\n            pass")])
    start = time.monotonic()
    report = grade(sub, ['forward_ops', 'derivatives'], FAST)
    assert time.monotonic() - start < 10
    assert {e.id: e.status for e in report.exercises} == {'derivatives': 'passed', 'forward_ops': 'failed'}
    assert {c.feedback.kind for c in report.exercises[0].checks if not c.passed} == {'timeout'}
    first = report.exercises[0].first_failure.feedback
    lines = (sub / 'engine.py').read_text().splitlines()
    loop = lines.index('            pass')  # counted from 1, the line of `while True:` before it
    assert first.where in (f'engine.py:{loop}', f'engine.py:{loop + 1}') and 'It was running __mul__()' in first.summary
    assert first.expression.strip() == lines[int(first.where.split(':')[1]) - 1].strip()
    assert children_of_this_process() == []


def test_sandbox_restarts_after_a_crash(tmp_path):
    sub = make_submission(tmp_path, [('derivatives.py', DERIVATIVE, '    import os; os._exit(3)')])
    with Sandbox(sub, STEADY) as sandbox:
        crashed = sandbox.request('call', CALL, ('derivatives',))
        sandbox.begin_check()
        fine = sandbox.request('call', dict(CALL, function='symmetric_derivative'), ('derivatives',))
    assert not crashed.ok and 'exit code 3' in crashed.error['message']
    assert fine.ok and abs(fine.result - 14.0) < 1e-6
    assert children_of_this_process() == []


def test_the_whole_submission_has_a_deadline(tmp_path):
    sub = make_submission(tmp_path, [('engine.py', MUL, "        import time; time.sleep(0.4)\n" + MUL)])
    start = time.monotonic()
    report = grade(sub, ['forward_ops'], Limits(check_seconds=5.0, submission_seconds=1.0))
    assert time.monotonic() - start < 5
    summaries = [c.feedback.summary for c in report.exercises[0].checks if not c.passed]
    assert report.score == 0 and any('the whole submission ran out of time' in s for s in summaries), summaries


def test_output_keeps_only_the_tail_of_a_flood(tmp_path):
    sub = derivative_returning(tmp_path, '14.0', before="print('z' * 3_000_000 + 'THE END')")
    with Sandbox(sub, Limits(output_bytes=10_000)) as sandbox:
        sandbox.begin_check()
        reply = sandbox.request('call', CALL, ('derivatives',))
        kept = bytes(sandbox._child.output)
    assert reply.ok and reply.result == 14.0
    assert len(kept) == 10_000 and kept.rstrip().endswith(b'THE END')


def test_memory_limit_reaches_the_child_through_the_cli(tmp_path):
    sub = make_submission(tmp_path)
    (sub / 'engine.py').write_text('_ballast = bytes(600 << 20)\n' + (sub / 'engine.py').read_text())
    runner = CliRunner()
    roomy = runner.invoke(main, ['check', 'forward_ops', '-s', str(sub)])
    tight = runner.invoke(main, ['check', 'forward_ops', '-s', str(sub), '--memory', '512M'])
    assert roomy.exit_code == 0, roomy.output
    assert tight.exit_code == 1 and 'your code ran out of memory (the limit is 512M)' in tight.output


@pytest.mark.parametrize('args, message', [
    (['--memory', '12X'], "'12X' is not a size"),
    (['--memory', '10M'], 'must be at least 64M'),
    (['--check-seconds', '0'], 'must be a number of seconds above 0'),
    (['--submission-seconds', 'nan'], 'must be a number of seconds above 0'),
    (['--output-cap', '-1'], "'-1' is not a size"),
    (['--disk', '1K'], 'must be at least 1M'),
    (['--memory', '99999999999999999999G'], 'must be at most 1T'),
    (['--disk', '9000000T'], 'must be at most 1T'),
    (['--isolation', 'chroot'], "'chroot' is not one of 'auto', 'namespaces', 'uid', 'none'"),
])
def test_bad_limits_are_usage_errors(args, message):
    result = CliRunner().invoke(main, ['check', '-s', 'solutions', *args])
    assert result.exit_code == 2 and message in result.output, result.output


def test_limits_check_themselves_and_sizes_read_back():
    with pytest.raises(LimitError) as bad:
        Limits(memory_bytes=1 << 20)
    assert bad.value.field == 'memory_bytes'
    assert [parse_size(s) for s in ('1G', '512m', '64KiB', '1048576', '1.5K')] == [1 << 30, 512 << 20, 64 << 10, 1 << 20, 1536]
    assert [format_size(n) for n in (1 << 30, 512 << 20, 1000)] == ['1G', '512M', '1000']
    with pytest.raises(ValueError):
        parse_size('lots')


def test_forged_shapes_are_refused():
    assert conforms({'values': [1.0], 'grads': [0.5]}, SHAPES['loss'])
    assert conforms({'nodes': [{'object': {'__object__': 'str'}}], 'traces': []}, SHAPES['expression'])
    for forged in ('full marks', {'values': 'all'}, {'values': [1.0], 'grads': None}, None, [1, 2]):
        assert not conforms(forged, SHAPES['loss']), forged
    assert not conforms({'nodes': [{'data': 1, 'grad': 0, 'op': '+', 'prev': ['x']}], 'traces': []},
                        SHAPES['expression'])


FORGE = ("import json, os, sys; f = sys._getframe()\n    while 'request' not in f.f_locals: f = f.f_back\n"
         "    os.write(json.loads(sys.argv[1])['tx'], (json.dumps({'id': f.f_locals['request']['id'], 'ok': True, "
         "'result': {'nodes': 3}}) + '\\n').encode())")
LOSS = {'module': 'derivatives', 'function': 'numerical_derivative', 'inputs': [1.0], 'extra': [3.0, 0.001]}


def test_the_sandbox_refuses_a_forged_reply_whoever_asks(tmp_path):
    sub = derivative_returning(tmp_path, '14.0', before=FORGE)
    with Sandbox(sub, STEADY) as sandbox:  # as `grade graph` asks: straight from the sandbox
        reply = sandbox.request('loss', LOSS, ('derivatives',))
    assert not reply.ok and reply.error['kind'] == 'protocol', reply
    assert reply.error['message'].endswith('(an answer of the wrong shape)')


def test_a_forged_reply_reads_as_the_students_doing(tmp_path):
    sub = derivative_returning(tmp_path, '14.0', before=FORGE)
    with Sandbox(sub, STEADY) as sandbox:
        sandbox.begin_check()
        with pytest.raises(CheckFailed) as failed:
            Student(sandbox, 'derivatives').run('loss', LOSS, ('derivatives',))
    feedback = failed.value.feedback
    assert feedback.summary == 'your code wrote something the grader could not read as a reply (an answer of the wrong shape)'
    assert feedback.kind == 'crash'


def test_a_child_that_cannot_start_is_a_clear_error_and_leaks_no_pipe(tmp_path):
    before = len(os.listdir('/proc/self/fd'))
    bogus = Runtime('/nonexistent/python', (), (), (), (3, 11))
    workspace = Workspace('none', tmp_path, str(tmp_path), tmp_path, None, bogus)
    with pytest.raises(SandboxError, match=r'could not start the sandbox \(/nonexistent/python\)'):
        Child(workspace, STEADY)
    assert len(os.listdir('/proc/self/fd')) == before


def test_graphs_run_under_the_same_limits_as_the_grading(tmp_path, monkeypatch):
    import grader.feedback.graphs
    import grader.grading
    seen = []

    class Recording(Sandbox):
        def __init__(self, folder, limits=Limits(), **kwargs):
            seen.append(limits)
            super().__init__(folder, limits, **kwargs)

    monkeypatch.setattr(grader.feedback.graphs, 'Sandbox', Recording)
    monkeypatch.setattr(grader.grading, 'Sandbox', Recording)
    sub = make_submission(tmp_path, [('engine.py', "            self.grad += (1 - t**2) * out.grad", "            self.grad += (1 - self.data**2) * out.grad")])
    result = CliRunner().invoke(main, ['check', 'local_backward', '-s', str(sub), '--graphs', str(tmp_path / 'drawn'),
                                       '--check-seconds', '3', '--memory', '700M', '--isolation', 'none'])
    assert result.exit_code == 1, result.output
    assert len(seen) == 2 and seen[0] == seen[1], seen
    assert (seen[0].check_seconds, seen[0].memory_bytes, seen[0].isolation) == (3.0, 700 << 20, 'none')
    assert list((tmp_path / 'drawn').iterdir()), 'nothing was drawn'


def test_windows_gets_a_clear_message_and_nothing_crashes_on_import(tmp_path, monkeypatch):
    # Every module of the grader imports without the POSIX-only modules Windows lacks...
    blocked = "import sys\nfor name in ('pwd', 'grp', 'resource', 'fcntl', 'termios'): sys.modules[name] = None\n"
    importing = blocked + ("import pkgutil, importlib, grader\n"
                           "for m in pkgutil.walk_packages(grader.__path__, 'grader.'):\n"
                           "    if not m.name.startswith(('grader.checks.', 'grader.sandbox.guard', 'grader.__main__')):\n"
                           "        importlib.import_module(m.name)\n"
                           "from grader.cli import main\nprint('imported')")
    done = subprocess.run([sys.executable, '-c', importing], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == 'imported', done.stderr
    # ...and grading says what to do instead of failing somewhere deep.
    monkeypatch.setattr(sys, 'platform', 'win32')
    result = CliRunner().invoke(main, ['check', '-s', str(make_submission(tmp_path))])
    assert result.exit_code == 1 and 'use WSL' in result.output, result.output


def test_an_exercise_file_that_is_a_link_is_left_out_and_says_so(tmp_path):
    sub = make_submission(tmp_path)
    (tmp_path / 'elsewhere.py').write_text((sub / 'derivatives.py').read_text())
    (sub / 'derivatives.py').unlink()
    (sub / 'derivatives.py').symlink_to(tmp_path / 'elsewhere.py')
    report = grade(sub, ['derivatives'], STEADY)
    first = report.exercises[0].first_failure.feedback
    assert report.score == 0 and first.summary == 'derivatives.py is a link: hand in the file itself', first


def test_a_child_is_started_by_the_thread_that_grades(tmp_path, monkeypatch):
    """A child dies with the thread that started it (PR_SET_PDEATHSIG): grade() sets its sandbox up in a
    helper thread while pytest is imported, but must start the child in its own, long-lived thread."""
    import threading
    started_in = []
    real_start = Sandbox.start

    def recording_start(self):
        started_in.append(threading.get_ident())
        return real_start(self)

    monkeypatch.setattr(Sandbox, 'start', recording_start)
    report = grade(make_submission(tmp_path), ['forward_ops'], STEADY)
    assert report.full_marks and started_in == [threading.get_ident()]


@pytest.mark.parametrize('level', ['namespaces', 'uid', 'none'])
def test_the_kernel_ends_a_child_whose_starting_thread_ended(tmp_path, level):
    """Why the rule above: the child of a thread that exits is killed, and the sandbox starts another."""
    import threading
    from grader.sandbox.isolation import why_not
    if why_not(level):
        pytest.skip(why_not(level))
    made = []

    def make_and_use():
        sandbox = Sandbox(make_submission(tmp_path), Limits(isolation=level))
        made.append(sandbox)
        sandbox.begin_check()
        assert sandbox.request('call', CALL, ('derivatives',)).ok  # the child is up, its death signal armed

    thread = threading.Thread(target=make_and_use)
    thread.start()
    thread.join()
    sandbox = made[0]
    try:
        first = sandbox._child
        deadline = time.monotonic() + 5
        while first.alive and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not first.alive, 'the child outlived the thread that started it'
        sandbox.begin_check()
        assert sandbox.request('call', CALL, ('derivatives',)).ok, 'no fresh child was started'
    finally:
        sandbox.close()
