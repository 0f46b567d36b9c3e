"""Finding the submissions in a class folder and making a private, checked copy of each one to grade."""
from __future__ import annotations

import os
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from grader.batch.walk import TooLarge, copy_files, walk

if TYPE_CHECKING:
    from grader.notebook.assemble import FileText


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
    problems: tuple[str, ...] = ()  # how it was read (what a notebook lacked, what was left out), for the student
    texts: dict[str, FileText] = field(default_factory=dict)  # a notebook's files: where each line came from


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
    """Copy the entry's exercise files into workdir/submission and check that it can be graded.

    Only the files grading needs are copied, and only they count towards the size limits.
    Anything that goes wrong with one entry is that entry's reason, never the batch's.
    """
    target = Path(workdir) / 'submission'
    if entry.is_symlink():
        return Prepared(None, 'a link, which is not graded: hand in the files themselves, not a link to them')
    try:
        if entry.suffix == '.ipynb' and entry.is_file():
            return _from_notebook(entry, target)
        if not entry.is_dir():
            return Prepared(None, 'not a folder: each submission is a folder laid out like exercises/, or a notebook')
        found = walk(entry)
        copy_files(entry, target, found.files)
    except PermissionError as e:
        return Prepared(None, f'cannot be read: permission denied ({_relative(e.filename, entry)})')
    except TooLarge as e:
        return Prepared(None, str(e))
    except OSError as e:
        return Prepared(None, f'cannot be read: {e.strerror or e} ({_relative(e.filename, entry)})')
    except Exception as e:  # noqa: BLE001 - an odd entry must cost its own row, never the batch
        return Prepared(None, f'could not be read: {type(e).__name__}: {e}')
    prepared = _checked(target)
    return Prepared(prepared.folder, prepared.reason, prepared.problems + found.notes())


def _from_notebook(notebook: Path, target: Path) -> Prepared:
    """The notebook's tagged (or recognised) cells, written out as exercise files."""
    from grader.notebook import NotebookError, submission_from_notebook

    try:
        extracted = submission_from_notebook(notebook, target)
    except NotebookError as e:
        return Prepared(None, str(e).replace(str(notebook), notebook.name))
    if not extracted.files:
        return Prepared(None, f'{notebook.name} has no exercise code: ' + '; '.join(extracted.problems))
    return Prepared(extracted.folder, problems=tuple(extracted.problems), texts=extracted.texts)


def _checked(folder: Path) -> Prepared:
    """The folder holding the Python files: the copy itself, its only subfolder that has them, or an exercises/ folder.

    A notebook beside Python files is not graded, and the student is told so.
    """
    holder = _holder(folder)
    notebooks = sorted(folder.glob('*.ipynb'))
    if isinstance(holder, str):
        return Prepared(None, holder)
    if holder is None and len(notebooks) == 1:
        return _from_notebook(notebooks[0], folder.parent / 'from-notebook')
    if holder is None and notebooks:
        return Prepared(None, f'it holds {len(notebooks)} notebooks ({_listed(notebooks)}) and no Python files: '
                              'one notebook must be chosen, so hand in only the one to grade')
    if holder is None:
        return Prepared(None, 'no Python files: expected the exercise files (engine.py, nn.py, ...) or one notebook')
    for path in _python_files(holder):
        reason = _undecodable(path)
        if reason:
            return Prepared(None, reason)
    beside = sorted(set(notebooks) | set(holder.glob('*.ipynb')))
    if not beside:
        return Prepared(holder)
    where = f' in {holder.relative_to(folder).as_posix()}' if holder != folder else ''
    return Prepared(holder, problems=(f'graded the Python files{where}; {_listed(beside)} beside them '
                                      f'{"was" if len(beside) == 1 else "were"} not graded (hand in the notebook alone '
                                      'to grade it)',))


def _holder(folder: Path) -> Path | str | None:
    """Where the Python files are; a reason when that cannot be told; None when there are none."""
    if _python_files(folder):
        return folder
    holders = [d for d in sorted(folder.iterdir()) if d.is_dir() and _python_files(d)]
    if any(d.name == 'exercises' for d in holders):
        return folder / 'exercises'  # a whole copy of the project, as a repository upload holds
    # Deeper down (the copy holds only what the walk reached): a repository in a folder, as myrepo/exercises/.
    nested = sorted(d for d in folder.rglob('exercises') if d.is_dir() and _python_files(d))
    if len(nested) > 1:
        shown = ', '.join(d.relative_to(folder).as_posix() for d in nested)
        return f'exercise files in several exercises/ folders ({shown}): cannot tell which to grade'
    if nested and (not holders or holders == [folder / nested[0].relative_to(folder).parts[0]]):
        return nested[0]  # even beside a setup.py in the repository's top folder
    if len(holders) > 1:
        return 'Python files in several folders (' + ', '.join(d.name for d in holders) + '): cannot tell which to grade'
    return holders[0] if holders else None


def _listed(paths: list[Path]) -> str:
    """Up to three names, and how many more."""
    return ', '.join(p.name for p in paths[:3]) + (f' and {len(paths) - 3} more' if len(paths) > 3 else '')


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


