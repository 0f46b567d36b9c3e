"""Where the child runs from: the submission itself, or for another user a private copy it owns."""
from __future__ import annotations

import functools
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD_FILES = ('child.py', 'probes.py', 'probe_functions.py', 'guard.py')
VERSION_TEST = 'import sys; sys.exit(sys.version_info < (3, 10))'


class SandboxError(Exception):
    """The sandbox cannot be set up as asked, for a reason the user can fix."""


@dataclass
class Workspace:
    """The folder the child grades, the folder of its own code, the interpreter, and who runs it."""

    folder: Path
    code: Path
    python: str
    user: pwd.struct_passwd | None = None
    temporary: Path | None = None

    def remove(self) -> None:
        if self.temporary:
            shutil.rmtree(self.temporary, ignore_errors=True)
            self.temporary = None


def prepare(folder: Path, user: str | None) -> Workspace:
    """The submission as it is; or, for another user, copied where only that user and root can reach it."""
    account = pwd.getpwnam(user) if user is not None else None
    if account is None or account.pw_uid == os.geteuid():
        return Workspace(folder, HERE, sys.executable)
    python = interpreter_for(account.pw_uid, account.pw_gid)
    base = Path(tempfile.mkdtemp(prefix='grade-sandbox-'))
    try:
        base.chmod(0o711)
        code = base / 'code'
        code.mkdir(mode=0o755)
        for name in CHILD_FILES:
            shutil.copyfile(HERE / name, code / name)
            (code / name).chmod(0o644)
        # Links are copied as links, so a link to a file only root may read stays unreadable.
        copy = Path(shutil.copytree(folder, base / 'submission', symlinks=True, ignore=_not_copied))
        for path in [copy, *copy.rglob('*')]:
            os.chown(path, account.pw_uid, account.pw_gid, follow_symlinks=False)
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    return Workspace(copy, code, python, account, base)


def _not_copied(folder: str, names: list[str]) -> set[str]:
    """Bytecode caches, and anything that is not a file, a folder or a link (a FIFO would block the copy)."""
    def plain(name: str) -> bool:
        mode = os.lstat(os.path.join(folder, name)).st_mode
        return stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)
    return {n for n in names if n == '__pycache__' or not plain(n)}


@functools.lru_cache(maxsize=None)
def interpreter_for(uid: int, gid: int) -> str:
    """A Python 3.10+ that this user can run: this one if its folders are open to them, else the system's."""
    candidates = [sys.executable, os.path.realpath(sys.executable), getattr(sys, '_base_executable', ''),
                  shutil.which('python3', path='/usr/local/bin:/usr/bin:/bin') or '']
    for python in dict.fromkeys(c for c in candidates if c):
        try:
            done = subprocess.run([python, '-I', '-S', '-c', VERSION_TEST], user=uid, group=gid, extra_groups=[],
                                  stdin=subprocess.DEVNULL, capture_output=True, timeout=30, cwd='/')
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return python
    user = pwd.getpwuid(uid).pw_name
    raise SandboxError(f'user {user!r} cannot run {sys.executable} or a system python3 (3.10 or later): '
                       f'install Python where {user} can read it, or leave out --user')
