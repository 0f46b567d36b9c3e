"""`grade reset`: put back one exercise's stubs, keeping the student's files (or notebook) as backups."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from grader.commands.options import exercise_ids
from grader.commands.work import NOTEBOOK, clean, find_work

if TYPE_CHECKING:  # nbformat is slow to import: only a notebook reset loads it
    from grader.notebook.reset import NotebookReset
    from grader.loop.reset import ResetResult


def reset_text(result: ResetResult, folder: Path) -> str:
    """What was put back, what else that touched, and where the backups are."""
    lines = []
    for name, symbols in result.symbols.items():
        what = 'the whole file' if name in result.whole_files else ', '.join(symbols)
        if name in result.already:
            lines.append(f'{folder / name} holds the stub of {result.exercise} already ({what}): nothing to put back')
        else:
            lines.append(f'Put back the stub of {result.exercise} in {folder / name}: {what}')
    if result.backups:
        lines.extend(shared_lines(result.shared))
    for name, path in result.backups.items():
        lines.append(f'Your previous {name} is saved as {path}')
    return '\n'.join(lines)


def notebook_reset_text(result: NotebookReset, notebook: Path) -> str:
    """The same for a notebook: which cells changed, the backup, and to reload the notebook in Jupyter."""
    lines = []
    for number, (name, symbols) in sorted({**result.changed, **result.already}.items()):
        what = 'the whole cell' if not name.endswith('.py') else ', '.join(symbols)
        if number in result.already:
            lines.append(f'Cell {number} of {notebook} ({name}) holds the stub of {result.exercise} already ({what}): '
                         'nothing to put back')
        else:
            lines.append(f'Put back the stub of {result.exercise} in cell {number} of {notebook} ({name}): {what}')
    for name, number in result.added.items():
        lines.append(f'No cell held {name}: added its stub as cell {number}, tagged file:{name}')
    if result.backup is None:
        return '\n'.join(lines)
    lines.extend(shared_lines(result.shared))
    lines.append(f'Your previous notebook is saved as {result.backup}')
    lines.append('If the notebook is open in Jupyter, reload it from disk (File > Reload Notebook from Disk) '
                 'before you edit it: saving the open copy would undo the reset.')
    return '\n'.join(lines)


def shared_lines(shared: dict[str, list[str]]) -> list[str]:
    return [f'  This also resets your work on {other} in {", ".join(symbols)}: the exercises share '
            f'{"it" if len(symbols) == 1 else "them"}.' for other, symbols in shared.items()]


@click.command(short_help="Put back one exercise's stubs, keeping a backup.")
@click.argument('exercise')
@click.option('--submission', '-s', type=click.Path(path_type=Path), default=None,
              help='The folder to reset in (default: found from here, as git finds its repository).')
@NOTEBOOK
def reset(exercise: str, submission: Path | None, notebook: Path | None) -> None:
    """Put back the stub of EXERCISE's functions only; your files are backed up first."""
    from grader.notebook.extract import NotebookError
    from grader.notebook.reset import reset_notebook
    from grader.loop.reset import ResetError, reset as reset_exercise

    ex_id = exercise_ids((exercise,))[0]
    work = find_work(submission, notebook)
    try:
        if work.notebook is not None:
            click.echo(clean(notebook_reset_text(reset_notebook(work.notebook, ex_id), work.notebook)))
        else:
            click.echo(clean(reset_text(reset_exercise(work.folder, ex_id), work.folder)))
    except NotebookError as e:
        raise click.UsageError(str(e)) from None
    except ResetError as e:
        raise click.ClickException(str(e)) from None
