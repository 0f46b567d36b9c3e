"""What the kernel keeps from student code at each isolation level, with the audit hook switched off.

The hook only explains; these tests run the child without it (`explain=False`), as a student who
dodged it would, and check that the kernel still refuses: nothing of the grader is visible, nothing
outside the copy can be written, no other process can be signalled, disk and processes are capped,
and nothing survives grading. Each test runs at the namespaces and the uid level, and is skipped
with the reason where this machine lacks a level.
"""
import json
import os
import socket
import sysconfig
import time
from pathlib import Path

import pytest

import grader
from grader.sandbox.isolation import why_not
from grader.sandbox.runner import Limits, Sandbox
from grader.sandbox.workspace import PROCESSES
from mutate import make_submission

ROOT = Path(__file__).resolve().parent.parent
LEVELS = [pytest.param(level, marks=pytest.mark.skipif(bool(why_not(level)), reason=why_not(level) or 'available'))
          for level in ('namespaces', 'uid')]
CALL = {'module': 'derivatives', 'function': 'numerical_derivative', 'args': [{'f': 'lecture'}, 3.0, 0.001]}
DERIVATIVE = '    return (f(x + h) - f(x)) / h'
ESCAPE = (Path(__file__).resolve().parent / 'hostile' / 'escape.py').read_text()
TRY = '''
def attempt(name, action):
    try:
        result = action()
        r[name] = 'done' if result is None else result
    except BaseException as e:
        r[name] = type(e).__name__
'''


def submission_running(tmp_path, code, name='submission'):
    """Solutions whose numerical_derivative runs `code` (filling the dict `r`), prints r as JSON, returns 14."""
    body = '\n'.join('    ' + line for line in (TRY + code).splitlines())
    sub = make_submission(tmp_path, [('derivatives.py', DERIVATIVE, f'    import json, os, sys\n    r = {{}}\n{body}\n'
                                      '    print("RESULT" + json.dumps(r))\n    return 14.0')], name=name)
    (sub / 'derivatives.py').write_text(ESCAPE + '\n' + (sub / 'derivatives.py').read_text())
    return sub


def run(sandbox):
    """Ask for the derivative; return what the code found, and the reply."""
    sandbox.begin_check()
    reply = sandbox.request('call', CALL, ('derivatives',))
    output = bytes(sandbox._child.output).decode() if sandbox._child else ''
    printed = [line for line in output.splitlines() if line.startswith('RESULT')]
    return (json.loads(printed[-1][6:]) if printed else {}), reply


def found(tmp_path, code, level, limits=None):
    sub = submission_running(tmp_path, code)
    with Sandbox(sub, limits or Limits(isolation=level, check_seconds=10), explain=False) as sandbox:
        r, reply = run(sandbox)
    assert reply.ok, reply.error
    return r


@pytest.mark.parametrize('level', LEVELS)
def test_the_child_is_a_fresh_unprivileged_user(tmp_path, level):
    if os.geteuid() != 0:
        pytest.skip('without root the child keeps the grader\'s own uid, in a user namespace')
    r = found(tmp_path, "attempt('uid', os.getuid)\nattempt('gid', os.getgid)\nattempt('groups', os.getgroups)", level)
    assert r['uid'] != 0 and r['gid'] != 0 and r['groups'] == []
    import pwd
    with pytest.raises(KeyError):
        pwd.getpwuid(r['uid'])


@pytest.mark.parametrize('level', LEVELS)
def test_nothing_of_the_grader_is_visible(tmp_path, level):
    purelib = sysconfig.get_path('purelib')
    secrets = [ROOT / 'micrograd_ref' / 'engine.py', ROOT / 'solutions' / 'engine.py', Path(grader.__file__),
               Path(purelib), Path('/etc/shadow'), tmp_path / 'submission' / 'engine.py']
    code = '\n'.join(f"attempt({str(p)!r}, lambda: len(open({str(p)!r}, 'rb').read()) if os.path.isfile({str(p)!r}) "
                     f"else os.listdir({str(p)!r}))" for p in secrets)
    # Everything the child can see, apart from the kernel's own /proc, /dev and /sys.
    code += '''
seen = []
for here, dirs, files in os.walk('/'):
    dirs[:] = [d for d in dirs if os.path.join(here, d) not in ('/proc', '/dev', '/sys')]
    seen += [os.path.join(here, f) for f in files]
r['seen'] = seen
'''
    r = found(tmp_path, code, level)
    for p in secrets:
        assert r[str(p)] in ('FileNotFoundError', 'PermissionError'), (p, r[str(p)])
    names = ' '.join(r['seen'])
    for trace in ('micrograd_ref', 'solutions', 'catalog.toml', 'site-packages/', 'grader/checks', 'pytest'):
        assert trace not in names, f'{trace} is visible to student code'
    assert any(p.endswith('/os.py') for p in r['seen']), 'the standard library should be there'


