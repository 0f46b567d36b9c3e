"""Level uid shares the host's System V IPC: when a sandbox ends, the message queues, semaphores and
shared memory its uid made are removed, so they can neither pile up nor carry data to a later sandbox."""
from __future__ import annotations

import ctypes
import functools
from pathlib import Path

IPC_RMID = 0
KINDS = {'shm': ('shmid', 'shmctl'), 'msg': ('msqid', 'msgctl'), 'sem': ('semid', 'semctl')}


@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def remove_ipc_of(uid: int) -> int:
    """Remove every System V IPC object that `uid` owns or made; return how many."""
    libc, removed = _libc(), 0
    if libc is None:
        return 0
    for kind, (id_column, call) in KINDS.items():
        for ident in _owned(Path(f'/proc/sysvipc/{kind}'), id_column, uid):
            args = (ident, 0, IPC_RMID) if kind == 'sem' else (ident, IPC_RMID, None)
            removed += getattr(libc, call)(*args) == 0
    return removed


def _owned(table: Path, id_column: str, uid: int) -> list[int]:
    try:
        header, *rows = table.read_text().splitlines()
    except OSError:
        return []
    names = header.split()
    found = []
    for row in rows:
        fields = dict(zip(names, row.split()))
        if str(uid) in (fields.get('uid'), fields.get('cuid')):
            found.append(int(fields[id_column]))
    return found
