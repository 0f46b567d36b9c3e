"""Progressive hints: each `grade hint EXERCISE` reveals one more, remembered per user."""
from __future__ import annotations

import json
import os
from pathlib import Path

from grader import catalog
from grader.atomic import write_atomic
from grader.catalog import Exercise
from grader.results import Report


def state_file() -> Path:
    base = os.environ.get('GRADE_STATE_DIR') or os.path.join(
        os.environ.get('XDG_STATE_HOME') or os.path.join(Path.home(), '.local', 'state'), 'micrograd-grader')
    return Path(base) / 'hints.json'


def reveal(ex: Exercise, show_all: bool = False, reset: bool = False) -> int:
    """How many hints to show now, after counting this request."""
    path = state_file()
    seen = _seen(path)
    count = len(ex.hints) if show_all else 1 if reset else min(seen.get(ex.id, 0) + 1, len(ex.hints))
    seen[ex.id] = count
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(seen, indent=1))
    except OSError:
        pass  # hints still show; only the progress is not remembered
    return count


def _seen(path: Path) -> dict[str, int]:
    """How many hints each exercise has shown; a damaged state file counts as none shown."""
    try:
        data = json.loads(path.read_text(encoding='utf-8'))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if type(v) is int and v >= 0} if isinstance(data, dict) else {}


def current(report: Report) -> Exercise | None:
    """The exercise the student is on: the first that does not pass, or None with full marks."""
    first = report.first_failing
    return catalog.get(first.id) if first else None
