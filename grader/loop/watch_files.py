"""Which saves can change a grade, and telling them apart: a file saved, or a file deleted."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from grader import catalog
from grader.loop.reset import BACKUPS


@dataclass
class Changes:
    """Names of the files saved and deleted in one burst of changes (an editor's save may be several events)."""

    saved: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)


def student_files_filter() -> Callable[[object, str], bool]:
    """Saves that can change a grade: Python files and the catalog's files (quiz.toml), not backups."""
    import watchfiles

    names = {f for e in catalog.load() for f in e.files}
    default = watchfiles.DefaultFilter(ignore_dirs=(*watchfiles.DefaultFilter.ignore_dirs, BACKUPS))
    return lambda change, path: default(change, path) and (path.endswith('.py') or Path(path).name in names)


def notebook_filter(notebook: Path) -> Callable[[object, str], bool]:
    """Saves of this one notebook."""
    return lambda change, path: Path(path).name == notebook.name


def classify(root: Path, paths: set[str]) -> Changes:
    """Each changed path as saved or deleted, by whether it is there now; the folder itself gone counts as deleted."""
    changes = Changes()
    for path in paths:
        here = Path(path)
        name = str(here.relative_to(root)) if here.is_relative_to(root) else here.name
        (changes.saved if here.exists() else changes.deleted).add(name or root.name)
    return changes


def watch_files(target: Path, notebook: bool, stop: threading.Event, post: Callable[[Changes], None]) -> None:
    """Post the changes to target (a folder, or a notebook file) until stop is set; a deleted folder is waited for."""
    import watchfiles

    folder = (target.parent if notebook else target).absolute()
    wanted = notebook_filter(target) if notebook else student_files_filter()
    while not stop.is_set():
        if not folder.is_dir():
            stop.wait(0.25)
            if folder.is_dir():
                post(Changes(saved={folder.name + '/'}))  # it is back: grade it again
            continue
        # A short step: a save is seen within tens of ms, and one seen too soon is cancelled by the next.
        for batch in watchfiles.watch(folder, watch_filter=wanted, step=20, stop_event=stop,
                                      raise_interrupt=False, yield_on_timeout=False):
            if not folder.is_dir():  # the folder is gone, not just its files
                post(Changes(deleted={folder.name + '/'}))
                break
            post(classify(folder, {path for _, path in batch}))
