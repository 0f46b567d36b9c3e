"""`grade watch`: re-grade on every save and show the exercise you are on."""
from __future__ import annotations

import contextlib
import signal
import sys
import threading
from pathlib import Path
from typing import Iterator

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
    stop = threading.Event()
    try:
        with _ctrl_c_sets(stop):
            for state in watching(target, stop_event=stop, limits=limits, notebook=notebook is not None):
                width = render.terminal_width() if terminal else render.WIDTH
                text = screen(state, str(target), color, width)
                # One write per screen, so a terminal never shows half of one.
                click.echo(CLEAR + text + '\n' if terminal else text + '\n\n', nl=False)
    except KeyboardInterrupt:
        pass
    click.echo('\nStopped watching.')


@contextlib.contextmanager
def _ctrl_c_sets(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C sets `stop`, which the watch loop reads between two steps; a second Ctrl-C interrupts at once.

    A KeyboardInterrupt raised in the middle of a step (between taking a lock and the `try` that would
    release it) could leave the grading process's lock held, and closing it would then wait forever.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_ctrl_c(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _readable(notebook: Path) -> None:
    """A usage error, as `grade check --notebook` gives, unless the file is a notebook that can be read."""
    from grader.notebook.extract import NotebookError, code_cells

    try:
        code_cells(notebook)
    except NotebookError as e:
        raise click.UsageError(str(e)) from None
