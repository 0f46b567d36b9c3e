"""check("forward_ops") inside Jupyter: grade the saved notebook through the sandbox and show the feedback inline.

The kernel only reads the saved file and calls the grading library, as `grade check --notebook` does:
the student's code runs in the sandbox's child process, never in the kernel.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING, Any

from grader.results import Report
from grader.sandbox.limits import Limits

if TYPE_CHECKING:
    from grader.notebook.session import Runs


@dataclass
class NotebookCheck:
    """What check() found: a report, or why there is none (not saved, no notebook, an unknown exercise)."""

    notebook: str = ''
    exercises: list[str] = field(default_factory=list)
    report: Report | None = None
    problems: list[str] = field(default_factory=list)  # how the notebook was read
    unsaved: list[int] = field(default_factory=list)  # execution counts of code the saved file does not hold
    error: str = ''

    def _repr_html_(self) -> str:
        from grader.notebook.show import as_html
        return as_html(self)

    def __repr__(self) -> str:
        from grader.notebook.show import as_text
        return as_text(self)


def check(*exercises: str, notebook: str | os.PathLike | None = None, limits: Limits | None = None) -> NotebookCheck:
    """Grade these exercises (all of them without any) in this notebook's saved file, and show the feedback."""
    from grader import catalog
    from grader.catalog import UnknownExercise

    wrong = _wrong_argument(exercises, notebook, limits)
    if wrong:
        return NotebookCheck(error=wrong)
    try:
        ids = [catalog.get(exercise).id for exercise in exercises]
    except UnknownExercise as e:
        return NotebookCheck(error=str(e).replace('`grade list`', 'check()'))
    from grader.notebook.session import NotebookNotFound, find_notebook, record_runs

    shell = _shell()
    runs = record_runs(shell) if shell is not None else None
    try:
        path = Path(notebook) if notebook else find_notebook(shell.user_ns if shell is not None else {}, Path.cwd(),
                                                             runs.sources if runs is not None else [])
    except NotebookNotFound as e:
        return NotebookCheck(exercises=ids, error=str(e))
    return grade_saved(path, ids, limits or Limits(), runs, shell.execution_count if shell is not None else -1)


def _wrong_argument(exercises: tuple, notebook: object, limits: object) -> str:
    """What is wrong with check()'s arguments, in words ('' when nothing is)."""
    for given in exercises:
        if not isinstance(given, str):
            return ('give each exercise id as a string of its own, as in check("forward_ops", "backward"), '
                    f'not {_shown(given)}')
        if given.endswith('.ipynb'):
            return f'name the notebook with notebook=, as in check("forward_ops", notebook={_shown(given)})'
    if notebook is not None and not isinstance(notebook, (str, os.PathLike)):
        return f'notebook= takes the notebook\'s file name, as in check(notebook="lab.ipynb"), not {_shown(notebook)}'
    if limits is not None and not isinstance(limits, Limits):
        return f'limits= takes a Limits, from grader.sandbox.limits, not {_shown(limits)}'
    return ''


def _shown(value: object) -> str:
    """A value the student passed, short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + '…'


def grade_saved(path: Path, ids: list[str], limits: Limits, runs: Runs | None, current: int) -> NotebookCheck:
    """Grade the saved notebook, unless the kernel ran code that the file does not hold yet."""
    from grader.grading import GradingError
    from grader.notebook.extract import NotebookError, code_cells
    from grader.notebook.grading import grade_notebook
    from grader.notebook.session import unsaved

    result = NotebookCheck(notebook=path.name, exercises=ids)
    try:
        saved = [c.source for c in code_cells(path)]
        if runs is not None:
            result.unsaved = unsaved(runs, saved, path.stat().st_mtime, current)
        if result.unsaved:
            return result
        graded = grade_notebook(path, ids or None, limits)
    except (NotebookError, GradingError, OSError) as e:
        result.error = str(e)
        return result
    result.report, result.problems = graded.report, graded.problems
    return result


def _shell() -> Any:
    """The IPython shell this runs in, or None outside one (or in a plain IPython without history)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell if shell is not None and hasattr(shell, 'history_manager') else None
