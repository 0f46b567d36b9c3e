"""The exercise files under one submission entry: found without recursion, never through a link.

Only the files grading needs (Python files, notebooks, the catalog's data files) are copied, hashed
and counted towards the size limits; anything else is left out, with a note for the student.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from grader.sandbox.workspace import data_files

MAX_BYTES = 20 << 20  # more than this of exercise files is not a set of exercises
MAX_FILES = 2000
MAX_DEPTH = 8  # exercise files sit at the top, or in exercises/ of a repository: deeper is not looked at
MAX_ENTRIES = 20000  # files and folders looked at in one submission
SKIPPED_DIRS = {'__pycache__', '.git', '.ipynb_checkpoints', 'venv', '.venv', 'node_modules'}


class TooLarge(Exception):
    """An entry with too much in it to be a set of exercises."""


def fingerprint(entry: Path) -> str:
    """A hash of the entry's exercise files, names and bytes, as the copy would see them; '' if it cannot be read."""
    digest = hashlib.sha256()
    try:
        if not entry.is_dir():
            _hash_file(digest, str(entry)) if entry.is_file() else digest.update(b'not a file')
            return digest.hexdigest()
        for rel in walk(entry).files:
            digest.update(rel.encode('utf-8', 'surrogateescape') + b'\0')
            _hash_file(digest, os.path.join(entry, rel))
    except Exception:  # noqa: BLE001 - unreadable: graded again next time, and prepare() says why
        return ''
    return digest.hexdigest()


def _hash_file(digest: hashlib._Hash, path: str) -> None:
    """The file's first MAX_BYTES and its size: a larger file is refused when graded, so more says nothing."""
    left = MAX_BYTES
    with open(path, 'rb') as f:
        while left > 0 and (chunk := f.read(min(1 << 20, left))):
            digest.update(chunk)
            left -= len(chunk)
        digest.update(b'\0%d\0' % os.fstat(f.fileno()).st_size)


@dataclass
class Walked:
    """The exercise files under an entry (relative paths), and what was left out."""

    files: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    too_deep: bool = False

    def notes(self) -> tuple[str, ...]:
        notes = []
        if self.ignored:
            shown = ', '.join(self.ignored[:3]) + (f' and {len(self.ignored) - 3} more' if len(self.ignored) > 3 else '')
            notes.append(f'{len(self.ignored)} file(s) that are not exercise files were left out: {shown}')
        if self.too_deep:
            notes.append(f'folders nested more than {MAX_DEPTH} deep were not looked at')
        return tuple(notes)


def walk(entry: Path) -> Walked:
    """Find the files grading needs (Python files, notebooks, the catalog's data files), without recursion,
    following no link; raise TooLarge when they are too many or too big, or the entry holds too much to look at."""
    found, total, seen = Walked(), 0, 0
    wanted = data_files()
    todo = [('', 0)]
    while todo:
        rel, depth = todo.pop()
        if depth > MAX_DEPTH:
            found.too_deep = True
            continue
        with os.scandir(os.path.join(entry, rel)) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        seen += len(entries)
        if seen > MAX_ENTRIES:
            raise TooLarge(f'holds over {MAX_ENTRIES} files and folders: hand in the exercise files, not a whole disk')
        for item in entries:
            path = os.path.join(rel, item.name)
            if item.is_symlink():
                continue
            if item.is_dir():
                if item.name not in SKIPPED_DIRS and not item.name.startswith('.'):
                    todo.append((path, depth + 1))
            elif item.is_file() and not item.name.startswith('.'):
                if not (item.name.endswith(('.py', '.ipynb')) or item.name in wanted):
                    found.ignored.append(path)
                    continue
                total += item.stat(follow_symlinks=False).st_size
                found.files.append(path)
                if total > MAX_BYTES or len(found.files) > MAX_FILES:
                    raise TooLarge(f'its exercise files are too large (over {MAX_BYTES >> 20} MB or {MAX_FILES} files)')
    found.files.sort()
    return found


def copy_files(source: Path, target: Path, files: list[str]) -> None:
    """Copy the listed files, never through a link, into a fresh target."""
    target.mkdir()
    for rel in files:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(os.path.join(source, rel), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, 'rb') as src, open(target / rel, 'wb') as dst:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise TooLarge(f'{rel} is not a regular file')
            shutil.copyfileobj(src, dst)
