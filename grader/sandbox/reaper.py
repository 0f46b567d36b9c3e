"""Nothing the student's code started outlives grading.

Each child gets a unique marker in its environment, which every process it starts inherits. On
Linux, `sweep` kills every process that carries the marker or descends from the child, however it
detached itself (setsid, double fork), and at the uid levels every process of the sandbox's own
uid, which is all that uid can ever run. At the namespaces level the kernel also ends the child's
pid namespace when bwrap dies. Elsewhere only the child's process group is killed.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
from pathlib import Path

VARIABLE = 'GRADER_SANDBOX'
PROC = Path('/proc')
ROUNDS = 50  # a process may fork while it is being killed, so look again until none is left
# Every process the caller may signal but itself: as a sandbox's uid, exactly the sandbox's processes.
KILL_ALL = 'import os, signal; os.kill(-1, signal.SIGKILL)'


def new_marker() -> str:
    return secrets.token_hex(12)


def start_time(pid: int) -> int:
    """When a process started, in clock ticks since boot (0 where there is no /proc)."""
    try:
        return int(_stat(str(pid))[19])
    except (OSError, IndexError, ValueError):
        return 0


def sweep(marker: str, root: int, since: int = 0, uid: int | None = None) -> int:
    """Kill every live process that descends from `root`, carries `marker` or runs as the sandbox's own
    `uid`; return how many were found. Only processes started at `since` or later can carry the
    marker, so only theirs are read.
    """
    if not PROC.is_dir():
        return 0
    found: set[int] = set()
    quiet = 0
    for _ in range(ROUNDS):
        if uid is not None:
            kill_every_process_of(uid)
        alive = _marked_or_descended(marker, root, since, uid) - {os.getpid()}
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        found |= alive
        # A process that forks as fast as it can may sit between two looks: stop after two quiet ones.
        quiet = quiet + 1 if not alive else 0
        if quiet == 2:
            break
    return len(found)


def kill_every_process_of(uid: int) -> None:
    """kill(-1, SIGKILL) as `uid`: every process of that uid at once, however fast it forks (a process
    with a fatal signal pending cannot fork). As root only; the uid is the sandbox's alone."""
    if os.geteuid() != 0:
        return
    kill = shutil.which('kill', path='/usr/bin:/bin')
    # The grader's own interpreter may sit where the uid cannot reach (a root-only venv): the real binary can be run.
    command = [kill, '-s', 'KILL', '--', '-1'] if kill else [os.path.realpath(sys.executable), '-I', '-S', '-c', KILL_ALL]
    try:
        subprocess.run(command, user=uid, group=uid, extra_groups=[],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=10, cwd='/')
    except (OSError, subprocess.SubprocessError):
        pass  # the sweep by /proc still runs


def _stat(pid: str) -> list[str]:
    with open(f'/proc/{pid}/stat') as f:
        return f.read().rsplit(')', 1)[1].split()


def _marked_or_descended(marker: str, root: int, since: int, uid: int | None) -> set[int]:
    needle = f'\0{VARIABLE}={marker}\0'.encode()
    parents: dict[int, int] = {}
    hits = set()
    for name in os.listdir(PROC):
        if not name.isdigit():
            continue
        pid = int(name)
        try:
            stat = _stat(name)
            if stat[0] in ('Z', 'X') and not _threads_alive(name):
                continue  # dead already, waiting to be reaped (a leader that exited alone is not dead)
            parents[pid] = int(stat[1])
            if uid is not None and os.stat(f'/proc/{pid}').st_uid == uid:
                hits.add(pid)
            elif int(stat[19]) >= since:
                with open(f'/proc/{pid}/environ', 'rb') as f:
                    if needle in b'\0' + f.read():
                        hits.add(pid)
        except (OSError, IndexError, ValueError):
            continue  # gone, or not ours to read
    return hits | descendants(parents, root)


def _threads_alive(pid: str) -> bool:
    """Whether any thread of the process still runs, as when its leader thread exited on its own."""
    try:
        tasks = os.listdir(f'/proc/{pid}/task')
    except OSError:
        return False
    for task in tasks:
        try:
            with open(f'/proc/{pid}/task/{task}/stat') as f:
                if f.read().rsplit(')', 1)[1].split()[0] not in ('Z', 'X'):
                    return True
        except (OSError, IndexError):
            continue
    return False


def descendants(parents: dict[int, int], root: int) -> set[int]:
    """`root` and every process below it, from a map of pid -> parent pid."""
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = set(), [root] if root in parents else []
    while todo:
        pid = todo.pop()
        if pid not in out:
            out.add(pid)
            todo.extend(children.get(pid, []))
    return out