@pytest.mark.parametrize('level', LEVELS)
def test_nothing_outside_the_copy_can_be_written(tmp_path, level):
    victim = tmp_path / 'victim.txt'
    victim.write_text('must survive\n')
    pth = Path(sysconfig.get_path('purelib')) / f'hostile-{time.time_ns()}.pth'
    code = (f"attempt('victim', lambda: open({str(victim)!r}, 'w').write('gone'))\n"
            f"attempt('pth', lambda: open({str(pth)!r}, 'w').write('import os'))\n"
            f"attempt('own', lambda: open('scratch.txt', 'w').write('mine'))")
    try:
        r = found(tmp_path, code, level)
        assert not pth.exists(), 'student code planted a .pth file in the grader\'s environment'
    finally:
        pth.unlink(missing_ok=True)
    assert r['victim'] in ('FileNotFoundError', 'PermissionError') and r['pth'] in ('FileNotFoundError', 'PermissionError', 'OSError')
    assert r['own'] == 4, 'the child may write in its own copy'
    assert victim.read_text() == 'must survive\n'
    assert not (tmp_path / 'submission' / 'scratch.txt').exists(), 'the original submission was written to'


@pytest.mark.parametrize('level', LEVELS)
def test_no_other_process_can_be_signalled(tmp_path, level):
    r = found(tmp_path, f"attempt('grader', lambda: os.kill({os.getpid()}, 0))\nattempt('init', lambda: os.kill(1, 0))", level)
    assert r['grader'] in ('ProcessLookupError', 'PermissionError'), r
    if level == 'uid':
        assert r['init'] == 'PermissionError'


@pytest.mark.parametrize('level', LEVELS)
def test_there_is_no_network(tmp_path, level):
    if level == 'uid':
        pytest.skip('the uid level has no network namespace: documented in the trust model')
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen()
    port = server.getsockname()[1]
    try:
        r = found(tmp_path, f"import socket\nattempt('connect', lambda: socket.create_connection(('127.0.0.1', {port}), timeout=2) and None)", level)
    finally:
        server.close()
    assert r['connect'] in ('ConnectionRefusedError', 'OSError', 'TimeoutError'), r


@pytest.mark.parametrize('level', LEVELS)
def test_disk_writes_are_capped(tmp_path, level):
    code = '''
def fill(where):
    written = 0
    for k in range(40):
        with open(os.path.join(where, f'fill{k}'), 'wb') as f:
            for _ in range(4):
                f.write(bytes(1 << 20))
                written += 1 << 20
    return written
attempt('here', lambda: fill('.'))
attempt('tmp', lambda: fill(os.environ.get('TMPDIR', '/tmp')))
'''
    sub = submission_running(tmp_path, code)
    with Sandbox(sub, Limits(isolation=level, disk_bytes=8 << 20, check_seconds=10), explain=False) as sandbox:
        workspace = sandbox._workspace.temporary
        r, reply = run(sandbox)
    if reply.ok:  # the kernel refused the writes (a full tmpfs, or a file over RLIMIT_FSIZE)
        assert r['here'] in ('OSError',) and r['tmp'] in ('OSError',), r
    else:  # the parent saw the copy grow past the cap and stopped the child
        assert reply.error['kind'] == 'disk' and 'wrote more than 8M to disk' in reply.error['message'], reply.error
    assert not workspace.exists(), 'the private copy was left behind'


@pytest.mark.parametrize('level', LEVELS)
def test_processes_are_capped_and_none_survives(tmp_path, level):
    marker = f'fork-{time.time_ns()}'
    code = f'''
import time
def spawn():
    made = 0
    for _ in range(500):
        pid = os.fork()
        if pid == 0:
            os.setsid()
            sys.argv[:] = [{marker!r}]
            while True:
                time.sleep(1)
        made += 1
    return made
attempt('forks', spawn)
'''
    sub = submission_running(tmp_path, code)
    with Sandbox(sub, Limits(isolation=level, check_seconds=10), explain=False) as sandbox:
        uid = sandbox._workspace.uid
        r, reply = run(sandbox)
        if uid is not None:
            running = _processes_of(uid)
            assert running, 'the forks did not run'
            # Each process may hold --memory, so the cap on processes bounds the submission's memory too.
            assert len(running) < PROCESSES, running
    assert reply.ok and r['forks'] == 'BlockingIOError', r
    if uid is not None:
        assert _processes_of(uid) == [], 'a process of the sandbox survived it'


@pytest.mark.parametrize('level', LEVELS)
def test_two_sandboxes_cannot_reach_each_other(tmp_path, level):
    other = make_submission(tmp_path, name='other')
    (other / 'engine.py').write_text((other / 'engine.py').read_text() + '\nSECRET = "only-mine-42"\n')
    with Sandbox(other, Limits(isolation=level), explain=False) as sibling:
        places = [sibling._workspace.snapshot / 'engine.py']
        if sibling._workspace.writable:
            places.append(sibling._workspace.writable / 'engine.py')
        code = '\n'.join(f"attempt({str(p)!r}, lambda: 'only-mine-42' in open({str(p)!r}).read())" for p in places)
        r = found(tmp_path, code, level)
    for p in places:
        assert r[str(p)] in ('FileNotFoundError', 'PermissionError'), (p, r[str(p)])


