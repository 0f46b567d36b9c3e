"""Level `namespaces`: the child runs under bubblewrap, in namespaces of its own, seeing only what it needs.

Its filesystem holds, read-only, the interpreter, its standard library (site-packages shown empty)
and shared libraries, the child's own three files and the snapshot of the submission; writable,
a size-capped tmpfs for the submission's working copy and another for /tmp. It has its own pid,
network, IPC and UTS namespaces and a session of its own, and dies with its parent. Killing the
bwrap process ends the pid namespace, and with it everything the student's code started.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from grader.sandbox.runtime import Runtime, UnknownRuntime, runtime

SNAPSHOT, SUBMISSION, CODE = '/snapshot', '/submission', '/grader'
INSTALL = ('install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) '
           'for the strongest isolation')


def command(rt: Runtime, snapshot: Path, code_files: list[Path], disk_bytes: int, env: dict[str, str],
            child_argv: list[str]) -> list[str]:
    """The bwrap command line that runs child_argv (whose first item is the interpreter) in the sandbox."""
    args = [shutil.which('bwrap') or 'bwrap', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts',
            '--unshare-cgroup-try', '--die-with-parent', '--new-session', '--clearenv']
    if os.geteuid() != 0:
        args.append('--unshare-user')  # without root, namespaces need a user namespace of their own
    for key, value in env.items():
        args += ['--setenv', key, value]
    shown = [(os.path.realpath(p), p) for p in rt.files]
    shown += [(str(p), f'{CODE}/{p.name}') for p in code_files]
    for folder in _ancestors([dest for _, dest in shown] + [SNAPSHOT, SUBMISSION]):
        args += ['--perms', '0755', '--dir', folder]  # bwrap would make them 0700, closed to the child's user
    for source, dest in shown:
        args += ['--ro-bind', source, dest]
    for folder in rt.hidden:
        args += ['--tmpfs', folder]
    args += ['--ro-bind', str(snapshot), SNAPSHOT,
             '--size', str(disk_bytes), '--tmpfs', SUBMISSION,
             '--size', str(disk_bytes), '--tmpfs', '/tmp',
             '--dev', '/dev', '--proc', '/proc', '--chdir', '/', '--']
    return args + child_argv


def _ancestors(paths: list[str]) -> list[str]:
    found = {str(p) for path in paths for p in Path(path).parents if str(p) != '/'}
    return sorted(found, key=lambda p: (p.count('/'), p))


@functools.lru_cache(maxsize=None)
def unavailable(python: str) -> str:
    """Why this machine cannot run the child under bubblewrap, or '' if it can (tried once per process)."""
    if os.name != 'posix' or not os.path.isdir('/proc'):
        return 'bubblewrap needs Linux'
    if not shutil.which('bwrap'):
        return f'bubblewrap is not installed: {INSTALL}'
    try:
        rt = runtime(python)
    except UnknownRuntime as e:
        return str(e)
    empty = Path(os.path.realpath(os.devnull)).parent  # any folder will do as the trial's snapshot
    argv = command(rt, empty, [], 1 << 20, {'LANG': 'C.UTF-8'},
                   [rt.python, '-I', '-S', '-c', 'import math, random, json; print("ok")'])
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as e:
        return f'bubblewrap could not start: {e}'
    if done.returncode != 0 or done.stdout.strip() != 'ok':
        why = (done.stderr.strip().splitlines() or [f'exit code {done.returncode}'])[-1]
        return f'bubblewrap cannot make a sandbox here ({why[:200]})'
    return ''
