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
from grader.sandbox import bwrap, jail, uids
from grader.sandbox.isolation import SandboxError, choose
from grader.sandbox.levels import NAMESPACES, UID
from grader.sandbox.limits import Limits
from grader.sandbox.runtime import Runtime, UnknownRuntime, runtime
from grader.sandbox.snapshot import SandboxFileError, take

HERE = Path(__file__).resolve().parent
CHILD_FILES = ('child.py', 'probes.py', 'probe_functions.py', 'guard.py', 'confine.py')
PYTHON_FLAGS = ['-I', '-S', '-B', '-X', 'utf8']
MAX_ENTRIES = 1000  # files a submission's code may create while it is graded

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
                           'cpu_seconds': int(limits.submission_seconds) + 10, 'processes': 64}}

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

    def reset(self) -> None:
        """The child's copy as the snapshot has it, for a fresh child after one that crashed or filled it."""
        if self.writable is None:
            return  # a tmpfs of bwrap's, new with every child
        for entry in list(os.scandir(self.writable)):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        _copy(self.snapshot, self.writable, self.files, self.uid)

    def remove(self) -> None:
        if self.jail and self.writable:  # the child's copy lives in the jail, which outlives this sandbox
            shutil.rmtree(self.writable, ignore_errors=True)
            self.writable = None
        if self.lease:  # only once the uid's files are gone may another sandbox have the uid
            self.lease.release()
            self.lease = None
        if self.temporary:
            shutil.rmtree(self.temporary, ignore_errors=True)
            self.temporary = None


def prepare(folder: Path, limits: Limits) -> Workspace:
    """Snapshot the submission's files and set up the child's copy for the chosen level."""
    level = choose(limits.isolation)
    base = Path(tempfile.mkdtemp(prefix='grade-sandbox-'))
    try:
        snapshot = base / 'snapshot'
        files = take(Path(folder), snapshot, data_files())
        if level == NAMESPACES:
            return Workspace(level, snapshot, bwrap.SUBMISSION, None, base, _runtime(),
                             uids.lease() if os.geteuid() == 0 else None, files=files)
        if level == UID:
            rt, lease = _runtime(), uids.lease()
            root = jail.jail(rt)
            work = jail.work_folder(root, lease.uid)
            _copy(snapshot, work, files, lease.uid)
            return Workspace(level, snapshot, '/' + str(work.relative_to(root)), work, base, rt, lease, root, files)
        work = base / 'work'
        work.mkdir(mode=0o700)
        _copy(snapshot, work, files, None)
        return Workspace(level, snapshot, str(work), work, base, files=files)
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


def _copy(snapshot: Path, work: Path, files: list[str], uid: int | None) -> None:
    for name in files:
        shutil.copyfile(snapshot / name, work / name)
        if uid is not None:
            os.chown(work / name, uid, uid)
