"""Options and argument helpers that every `grade` command shares."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from grader import catalog
from grader.catalog import UnknownExercise

SUBMISSION = click.option('--submission', '-s', type=click.Path(path_type=Path), default=None,
                          help='The folder to grade, or a folder that holds exercises/ (default: found from '
                               'here, as git finds its repository).')
COLOR = click.option('--color/--no-color', default=None,
                     help='Colour the output (default: on a terminal, unless NO_COLOR is set).')


def default_submission(submission: Path | None) -> Path:
    """The folder of exercise files to work on, found as `grade` finds it; a usage error for a notebook."""
    from grader.commands.work import find_work

    work = find_work(submission, None)
    if work.notebook is not None:
        raise click.UsageError(f'found the notebook {work.notebook}, not a folder of exercise files: '
                               f'pass --notebook {work.notebook}')
    return work.folder


def exercise_ids(names: tuple[str, ...]) -> list[str]:
    """Catalog ids for the names given, or a usage error that suggests close names."""
    try:
        return [catalog.get(n).id for n in names]
    except UnknownExercise as e:
        raise click.BadParameter(str(e), param_hint='EXERCISE') from None


def use_color(flag: bool | None) -> bool:
    """--color/--no-color if given, else colour only on a terminal and never with NO_COLOR set."""
    if flag is not None:
        return flag
    return sys.stdout.isatty() and not os.environ.get('NO_COLOR')


def cannot_write(out: Path, error: OSError) -> click.ClickException:
    """The error for an output path that cannot be written, naming the part that failed."""
    return click.ClickException(f"cannot write into '{out}': {error.strerror} ({error.filename})")
