"""Options and argument helpers that every `grade` command shares."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from grader import catalog
from grader.catalog import UnknownExercise

SUBMISSION = click.option('--submission', '-s', type=click.Path(path_type=Path), default=None,
                          help='The folder to grade (default: ./exercises).')
COLOR = click.option('--color/--no-color', default=None,
                     help='Colour the output (default: on a terminal, unless NO_COLOR is set).')


def default_submission(submission: Path | None) -> Path:
    """The folder to grade: as given, else ./exercises, with a clear error when it is missing."""
    folder = submission or Path('exercises')
    if not folder.exists():
        where = f"there is no folder '{folder}'" if submission else 'there is no exercises/ folder here'
        raise click.UsageError(f'{where}: run grade from the project folder, or pass --submission DIR')
    if not folder.is_dir():
        raise click.UsageError(f"'{folder}' is not a folder")
    return folder


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
