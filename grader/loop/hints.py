"""Progressive hints: each `grade hint EXERCISE` reveals one more, remembered per user and per project."""
from __future__ import annotations

import json
import os
from pathlib import Path

from grader import catalog
from grader.atomic import write_atomic
from grader.catalog import Exercise
from grader.project import Work
from grader.results import Report


def state_file() -> Path:
    """~/.local/state/micrograd-grader/hints.json, or under $XDG_STATE_HOME, or $GRADE_STATE_DIR."""
    base = os.environ.get('GRADE_STATE_DIR') or os.path.join(
        os.environ.get('XDG_STATE_HOME') or os.path.join(Path.home(), '.local', 'state'), 'micrograd-grader')
    return Path(base) / 'hints.json'


def project(work: Work | None) -> str:
    """Whose hints these are: the absolute path of the exercises folder or notebook (of this folder, if none)."""
    path = (work.notebook or work.folder) if work else None
    return str(Path(path or Path.cwd()).resolve())


def reveal(ex: Exercise, where: str, show_all: bool = False, reset: bool = False) -> int:
    """How many hints of this exercise to show now in the project `where`, after counting this request."""
    path = state_file()
    projects = _projects(path)
    seen = projects.setdefault(where, {})
    count = len(ex.hints) if show_all else 1 if reset else min(seen.get(ex.id, 0) + 1, len(ex.hints))
    seen[ex.id] = count
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(projects, indent=1))
    except OSError:
        pass  # hints still show; only the progress is not remembered
    return count


def _projects(path: Path) -> dict[str, dict[str, int]]:
    """Each project's count of hints shown, by exercise; a damaged entry (or an older file's) counts as none shown."""
    try:
        data = json.loads(path.read_text(encoding='utf-8'))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {where: {k: v for k, v in seen.items() if type(v) is int and v >= 0}
            for where, seen in data.items() if isinstance(seen, dict)}


def current(report: Report) -> Exercise | None:
    """The exercise the student is on: the first that does not pass, or None with full marks."""
    first = report.first_failing
    return catalog.get(first.id) if first else None
