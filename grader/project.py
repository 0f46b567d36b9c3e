"""Find what to grade, as git finds its repository: from any folder of the project, or beside a single notebook."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from grader import catalog


NEWER_BY = 2.0  # seconds: a checkout or `grade publish` writes the notebook and the files within moments


class NotFound(Exception):
    """There is nothing to grade here, for a reason the student can act on."""


@dataclass(frozen=True)
class Work:
    """What to grade: a folder of exercise files, or one notebook; and a note when the choice may surprise."""

    folder: Path | None = None
    notebook: Path | None = None
    note: str = ''


def exercise_files() -> list[str]:
    """The files students write, such as engine.py and quiz.toml."""
    return list(dict.fromkeys(f for e in catalog.load() for f in e.covers))


def holds_exercises(folder: Path) -> bool:
    """Whether the folder holds at least one exercise file."""
    return any((folder / name).is_file() for name in exercise_files())


def notebooks(folder: Path) -> list[Path]:
    """The notebooks in a folder; a link is not one (it could lead to someone else's work)."""
    return sorted(p for p in folder.glob('*.ipynb') if p.is_file() and not p.is_symlink())


def given(path: Path) -> Work:
    """What --submission names: a folder of exercise files, a folder that holds exercises/, or one notebook."""
    path = Path(path)
    if not path.exists():
        raise NotFound(f"there is no folder '{path}'")
    if path.is_file():
        if path.suffix == '.ipynb':
            return Work(notebook=path)
        raise NotFound(f"'{path}' is not a folder: pass the folder that holds your exercise files, or a notebook")
    if holds_exercises(path):
        return Work(folder=path, note=_newer_notebook(path))
    if (path / 'exercises').is_dir() and not (path / 'exercises').is_symlink():  # a link could lead to a classmate's
        return Work(folder=path / 'exercises', note=_newer_notebook(path / 'exercises'))
    found = notebooks(path)
    if len(found) == 1:
        return Work(notebook=found[0])
    what = f'{len(found)} notebooks (pass one with --notebook)' if found else 'no notebook'
    raise NotFound(f"'{path}' holds no exercise files ({', '.join(exercise_files()[:3])}, ...), no exercises/ "
                   f'folder and {what}')


def find(start: Path | None = None) -> Work:
    """The exercises of the project around `start` (the current folder): the nearest, looking upwards.

    At each folder, from `start` up to the top of its git repository (or of the file system): the
    folder itself if it holds engine.py (you are in exercises/), else its exercises/ folder. Only
    engine.py counts there, as the instructor's grader/checks/ holds an nn.py of its own.
    In `start` alone, a single notebook with no exercise files beside it is graded too.
    """
    here = Path.cwd()
    start = Path(start) if start is not None else here
    level = start.resolve()
    while True:
        folder = level if (level / 'engine.py').is_file() else level / 'exercises'
        if folder.is_dir():
            shown = _shown(folder, here)
            return Work(folder=shown, note=_newer_notebook(shown))
        if level == start.resolve():
            found = notebooks(level)
            if len(found) == 1:
                return Work(notebook=_shown(found[0], here))
            if found:
                raise NotFound(f'this folder holds {len(found)} notebooks and no exercises/ folder: '
                               'pass the one to grade with --notebook FILE')
        if (level / '.git').exists() or level.parent == level:
            break
        level = level.parent
    top = 'the top of its git repository' if (level / '.git').exists() else 'the top of the file system'
    raise NotFound(f'no exercises found: there is no exercises/ folder (or engine.py) in {start.resolve()} or the '
                   f'folders above it, up to {top}, and no notebook here. Run grade inside your project, or pass '
                   '--submission DIR or --notebook FILE')


def find_solutions(start: Path | None = None) -> Path:
    """The marked solutions of the instructor's project around `start`: the nearest solutions/, looking upwards.

    As find() looks for exercises/: from `start` (the current folder) up to the top of its git
    repository (or of the file system), so the instructor's commands work from exercises/ or docs/.
    """
    here = Path.cwd()
    start = Path(start) if start is not None else here
    level = start.resolve()
    while True:
        if (level / 'solutions').is_dir():
            return _shown(level / 'solutions', here)
        if (level / '.git').exists() or level.parent == level:
            break
        level = level.parent
    top = 'the top of its git repository' if (level / '.git').exists() else 'the top of the file system'
    raise NotFound(f"no solutions/ folder found in {start.resolve()} or the folders above it, up to {top}: run it "
                   "in the instructor's project, or pass --solutions DIR")


def _shown(path: Path, here: Path) -> Path:
    """The path as the student would type it: relative to where they are."""
    return Path(os.path.relpath(path, here))


def _newer_notebook(folder: Path) -> str:
    """A note when a single notebook beside the files was saved after all of them: the student may mean it."""
    found = notebooks(folder)
    files = [folder / f for f in exercise_files() if (folder / f).is_file()]
    if len(found) != 1 or not files or found[0].stat().st_mtime < max(f.stat().st_mtime for f in files) + NEWER_BY:
        return ''
    return (f'Graded the files in {folder}; {found[0].name} beside them was saved after them. To grade the '
            f'notebook instead: --notebook {found[0]}')
