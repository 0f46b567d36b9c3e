"""Finding the submissions in a class folder and making a private, checked copy of each one to grade."""
from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tokenize
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 20 << 20  # more than this in one submission is not a set of exercise files
MAX_FILES = 2000
SKIPPED_DIRS = {'__pycache__', '.git', '.ipynb_checkpoints', 'venv', '.venv', 'node_modules'}


class BatchError(Exception):
    """The batch cannot start, for a reason the user can fix."""


@dataclass(frozen=True)
class Entry:
    """One entry of the class folder: a student's submission, graded under its name."""

    name: str
    path: Path


@dataclass(frozen=True)
class Prepared:
    """A private copy ready to grade, or the reason the entry cannot be graded."""

    folder: Path | None
    reason: str = ''
    problems: tuple[str, ...] = ()  # what a notebook lacked, for the student's feedback


def discover(root: Path) -> list[Entry]:
    """The entries of the class folder, by name; hidden entries (.DS_Store, .git) are not submissions."""
    root = Path(root)
    if not root.is_dir():
        raise BatchError(f"'{root}' is not a folder of submissions")
    try:
        names = sorted(os.listdir(root))
    except OSError as e:
        raise BatchError(f"cannot read '{root}': {e.strerror}") from None
    return [Entry(name, root / name) for name in names if not name.startswith('.')]


def prepare(entry: Path, workdir: Path) -> Prepared:
    """Copy the entry into workdir/submission (regular files only) and check that it can be graded."""
    target = Path(workdir) / 'submission'
    try:
        if entry.suffix == '.ipynb' and entry.is_file():
            return _from_notebook(entry, target)
        if not entry.is_dir():
            return Prepared(None, 'not a folder: each submission is a folder laid out like exercises/, or a notebook')
        _copy_tree(entry, target)
    except PermissionError as e:
        return Prepared(None, f'cannot be read: permission denied ({_relative(e.filename, entry)})')
    except _TooLarge as e:
        return Prepared(None, str(e))
    except OSError as e:
        return Prepared(None, f'cannot be read: {e.strerror or e} ({_relative(e.filename, entry)})')
    return _checked(target)


def _from_notebook(notebook: Path, target: Path) -> Prepared:
    """The notebook's tagged (or recognised) cells, written out as exercise files."""
    from grader.notebook import NotebookError, submission_from_notebook

    try:
        extracted = submission_from_notebook(notebook, target)
    except NotebookError as e:
        return Prepared(None, str(e).replace(str(notebook), notebook.name))
    if not extracted.files:
        return Prepared(None, f'{notebook.name} has no exercise code: ' + '; '.join(extracted.problems))
    return Prepared(extracted.folder, problems=tuple(extracted.problems))


def fingerprint(entry: Path) -> str:
    """A hash of the entry's names and bytes, as the copy would see them; '' if it cannot be read."""
    digest, budget = hashlib.sha256(), [MAX_BYTES]
    try:
        if not entry.is_dir():
            _hash_file(digest, str(entry), budget) if entry.is_file() else digest.update(b'not a file')
            return digest.hexdigest()
        for here, dirs, files in os.walk(entry, onerror=_raise):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not os.path.islink(os.path.join(here, d)))
            for name in sorted(files):
                path = os.path.join(here, name)
                if stat.S_ISREG(os.lstat(path).st_mode):
                    digest.update(os.path.relpath(path, entry).encode('utf-8', 'surrogateescape') + b'\0')
                    _hash_file(digest, path, budget)
    except OSError:
        return ''
    return digest.hexdigest()


def _hash_file(digest: hashlib._Hash, path: str, budget: list[int]) -> None:
    """Hash the file's bytes, reading no more than the budget left (a huge file is too large to grade anyway)."""
    with open(path, 'rb') as f:
        while budget[0] > 0 and (chunk := f.read(min(1 << 20, budget[0]))):
            budget[0] -= len(chunk)
            digest.update(chunk)
        digest.update(b'\0%d\0' % os.fstat(f.fileno()).st_size)


def _copy_tree(source: Path, target: Path) -> None:
    """Copy regular files and folders; symbolic links are left out so nothing points at real files."""
    total, count = 0, 0
    target.mkdir()
    for here, dirs, files in os.walk(source, onerror=_raise):
        rel = Path(here).relative_to(source)
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not os.path.islink(os.path.join(here, d)))
        for d in dirs:
            (target / rel / d).mkdir()
        for name in sorted(files):
            path = os.path.join(here, name)
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                continue
            total, count = total + info.st_size, count + 1
            if total > MAX_BYTES or count > MAX_FILES:
                raise _TooLarge(f'too large to be a set of exercises (over {MAX_BYTES >> 20} MB or {MAX_FILES} files)')
            shutil.copyfile(path, target / rel / name, follow_symlinks=False)


def _checked(folder: Path) -> Prepared:
    """The folder holding the Python files (the copy itself, or its only subfolder that has them)."""
    holders = [folder] if _python_files(folder) else [d for d in sorted(folder.iterdir()) if d.is_dir() and _python_files(d)]
    notebooks = sorted(folder.glob('*.ipynb'))
    if not holders and len(notebooks) == 1:
        return _from_notebook(notebooks[0], folder.parent / 'from-notebook')
    if not holders:
        return Prepared(None, 'no Python files: expected the exercise files (engine.py, nn.py, ...) or one notebook')
    if len(holders) > 1 and any(d.name == 'exercises' for d in holders):
        holders = [folder / 'exercises']  # a whole copy of the project, as a repository upload holds
    if len(holders) > 1:
        return Prepared(None, 'Python files in several folders (' + ', '.join(d.name for d in holders) + '): cannot tell which to grade')
    for path in _python_files(holders[0]):
        reason = _undecodable(path)
        if reason:
            return Prepared(None, reason)
    return Prepared(holders[0])


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix == '.py' and p.is_file())


def _undecodable(path: Path) -> str:
    """Why Python could not read this file as source text, or ''."""
    with open(path, 'rb') as f:
        try:
            encoding, _ = tokenize.detect_encoding(f.readline)
        except SyntaxError:
            return f'{path.name} is not readable text: it is not UTF-8, and declares no encoding Python knows'
        f.seek(0)
        data = f.read()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b'\n') + 1
        return f'{path.name} is not readable text: line {line} is not {encoding}'
    return ''


def _relative(filename: object, entry: Path) -> str:
    if not filename:
        return entry.name
    try:
        return str(Path(str(filename)).relative_to(entry.parent))
    except ValueError:
        return Path(str(filename)).name


def _raise(error: OSError) -> None:
    raise error


class _TooLarge(Exception):
    pass
