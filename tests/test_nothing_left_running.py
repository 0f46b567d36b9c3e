"""Nothing outlives grading: processes that escape the child, a Ctrl-C, and a grader killed outright."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.sandbox import reaper
from grader.sandbox.runner import Sandbox
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


def test_a_real_escape_from_the_audit_hook_is_still_cleaned_up(tmp_path):
    """Re-importing _posixsubprocess dodges the hook; the parent's sweep still kills what it started."""
    marker = f'escapee-{time.time_ns()}'
    escape = ("import sys; del sys.modules['_posixsubprocess']; import multiprocessing.util\n"
              f"    multiprocessing.util.spawnv_passfds(b'/bin/sh', [b'sh', b'-c', b\"setsid {SLEEPER.format(marker=marker)} &\"], ())")
    sub = derivative_returning(tmp_path, '14.0', before=escape)
    with Sandbox(sub, FAST) as sandbox:
        sandbox.begin_check()
        reply = sandbox.request('call', CALL, ('derivatives',))
        time.sleep(0.2)
        escaped = processes_mentioning(marker)
    if not reply.ok:
        pytest.skip(f'this Python closes the hole the test uses: {reply.error.get("message")}')
    assert escaped, 'the escape did not start a process'
    assert processes_mentioning(marker) == []
    assert children_of_this_process() == []


LOOP = "        open('looping', 'w').close()\n        while True:\n            pass"


def start_grading_a_loop(tmp_path):
    """`grade check` in its own process, on a submission whose __mul__ loops; returns once it loops."""
    sub = make_submission(tmp_path, [('engine.py', MUL, LOOP)])
    proc = subprocess.Popen([sys.executable, '-m', 'grader', 'check', '-s', str(sub), '--check-seconds', '60'],
                            **INTERRUPTIBLE, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, 'PYTHONPATH': str(Path(__file__).resolve().parent.parent)})
    deadline = time.monotonic() + 30
    while not (sub / 'looping').exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running_in(sub), 'the child never reached its loop'
    return sub, proc


def test_ctrl_c_stops_grading_and_leaves_nothing(tmp_path):
    sub, proc = start_grading_a_loop(tmp_path)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1 and 'Aborted!' in err and 'Total:' not in out, (out, err)
    assert running_in(sub) == []


def test_killing_the_grader_kills_the_child(tmp_path):
    """A grader killed outright (SIGKILL, as a batch timeout does) takes its looping child with it."""
    sub, proc = start_grading_a_loop(tmp_path)
    proc.kill()
    proc.communicate()
    deadline = time.monotonic() + 5
    while running_in(sub) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running_in(sub) == []


def running_in(folder):
    """Live processes whose working folder is `folder` (the child runs in the submission)."""
    found = []
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            if os.readlink(f'/proc/{pid}/cwd') == str(folder):
                found.append(pid)
        except OSError:
            continue
    return found
