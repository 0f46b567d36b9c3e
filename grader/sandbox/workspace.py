"""Where the child runs: a private copy of the files grading needs, set up for the isolation level.

The parent first takes a snapshot of those files (regular files only, no links, size-capped) into
a folder only it can read; the checks read data files such as quiz.toml from there. The child's
working copy is made from the snapshot: in its own tmpfs (namespaces), in a folder of the jail
owned by its fresh uid (uid), or in a temporary folder (none).
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grader import catalog
from grader.sandbox import bwrap, ipc, jail, reaper, uids
from grader.sandbox.isolation import SandboxError, choose
from grader.sandbox.levels import NAMESPACES, UID
from grader.sandbox.limits import Limits
from grader.sandbox.runtime import Runtime, UnknownRuntime, runtime
from grader.sandbox.snapshot import SandboxFileError, take

HERE = Path(__file__).resolve().parent
CHILD_FILES = ('child.py', 'probes.py', 'probe_functions.py', 'guard.py', 'confine.py')
PYTHON_FLAGS = ['-I', '-S', '-B', '-X', 'utf8']
MAX_ENTRIES = 1000  # files a submission's code may create while it is graded
PROCESSES = 6  # processes and threads of a fresh uid: --memory holds for each process, so this bounds the sum too

__all__ = ['SandboxError', 'Workspace', 'disk_use', 'prepare']


@dataclass
class Workspace:
    """One sandbox's files, level and uid, and how to start its child."""

    level: str
    snapshot: Path  # the parent's own copy of the files, which the checks read
    folder: str  # where the student's code runs, as the child sees it
    writable: Path | None  # that folder on this machine, watched for disk use (levels uid and none)
    temporary: Path | None
    runtime: Runtime | None = None
    lease: uids.Lease | None = None
    jail: Path | None = None
    files: list[str] = field(default_factory=list)
    explain: bool = True  # install the audit hook that turns refusals into messages

    @property
    def uid(self) -> int | None:
        return self.lease.uid if self.lease else None

    def child_config(self, limits: Limits, fds: dict[str, int], parent: int) -> dict:
        """The JSON object child.py starts from."""
        inside = self.level == NAMESPACES
        return {'folder': self.folder, 'code': bwrap.CODE if inside else str(HERE), **fds,
                'snapshot': bwrap.SNAPSHOT if inside else None, 'tmp': '/tmp' if inside else None,
                'jail': str(self.jail) if self.jail else None, 'uid': self.uid, 'explain': self.explain,
                'parent': None if inside else parent,  # bwrap stands between them and dies with us
                'limits': {'memory': limits.memory_bytes, 'file_size': limits.disk_bytes, 'open_files': 256,
                           'cpu_seconds': int(limits.submission_seconds) + 10, 'processes': PROCESSES}}

    def command(self, config: dict, env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
        """The command line and environment that start the child."""
        env = {**env, 'PATH': os.defpath, 'LANG': 'C.UTF-8', 'HOME': self.folder,
               'TMPDIR': '/tmp' if self.level == NAMESPACES else self.folder}
        if self.level == NAMESPACES:
            argv = [self.runtime.python, *PYTHON_FLAGS, f'{bwrap.CODE}/child.py', json.dumps(config)]
            return bwrap.command(self.runtime, self.snapshot, [HERE / n for n in CHILD_FILES], config['limits']['file_size'],
                                 env, argv), {'PATH': os.defpath}
        python = self.runtime.python if self.runtime else sys.executable
        return [python, *PYTHON_FLAGS, str(HERE / 'child.py'), json.dumps(config)], env

    def renew(self) -> None:
        """A fresh copy and, as root, a fresh uid for the next child; what the last child left goes.

        Root never writes into a folder a sandbox uid owns: a process of that uid could swap a file for a
        link between two steps. So the next child gets a new folder, filled before its new uid owns it,
        and the old one is removed (without following links) only once every process of its uid is dead.
        """
        old_lease, old_work = self.lease, self.writable
        if old_lease:
            self._clear(old_lease.uid)
        self.lease = uids.lease() if self.level == UID or (self.level == NAMESPACES and os.geteuid() == 0) else None
        if self.level == UID:
            self.writable = jail.work_folder(self.jail, self.uid, self.snapshot, self.files)
            self.folder = '/' + str(self.writable.relative_to(self.jail))
        elif self.level != NAMESPACES:  # at level namespaces the copy is a tmpfs of bwrap's, new with every child
            self.writable = _fresh_copy(self.temporary, self.snapshot, self.files)
            self.folder = str(self.writable)
        if old_work:
            shutil.rmtree(old_work, ignore_errors=True)
        if old_lease:
            old_lease.release()

    def _clear(self, uid: int) -> None:
        """Nothing of this uid's left running, nor (level uid, which shares the host's) any IPC object."""
        reaper.kill_every_process_of(uid)
        if self.level == UID:
            ipc.remove_ipc_of(uid)

    def remove(self) -> None:
        if self.lease:
            self._clear(self.lease.uid)
        if self.writable:
            shutil.rmtree(self.writable, ignore_errors=True)
            self.writable = None
        if self.lease:  # only once the uid's files are gone may another sandbox have the uid
            self.lease.release()
            self.lease = None
        if self.temporary:
            shutil.rmtree(self.temporary, ignore_errors=True)
            self.temporary = None


def prepare(folder: Path, limits: Limits) -> Workspace:
    """Snapshot the submission's files; each child's copy and uid are made by renew()."""
    level = choose(limits.isolation)
    base = Path(tempfile.mkdtemp(prefix='grade-sandbox-'))
    try:
        snapshot = base / 'snapshot'
        files = take(Path(folder), snapshot, data_files())
        rt = _runtime() if level in (NAMESPACES, UID) else None
        root = jail.jail(rt) if level == UID else None
        return Workspace(level, snapshot, bwrap.SUBMISSION, None, base, rt, jail=root, files=files)
    except SandboxFileError as e:
        shutil.rmtree(base, ignore_errors=True)
        raise SandboxError(str(e)) from None
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise


def data_files() -> frozenset[str]:
    """The catalog's files that are not Python, such as quiz.toml."""
    return frozenset(f for e in catalog.load() for f in e.files if not f.endswith('.py'))


def disk_use(folder: Path, cap: int) -> int:
    """Bytes under folder, counting past `cap` only as far as needed; too many files count as over."""
    total, entries, todo = 0, 0, [str(folder)]
    while todo and total <= cap:
        try:
            with os.scandir(todo.pop()) as found:
                for entry in found:
                    entries += 1
                    if entries > MAX_ENTRIES:
                        return cap + 1
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(entry.path)
                    else:
                        total += entry.stat(follow_symlinks=False).st_blocks * 512
        except OSError:
            continue
    return total


def _runtime() -> Runtime:
    try:
        return runtime(sys.executable)
    except UnknownRuntime as e:
        raise SandboxError(str(e)) from None


def _fresh_copy(base: Path, snapshot: Path, files: list[str]) -> Path:
    """A new folder under base holding the snapshot's files (level none: this user's own)."""
    work = Path(tempfile.mkdtemp(prefix='work-', dir=base))
    for name in files:
        shutil.copyfile(snapshot / name, work / name)
    return work
