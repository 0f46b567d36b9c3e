"""The parent's snapshot of a submission: the files grading needs, copied before any student code
runs, and read back by the checks. Regular files only, never through a link, size-capped."""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from grader.sandbox.limits import format_size

LEFT_OUT = '.left-out-'  # a snapshot's note of a file it did not copy (a link, a FIFO): names never start with a dot
MAX_FILE = 2 << 20  # an exercise file is a few kB; a larger one is not a set of exercises
MAX_TOTAL = 8 << 20
MAX_FILES = 200


class SandboxFileError(Exception):
    """A submitted file the parent will not read; the message is written for the student."""


def read_submitted(folder: Path, name: str, max_bytes: int) -> str | None:
    """The text of folder/name, or None if there is no such file."""
    if '/' in name or name in ('', '.', '..'):
        raise ValueError(f'not a plain file name: {name!r}')
    if not os.path.lexists(Path(folder) / name):
        why = left_out(folder, name)
        if why:
            raise SandboxFileError(f'{name} is {why}')
        return None
    data = _read_capped(Path(folder) / name, name, max_bytes)
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError as e:
        raise SandboxFileError(f'{name} is not UTF-8 text ({e.reason} at byte {e.start})') from None


def left_out(folder: Path, name: str) -> str:
    """Why the snapshot left this file out ('a link: hand in the file itself'), or '' if it did not."""
    note = Path(folder) / f'{LEFT_OUT}{name}'
    return note.read_text() if '/' not in name and note.is_file() else ''


def needed(name: str, data_files: frozenset[str]) -> bool:
    """Python files and the catalog's data files (quiz.toml): what grading can read."""
    return not name.startswith('.') and (name.endswith('.py') or name in data_files)


def take(folder: Path, into: Path, data_files: frozenset[str]) -> list[str]:
    """Copy the files grading needs from folder into `into` (made here, private); return their names.

    Other files are left behind: they cannot change a grade. A needed name that is a link or not a
    regular file is left out with a note saying why, which read_submitted turns back into the reason.
    """
    into.mkdir(mode=0o700)
    names, total = [], 0
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        raise SandboxFileError(f'cannot read the folder {folder}: {e.strerror}') from None
    for entry in entries:
        if not needed(entry.name, data_files):
            continue
        if not entry.is_file(follow_symlinks=False):
            if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
                why = 'a link: hand in the file itself' if entry.is_symlink() else 'not a regular file'
                (into / f'{LEFT_OUT}{entry.name}').write_text(why)
            continue
        data = _read_capped(Path(entry.path), entry.name, MAX_FILE)
        total += len(data)
        if total > MAX_TOTAL or len(names) >= MAX_FILES:
            raise SandboxFileError(f'the exercise files are too large together (over {MAX_TOTAL >> 20} MB or '
                                   f'{MAX_FILES} files)')
        fd = os.open(into / entry.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
        names.append(entry.name)
    return names


def _read_capped(path: Path, name: str, max_bytes: int) -> bytes:
    """At most max_bytes of a regular file, opened without following a link (a FIFO does not block)."""
    flags = os.O_RDONLY | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_NONBLOCK', 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if os.path.islink(path):
            raise SandboxFileError(f'{name} is a link: hand in the file itself') from None
        raise SandboxFileError(f'{name} cannot be read: {e.strerror}') from None
    with os.fdopen(fd, 'rb') as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SandboxFileError(f'{name} is not a regular file')
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SandboxFileError(f'{name} is too large (over {format_size(max_bytes, exact=False)})')
    return data


def fingerprint(snapshot: Path) -> bytes:
    """A digest of every file the child can see: what a submission cannot know of itself in advance."""
    digest = hashlib.sha256()
    for path in sorted(snapshot.iterdir()):
        digest.update(f'{path.name}\0{path.stat().st_size}\0'.encode('utf-8', 'surrogateescape'))
        digest.update(path.read_bytes())
    return digest.digest()
