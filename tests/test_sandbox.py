"""Student code runs in a child process that can exit, hang, flood or cheat without fooling the grader."""
import os
import time

from grader.grading import grade
from grader.sandbox.runner import Limits, Sandbox
from mutate import make_submission

FAST = Limits(check_seconds=1.0, submission_seconds=30.0)
HEADER = 'import math\n'


def hostile(tmp_path, prefix, file='engine.py', name='submission'):
    """Solutions whose `file` starts with `prefix` (runs at import)."""
    sub = make_submission(tmp_path, name=name)
    path = sub / file
    path.write_text(prefix + '\n' + path.read_text())
    return sub


def statuses(report):
    return {e.id: e.status for e in report.exercises}


def feedback_of(report, exercise):
    e = next(e for e in report.exercises if e.id == exercise)
    return [c.feedback for c in e.checks if not c.passed]


def children_of_this_process():
    mine = str(os.getpid())
    out = []
    for pid in os.listdir('/proc'):
        if pid.isdigit():
            try:
                with open(f'/proc/{pid}/stat') as f:
                    fields = f.read().rsplit(')', 1)[1].split()
            except OSError:
                continue
            if fields[1] == mine and fields[0] != 'Z':
                out.append(pid)
    return out


def test_sys_exit_at_import_is_contained(tmp_path):
    report = grade(hostile(tmp_path, 'import sys; sys.exit(0)'), ['forward_ops', 'derivatives'], FAST)
    assert statuses(report) == {'derivatives': 'passed', 'forward_ops': 'failed'}
    assert 'SystemExit(0)' in feedback_of(report, 'forward_ops')[0].summary


def test_os_exit_at_import_is_a_crash_not_a_pass(tmp_path):
    report = grade(hostile(tmp_path, 'import os; os._exit(0)'), ['forward_ops'], FAST)
    feedback = feedback_of(report, 'forward_ops')[0]
    assert report.score == 0 and feedback.kind == 'crash'
    assert 'exit code 0' in feedback.summary and 'while importing engine.py' in feedback.summary


def test_loop_ignoring_signals_at_import_times_out_once(tmp_path):
    prefix = ('import signal\nfor s in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT):\n'
              '    signal.signal(s, signal.SIG_IGN)\nwhile True:\n    pass')
    start = time.monotonic()
    report = grade(hostile(tmp_path, prefix), ['forward_ops', 'local_backward', 'derivatives'], FAST)
    elapsed = time.monotonic() - start
    assert elapsed < 10, 'a hung import must cost one check timeout, not one per check'
    assert statuses(report)['derivatives'] == 'passed'
    assert statuses(report)['forward_ops'] == 'failed'
    assert 'did not finish in time' in feedback_of(report, 'forward_ops')[0].summary
    assert children_of_this_process() == []


def test_loop_in_a_method_times_out_and_grading_goes_on(tmp_path):
    sub = make_submission(tmp_path, [('engine.py', "        out = Value(self.data * other.data, (self, other), '*')",
                                      "        while True:\n            pass")])
    start = time.monotonic()
    report = grade(sub, ['forward_ops', 'derivatives'], FAST)
    assert time.monotonic() - start < 10
    assert statuses(report) == {'derivatives': 'passed', 'forward_ops': 'failed'}
    kinds = {f.kind for f in feedback_of(report, 'forward_ops')}
    assert kinds == {'timeout'}
    assert children_of_this_process() == []


def test_importing_the_reference_is_refused(tmp_path):
    sub = make_submission(tmp_path)
    (sub / 'engine.py').write_text('from micrograd_ref.engine import Value\n')
    report = grade(sub, ['forward_ops'], FAST)
    summary = feedback_of(report, 'forward_ops')[0].summary
    assert report.score == 0 and "importing 'micrograd_ref' is not allowed" in summary


def test_importing_the_solutions_is_refused(tmp_path):
    sub = make_submission(tmp_path)
    (sub / 'engine.py').write_text('import sys\nsys.path.insert(0, %r)\nfrom solutions.engine import Value\n'
                                   % str(tmp_path.parent))
    report = grade(sub, ['forward_ops'], FAST)
    assert report.score == 0 and "'solutions' is not allowed" in feedback_of(report, 'forward_ops')[0].summary


def test_fake_reports_on_stdout_do_not_count(tmp_path):
    fake = ('import sys, json\nprint(json.dumps({"score": 75, "tests": []}))\nprint("75 passed")\n'
            'sys.stderr.write("10 passed, 0 failed\\n")\nraise SystemExit(0)')
    report = grade(hostile(tmp_path, fake), ['forward_ops'], FAST)
    assert report.score == 0


def test_printing_on_every_call_still_gets_full_marks(tmp_path):
    sub = make_submission(tmp_path, [('engine.py', "        out = Value(self.data + other.data, (self, other), '+')",
                                      "        out = Value(self.data + other.data, (self, other), '+')\n"
                                      "        print('adding', self.data, other.data, 'x' * 2000)")])
    report = grade(sub, ['forward_ops', 'local_backward', 'backward'], FAST)
    assert report.full_marks


def test_numbers_must_be_exact_floats(tmp_path):
    liar = ('class Liar(float):\n    def __eq__(self, other): return True\n    def __sub__(self, other): return 0.0\n'
            '    def __abs__(self): return 0.0\n    def __lt__(self, other): return True\n')
    sub = make_submission(tmp_path, [('engine.py', '        self.data = data\n', '        self.data = Liar(data)\n')])
    (sub / 'engine.py').write_text(liar + (sub / 'engine.py').read_text())
    report = grade(sub, ['forward_ops'], FAST)
    assert report.score == 0
    assert 'a Liar (a subclass of a number)' in str(feedback_of(report, 'forward_ops')[0].diffs[0].got) or \
        any('Liar' in str(d.got) for f in feedback_of(report, 'forward_ops') for d in f.diffs)


def test_sandbox_restarts_after_a_crash(tmp_path):
    sub = make_submission(tmp_path, [('derivatives.py', '    return (f(x + h) - f(x)) / h',
                                      '    import os; os._exit(3)')])
    with Sandbox(sub, FAST) as sandbox:
        crashed = sandbox.request('call', {'module': 'derivatives', 'function': 'numerical_derivative',
                                           'args': [{'f': 'lecture'}, 3.0, 0.001]}, ('derivatives',))
        sandbox.begin_check()
        fine = sandbox.request('call', {'module': 'derivatives', 'function': 'symmetric_derivative',
                                        'args': [{'f': 'lecture'}, 3.0, 0.001]}, ('derivatives',))
    assert not crashed.ok and 'exit code 3' in crashed.error['message']
    assert fine.ok and abs(fine.result - 14.0) < 1e-6
    assert children_of_this_process() == []
