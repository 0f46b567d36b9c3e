"""Nothing outlives grading: processes that escape the child, a Ctrl-C, and a grader killed outright."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.sandbox import reaper
from grader.sandbox.isolation import why_not
from grader.sandbox.runner import Limits, Sandbox
from hostile.processes import children_of_this_process, processes_mentioning
from interruptible import INTERRUPTIBLE
from mutate import make_submission
from test_sandbox import CALL, FAST, MUL, derivative_returning

SLEEPER = "sh -c 'sleep 300; exit' {marker}"


def sleeper_with_marker(marker, sandbox_marker):
    """A detached grandchild (setsid, double fork) that carries the sandbox's environment marker."""
    env = {reaper.VARIABLE: sandbox_marker, 'PATH': os.defpath}
    subprocess.run(['sh', '-c', f'setsid {SLEEPER.format(marker=marker)} &'], env=env, check=True)


def test_processes_that_escape_the_child_are_killed_on_close(tmp_path):
    """As if the child's audit hook had been dodged: a detached sleeper that only shares its environment."""
    sub = make_submission(tmp_path)
    marker = f'escapee-{time.time_ns()}'
    with Sandbox(sub, FAST) as sandbox:
        sleeper_with_marker(marker, sandbox._child.marker)
        time.sleep(0.2)
        assert processes_mentioning(marker), 'the sleeper did not start'
    assert processes_mentioning(marker) == []


ESCAPE = (Path(__file__).resolve().parent / 'hostile' / 'escape.py').read_text()


@pytest.mark.parametrize('level', ['namespaces', 'none'])
def test_a_real_escape_from_the_audit_hook_is_still_cleaned_up(tmp_path, level):
    """The dodge in hostile/escape.py starts a detached interpreter; grading's end still kills it."""
    if why_not(level):
        pytest.skip(why_not(level))
    marker = f'escapee-{time.time_ns()}'
    sleeper = f"import time\nout.close()\nif os.fork(): os._exit(0)\nos.setsid()\ntime.sleep(300)  # {marker}"
    sub = derivative_returning(tmp_path, '14.0', before=f'escape({sleeper!r})')
    (sub / 'derivatives.py').write_text(ESCAPE + '\n' + (sub / 'derivatives.py').read_text())
    with Sandbox(sub, Limits(isolation=level, check_seconds=5.0)) as sandbox:
        sandbox.begin_check()
        reply = sandbox.request('call', CALL, ('derivatives',))
        escaped = processes_mentioning(marker)
    assert reply.ok, reply.error
    assert escaped, 'the escape did not start a process'
    assert processes_mentioning(marker) == []
    assert children_of_this_process() == []


LOOP = "        while True:\n            pass"


def start_grading_a_loop(tmp_path):
    """`grade check` in its own process, on a submission whose __mul__ loops; returns once it loops."""
    sub = make_submission(tmp_path, [('engine.py', MUL, LOOP)])
    proc = subprocess.Popen([sys.executable, '-m', 'grader', 'check', '-s', str(sub), '--check-seconds', '60'],
                            **INTERRUPTIBLE, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, 'PYTHONPATH': str(Path(__file__).resolve().parent.parent)})
    deadline = time.monotonic() + 30
    while not looping_children(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    children = looping_children(proc.pid)
    assert children, 'the child never reached its loop'
    return children, proc


def test_ctrl_c_stops_grading_and_leaves_nothing(tmp_path):
    children, proc = start_grading_a_loop(tmp_path)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1 and 'Aborted!' in err and 'Total:' not in out, (out, err)
    assert alive(children) == []


def test_killing_the_grader_kills_the_child(tmp_path):
    """A grader killed outright (SIGKILL, as a batch timeout does) takes its looping child with it."""
    children, proc = start_grading_a_loop(tmp_path)
    proc.kill()
    proc.communicate()
    deadline = time.monotonic() + 5
    while alive(children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive(children) == []


def looping_children(root):
    """(pid, start time) of every sandbox child below `root` that has spent half a second on the CPU."""
    parents, stats = {}, {}
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open(f'/proc/{pid}/stat') as f:
                stats[int(pid)] = f.read().rsplit(')', 1)[1].split()
            parents[int(pid)] = int(stats[int(pid)][1])
        except (OSError, IndexError):
            continue
    below = reaper.descendants(parents, root) - {root}
    ticks = os.sysconf('SC_CLK_TCK')
    return [(pid, stats[pid][19]) for pid in below
            if (int(stats[pid][11]) + int(stats[pid][12])) / ticks > 0.5 and stats[pid][0] not in 'ZX']


def alive(children):
    """Those of the children still running (the same process: its start time has not changed)."""
    found = []
    for pid, started in children:
        try:
            with open(f'/proc/{pid}/stat') as f:
                stat = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if stat[19] == started and stat[0] not in 'ZX':
            found.append(pid)
    return found
