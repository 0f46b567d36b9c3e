"""`grade watch`: re-grade on every save and show the exercise you are on."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.feedback import render
from grader.commands.limits import limit_options
from grader.commands.options import COLOR, SUBMISSION, default_submission, use_color
from grader.sandbox.limits import Limits


@click.command(short_help='Re-grade on every save (Ctrl-C quits).')
@SUBMISSION
@click.option('--notebook', type=click.Path(path_type=Path), default=None,
              help='Watch this Jupyter notebook and grade its code cells on every save.')
@COLOR
@limit_options
def watch(submission: Path | None, notebook: Path | None, color: bool | None, limits: Limits) -> None:
    """Re-grade whenever you save, showing the exercise you are on (Ctrl-C quits)."""
    from grader.loop.watch import watch as watching
    from grader.loop.watch_screen import CLEAR, screen

    if submission and notebook:
        raise click.UsageError('give --submission or --notebook, not both')
    if notebook:
        _readable(notebook)
    target = notebook or default_submission(submission)
    color = use_color(color)
    terminal = sys.stdout.isatty()
    try:
        for state in watching(target, limits=limits, notebook=notebook is not None):
            width = render.terminal_width() if terminal else render.WIDTH
            text = screen(state, str(target), color, width)
            # One write per screen, so a terminal never shows half of one.
            click.echo(CLEAR + text + '\n' if terminal else text + '\n\n', nl=False)
    except KeyboardInterrupt:
        click.echo('\nStopped watching.')


def _readable(notebook: Path) -> None:
    """A usage error, as `grade check --notebook` gives, unless the file is a notebook that can be read."""
    from grader.notebook.extract import NotebookError, code_cells

    try:
        code_cells(notebook)
    except NotebookError as e:
        raise click.UsageError(str(e)) from None
