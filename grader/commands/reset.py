"""`grade reset`: put back one exercise's stubs, keeping the student's files as backups."""
from __future__ import annotations

from pathlib import Path

import click

from grader.commands.options import default_submission, exercise_ids
from grader.reset import ResetResult


def reset_text(result: ResetResult, folder: Path) -> str:
    """What was put back, what else that touched, and where the backups are."""
    lines = []
    for name, symbols in result.symbols.items():
        what = 'the whole file' if name in result.whole_files else ', '.join(symbols)
        lines.append(f'Put back the stub of {result.exercise} in {folder / name}: {what}')
    for other, symbols in result.shared.items():
        lines.append(f'  This also resets your work on {other} in {", ".join(symbols)}: the exercises share '
                     f'{"it" if len(symbols) == 1 else "them"}.')
    for name, path in result.backups.items():
        lines.append(f'Your previous {name} is saved as {path}')
    return '\n'.join(lines)


@click.command(short_help="Put back one exercise's stubs, keeping a backup.")
@click.argument('exercise')
@click.option('--submission', '-s', type=click.Path(path_type=Path), default=None,
              help='The folder to reset in (default: ./exercises).')
def reset(exercise: str, submission: Path | None) -> None:
    """Put back the stub of EXERCISE's functions only; your files are backed up first."""
    from grader.reset import ResetError, reset as reset_exercise

    ex_id = exercise_ids((exercise,))[0]
    folder = default_submission(submission)
    try:
        result = reset_exercise(folder, ex_id)
    except ResetError as e:
        raise click.ClickException(str(e)) from None
    click.echo(reset_text(result, folder))