@pytest.mark.parametrize('level', LEVELS)
def test_the_escape_from_the_hook_meets_the_kernel(tmp_path, level):
    """The real dodge (tests/hostile/escape.py), with the hook on: a new interpreter with no hook."""
    reference = ROOT / 'micrograd_ref' / 'engine.py'
    whoami, steal = 'out.write(repr(os.getuid()))', f'out.write(open({str(reference)!r}).read())'
    code = f"attempt('escaped', lambda: escape({whoami!r}))\nattempt('reference', lambda: escape({steal!r}))"
    sub = submission_running(tmp_path, code)
    with Sandbox(sub, Limits(isolation=level)) as sandbox:
        r, reply = run(sandbox)
    assert reply.ok, reply.error
    if level == 'uid':  # the jail holds no interpreter to start: the dodge has nothing to run
        assert r['escaped'] in ('FileNotFoundError', 'OSError', 'PermissionError', ''), r
    else:
        assert r['escaped'] not in ('0', ''), 'the escape did not run, so this test proves nothing'
        assert 'class Value' not in str(r['reference']) and r['reference'] in ('',), r


def _processes_of(uid):
    """Live processes of this uid (a killed one may linger as a zombie until its new parent reaps it)."""
    found = []
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open(f'/proc/{pid}/stat') as f:
                state = f.read().rsplit(')', 1)[1].split()[0]
            if os.stat(f'/proc/{pid}').st_uid == uid and state not in ('Z', 'X'):
                found.append(pid)
        except OSError:
            continue
    return found


def test_level_none_is_feedback_only(tmp_path):
    """Why level none is refused for grades that count: the dodge reads the reference, and stubs score."""
    sub = tmp_path / 'stubs'
    sub.mkdir()
    for stub in (ROOT / 'exercises').glob('*.py'):
        sub.joinpath(stub.name).write_text(stub.read_text())
    borrow = (Path(__file__).resolve().parent / 'hostile' / 'borrow_reference.py').read_text().replace('@ROOT@', str(ROOT))
    (sub / 'engine.py').write_text(ESCAPE + '\n' + (sub / 'engine.py').read_text() + '\n' + borrow)
    from grader.grading import grade
    report = grade(sub, ['forward_ops'], Limits(isolation='none'))
    assert report.isolation == 'none' and report.exercises[0].passed, 'the dodge no longer works: update this test'


def test_system_v_ipc_objects_go_with_the_sandbox(tmp_path):
    """Level uid shares the host's IPC: a message queue the child made is removed when grading ends."""
    if why_not('uid'):
        pytest.skip(why_not('uid'))
    code = ("import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
            "attempt('queue', lambda: libc.msgget(0x5eed0000 + os.getpid() % 4096, 0o1666))")
    sub = submission_running(tmp_path, code)
    with Sandbox(sub, Limits(isolation='uid'), explain=False) as sandbox:
        uid = sandbox._workspace.uid
        r, reply = run(sandbox)
        assert reply.ok and r['queue'] >= 0, r
        assert _ipc_of(uid), 'the queue was not made, so this test proves nothing'
    assert _ipc_of(uid) == []


def _ipc_of(uid):
    rows = Path('/proc/sysvipc/msg').read_text().splitlines()
    names = rows[0].split()
    return [row for row in rows[1:] if dict(zip(names, row.split())).get('uid') == str(uid)]


RACER = '''
import threading, time, ctypes
def race():
    end = time.time() + 6
    while time.time() < end:
        try:
            os.symlink(TARGET, 'zzzz.py')
        except OSError:
            pass
        time.sleep(0.001)
    os._exit(0)
if os.fork() == 0:
    os.setsid()
    for fd in range(3, 256):  # let go of the pipes, so the parent sees the crash at once
        try:
            os.close(fd)
        except OSError:
            pass
    threading.Thread(target=race).start()
    ctypes.CDLL(None).pthread_exit(None)  # the leader reads as a zombie while the racer runs on
time.sleep(0.3)
os._exit(3)  # a crash: the parent starts a fresh child
'''


def test_a_process_that_hides_as_a_zombie_cannot_turn_a_restart_into_a_write_as_root(tmp_path):
    """The race a student could run at level uid: a survivor plants a link where root copies the next child's files."""
    if why_not('uid'):
        pytest.skip(why_not('uid'))
    target = tmp_path / 'written-by-root'
    sub = submission_running(tmp_path, f'TARGET = {str(target)!r}\n' + RACER)
    with Sandbox(sub, Limits(isolation='uid', check_seconds=5), explain=False) as sandbox:
        first = sandbox._workspace.uid
        _, crashed = run(sandbox)
        assert not crashed.ok and 'exit code 3' in crashed.error['message'], crashed.error
        assert _processes_of(first) == [], 'a thread of the first uid outlived its child'
        _, again = run(sandbox)  # a fresh child, with a fresh uid and folder
        second = sandbox._workspace.uid
        time.sleep(0.5)
    assert second != first and not again.ok  # it crashes again, as it is written to
    assert not target.exists() and not os.path.lexists(target), 'root wrote where the student pointed'
    assert _processes_of(first) == [] and _processes_of(second) == []
