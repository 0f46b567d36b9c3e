"""The instructor's commands: `grade publish`, `grade validate` and `grade new`, and which commands a copy offers."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from grader.commands.options import cannot_write

INSTRUCTOR_COMMANDS = ('batch', 'export', 'publish', 'validate', 'new')

SOLUTIONS = click.option('--solutions', type=click.Path(path_type=Path), default=None,
                         help='The marked solutions (default: the solutions/ of the project around here, found as '
                              'git finds its repository).')


def solutions_folder(given: Path | None) -> Path:
    """--solutions if given, else the project's solutions/ found upwards from here; a usage error when there is none."""
    from grader.project import NotFound, find_solutions

    if given is not None:
        if not given.is_dir():
            raise click.UsageError(f"there is no solutions folder '{given}': pass the marked solutions with --solutions DIR")
        return given
    try:
        return find_solutions()
    except NotFound as e:
        raise click.UsageError(str(e)) from None


def _instructor_only(command: str) -> click.ClickException:
    return click.ClickException(f'grade {command} is for instructors: this copy of the grader was published '
                                'for students and does not include it')


def student_bundle() -> bool:
    """True in a copy published with `grade publish --out`: it alone ships pristine stubs."""
    from grader.publish import PACKAGED_STUBS

    return PACKAGED_STUBS.is_dir()


def add_instructor_commands(group: click.Group) -> None:
    """The instructor's commands; in a student bundle, hidden ones that only say they are for instructors."""
    if student_bundle():
        for name in INSTRUCTOR_COMMANDS:
            group.add_command(_refusal(name))
        return
    from grader.batch.command import batch
    from grader.export.command import export

    for command in (batch, export, publish, validate, new):
        group.add_command(command)


def _refusal(name: str) -> click.Command:
    def refuse(args: tuple[str, ...]) -> None:
        raise _instructor_only(name)
    return click.Command(name, hidden=True, callback=refuse, add_help_option=False,
                         params=[click.Argument(['args'], nargs=-1, type=click.UNPROCESSED)],
                         context_settings={'ignore_unknown_options': True})


@click.command(short_help='Generate the stubs and notebook, or a student bundle.')
@SOLUTIONS
@click.option('--exercises', type=click.Path(path_type=Path), default=None,
              help='Where the generated stubs go (default: the exercises/ beside the solutions).')
@click.option('--force', is_flag=True, help='Overwrite files edited since they were generated, after backing them up.')
@click.option('--out', type=click.Path(path_type=Path), default=None,
              help='Write a student bundle into this new folder instead (exercises/ is left alone).')
def publish(solutions: Path | None, exercises: Path | None, force: bool, out: Path | None) -> None:
    """Generate the stubs in exercises/ from the marked solutions, or a student bundle with --out."""
    from grader.publish import MarkerError, PublishError
    from grader.publish.bundle import BundleTarget, write_bundle
    from grader.publish.write import publish as publish_files

    solutions = solutions_folder(solutions)
    if exercises is None:  # beside the solutions, as the student's copy of the project has it
        exercises = Path(os.path.relpath(solutions.resolve().parent / 'exercises'))
    try:
        if out is not None:
            bundle = write_bundle(solutions, out)
            click.echo(f'wrote a student bundle of {len(bundle.files)} files into {bundle.folder}')
            return
        result = publish_files(solutions, exercises, force=force)
    except BundleTarget as e:
        raise click.BadParameter(str(e), param_hint='--out') from None
    except (MarkerError, PublishError) as e:
        raise click.ClickException(str(e)) from None
    except OSError as e:
        raise cannot_write(out or exercises, e) from None
    if result.backed_up:
        click.echo(f"backed up {', '.join(result.backed_up)} to {result.backup_folder}")
    click.echo(f'published {len(result.written) + len(result.unchanged)} files into {result.folder}: '
               f'{len(result.written)} written, {len(result.unchanged)} unchanged')


@click.command(short_help='Check the checks against solutions, stubs and mutants.')
@click.argument('exercises', nargs=-1)
@SOLUTIONS
def validate(exercises: tuple[str, ...], solutions: Path | None) -> None:
    """Check the checks: solutions pass, stubs fail, every known mistake is caught and explained."""
    try:
        from grader.validation import validate as run_validation
        from grader.validation.render import text
    except ImportError:
        raise _instructor_only('validate') from None
    from grader.catalog import UnknownExercise

    solutions = solutions_folder(solutions)
    try:
        report = run_validation(solutions, list(exercises) or None)
    except UnknownExercise as e:
        raise click.BadParameter(str(e), param_hint='EXERCISE') from None
    click.echo(text(report))
    sys.exit(0 if report.ok else 1)


@click.command(short_help='Scaffold a new exercise.')
@click.argument('exercise_id')
@SOLUTIONS
@click.option('--file', 'file', default='', help='The student file it lives in (default: EXERCISE_ID.py).')
@click.option('--symbol', default='', help='The function or Class.method the student writes (default: EXERCISE_ID).')
@click.option('--title', default='', help='The title shown to students.')
def new(exercise_id: str, solutions: Path | None, file: str, symbol: str, title: str) -> None:
    """Scaffold a new exercise: catalog entry, failing check module, marked solution, mutants file, contract page."""
    try:
        from grader.scaffold import ScaffoldError, SolutionError, new_exercise
    except ImportError:
        raise _instructor_only('new') from None
    solutions = solutions_folder(solutions)
    try:
        done = new_exercise(exercise_id, solutions, file=file, symbol=symbol, title=title)
    except SolutionError as e:
        raise click.ClickException(str(e)) from None
    except ScaffoldError as e:
        raise click.UsageError(str(e)) from None
    for path in done.created:
        click.echo(f'created  {path}')
    for path in done.appended:
        click.echo(f'added to {path}')
    click.echo(f'Next: write the solution, the check and the contract page, then run `grade validate {done.exercise}` '
               '(docs/adding-an-exercise.md walks through it).')
