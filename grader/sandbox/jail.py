"""Level `uid`: root without namespaces runs the child as a fresh uid inside a chroot jail.

The jail holds, as links (or copies) owned by root, only the standard library and the shared
libraries its extension modules load: no site-packages, no grader, no reference engine, no /proc.
Each sandbox gets jail/work/<token>, mode 0700 and owned by its own uid; jail/work itself can be
crossed but not listed. The child starts as root outside the jail, loads its own three files,
then chroots and drops to the uid before it reads a line of the student's code.
"""
from __future__ import annotations

import atexit
import functools
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

from grader.sandbox.runtime import Runtime

LEFT_OUT = {'site-packages', 'dist-packages', 'test', 'tests', 'idlelib', 'tkinter', 'turtledemo', 'ensurepip'}


def unavailable() -> str:
    """Why this machine cannot run the uid level, or '' if it can."""
    if not sys.platform.startswith('linux'):
        return 'the uid level needs Linux'
    if os.geteuid() != 0:
        return 'the uid level needs grade to run as root'
    return ''


@functools.lru_cache(maxsize=None)
def jail(rt: Runtime) -> Path:
    """This process's jail for the runtime, built once and removed when the process exits."""
    base = Path(tempfile.mkdtemp(prefix='grade-jail-'))
    atexit.register(shutil.rmtree, base, True)
    for source in rt.stdlib:
        if os.path.isdir(source):
            _link_tree(Path(source), base)
    for library in rt.libraries:
        _link(Path(os.path.realpath(library)), base / library.lstrip('/'))
    (base / 'work').mkdir(mode=0o711)
    os.chmod(base, 0o755)
    return base


def work_folder(root: Path, uid: int, snapshot: Path, files: list[str]) -> Path:
    """A fresh folder in the jail holding the snapshot's files, that only `uid` can enter.

    It is filled while root still owns it, and handed to the uid last: nothing of the uid's can
    have put a link in it while root was writing.
    """
    folder = root / 'work' / secrets.token_hex(8)
    folder.mkdir(mode=0o700)
    for name in files:
        shutil.copyfile(snapshot / name, folder / name)
        os.chown(folder / name, uid, uid, follow_symlinks=False)
    os.chown(folder, uid, uid, follow_symlinks=False)
    return folder


def _link_tree(source: Path, base: Path) -> None:
    for here, dirs, files in os.walk(source):
        dirs[:] = [d for d in dirs if d not in LEFT_OUT]
        target = base / here.lstrip('/')
        _folders(target)
        for name in files:
            _link(Path(here) / name, target / name)


def _folders(path: Path) -> None:
    """Make path and its missing parents open to read and cross, whatever the umask."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        folder.mkdir()
        os.chmod(folder, 0o755)


def _link(source: Path, target: Path) -> None:
    _folders(target.parent)
    if target.exists():
        return
    try:
        os.link(source, target)
    except OSError:  # another filesystem, or links refused: a copy does as well
        shutil.copy2(source, target)
        os.chmod(target, 0o644 if not os.access(source, os.X_OK) else 0o755)
