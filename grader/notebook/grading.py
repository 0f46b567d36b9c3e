"""grade_notebook(): grade the code of a student's notebook like any submission folder."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grader.grading import grade
from grader.notebook.extract import submission_from_notebook
from grader.notebook.locations import relocate
from grader.results import Report
from grader.sandbox.limits import Limits


@dataclass
class NotebookReport:
    """The report on the notebook's code, and what the notebook itself lacked."""

    report: Report
    problems: list[str] = field(default_factory=list)


def grade_notebook(path: Path, exercise_ids: list[str] | None = None, limits: Limits = Limits()) -> NotebookReport:
    """Extract the notebook's tagged cells into a temporary folder and grade it."""
    with tempfile.TemporaryDirectory(prefix='grade-notebook-') as tmp:
        submission = submission_from_notebook(path, Path(tmp) / 'submission')
        report = grade(submission.folder, exercise_ids, limits)
    report.submission = str(path)
    relocate(report, submission.texts)
    return NotebookReport(report, submission.problems)


def problems_text(problems: list[str], path: Path) -> str:
    """How to read the report for a notebook, and what the notebook lacked, for the terminal."""
    lines = [f'Grading the cells of {path}: engine.py:12 in the feedback is line 12 of the cell that holds '
             'engine.py, and cells are counted from the top of the notebook.']
    return '\n'.join(lines + [f' ! {p}' for p in problems])
