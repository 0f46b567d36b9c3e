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
import signal
from pathlib import Path

VARIABLE = 'GRADER_SANDBOX'
PROC = Path('/proc')
ROUNDS = 50  # a process may fork while it is being killed, so look again until none is left


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
    for _ in range(ROUNDS):
        alive = _marked_or_descended(marker, root, since, uid) - {os.getpid()}
        if not alive:
            break
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        found |= alive
    return len(found)


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
            if stat[0] in ('Z', 'X'):
                continue  # dead already, waiting to be reaped
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
