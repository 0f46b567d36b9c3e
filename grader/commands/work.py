"""What a command works on: named by --submission or --notebook, or found from here as git finds a repository."""
from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from grader.project import NotFound, Work, find, given
from grader.results import Report
from grader.sandbox.limits import Limits

NOTEBOOK = click.option('--notebook', type=click.Path(path_type=Path), default=None,
                        help='Work on the code cells of this Jupyter notebook instead of a folder.')


def find_work(submission: Path | None, notebook: Path | None) -> Work:
    """The folder or notebook to work on, or a usage error that says what was looked for."""
    if submission and notebook:
        raise click.UsageError('give --submission or --notebook, not both')
    if notebook:
        return Work(notebook=notebook)
    try:
        return given(submission) if submission else find()
    except NotFound as e:
        raise click.UsageError(str(e)) from None


def grade_work(work: Work, ids: list[str] | None = None, limits: Limits = Limits(), notes: bool = True) -> Report:
    """Grade a folder or a notebook; what the student should know about how it was read goes to stderr."""
    from grader.grading import GradingError, grade
    from grader.notebook.extract import NotebookError
    from grader.notebook.grading import grade_notebook, problems_text

    if notes and work.note:
        click.echo(clean(work.note), err=True)
    try:
        if work.notebook is None:
            return grade(work.folder, ids, limits)
        graded = grade_notebook(work.notebook, ids, limits)
    except NotebookError as e:
        raise click.UsageError(str(e)) from None
    except GradingError as e:
        raise click.ClickException(str(e)) from None
    if notes:
        click.echo(clean(problems_text(graded.problems, work.notebook)), err=True)
    return graded.report


def clean(text: str) -> str:
    """Text that names the student's files, with any control character in a name shown as �, line by line."""
    from grader.feedback import clean as cleaning

    return cleaning.text(text)


@contextmanager
def work_folder(work: Work) -> Iterator[Path]:
    """A folder of exercise files: the work's own, or the notebook's cells written into a temporary one."""
    from grader.notebook.extract import NotebookError, submission_from_notebook

    if work.notebook is None:
        yield work.folder
        return
    with tempfile.TemporaryDirectory(prefix='grade-notebook-') as tmp:
        try:
            extracted = submission_from_notebook(work.notebook, Path(tmp) / 'submission')
        except NotebookError as e:
            raise click.UsageError(str(e)) from None
        yield extracted.folder
