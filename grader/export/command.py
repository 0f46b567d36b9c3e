"""`grade export gradescope | github-classroom | prairielearn | image`: a thin Click shell over grader.export."""
from __future__ import annotations

from pathlib import Path

import click

from grader.commands.options import cannot_write
from grader.export.gradescope_results import VISIBILITIES

VISIBILITY_HELP = ('Who sees the tests: ' + ', '.join(VISIBILITIES) + '. LEVEL sets every test, EXERCISE=LEVEL one '
                   'exercise\'s (repeat it); the default is visible.')


@click.group(short_help='Make autograders for Gradescope, PrairieLearn, Classroom.')
def export() -> None:
    """Make what grades this course elsewhere: Gradescope, PrairieLearn, GitHub Classroom, or a container image."""


@export.command()
@click.option('--out', '-o', type=click.Path(path_type=Path), default=Path('autograder.zip'), show_default=True,
              help='The zip to write.')
@click.option('--visibility', multiple=True, metavar='[EXERCISE=]LEVEL', help=VISIBILITY_HELP)
@click.option('--stdout-visibility', type=click.Choice(VISIBILITIES), default='hidden', show_default=True,
              help='Who sees the autograder\'s own output (a one-line score, for the instructor).')
@click.option('--output-format', type=click.Choice(['text', 'md']), default='text', show_default=True,
              help='How Gradescope renders the feedback: plain text, or Markdown with the code in code blocks.')
def gradescope(out: Path, visibility: tuple[str, ...], stdout_visibility: str, output_format: str) -> None:
    """Write the autograder zip to upload to a Gradescope programming assignment."""
    from grader.export.gradescope import build_zip
    from grader.export.gradescope_results import GradescopeSettings, SettingsError

    try:
        overall, per_exercise = _visibilities(visibility)
        settings = GradescopeSettings(overall, per_exercise, stdout_visibility, output_format)
    except SettingsError as e:
        raise click.BadParameter(str(e), param_hint='--visibility') from None
    try:
        names = build_zip(out, settings)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint='--out') from None
    except OSError as e:
        raise cannot_write(out, e) from None
    click.echo(f'wrote {out} ({len(names)} files): upload it as the autograder of a Gradescope programming '
               'assignment on an Ubuntu 22.04 (or later) image.')


def _visibilities(values: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """`LEVEL` and `EXERCISE=LEVEL` values -> (every test's level, per-exercise levels)."""
    from grader import catalog
    from grader.export.gradescope_results import SettingsError

    overall, per_exercise = 'visible', {}
    for value in values:
        exercise, _, level = value.rpartition('=')
        if exercise:
            try:
                per_exercise[catalog.get(exercise).id] = level
            except catalog.UnknownExercise as e:
                raise SettingsError(str(e)) from None
        else:
            overall = level
    return overall, per_exercise


@export.command()
@click.option('--out', '-o', type=click.Path(path_type=Path), required=True, help='A new folder for the setup.')
@click.option('--image', default='you/micrograd-grader:root', show_default=True,
              help='The image name PrairieLearn pulls (build and push it from the folder written).')
@click.option('--timeout', type=int, default=60, show_default=True,
              help='Seconds PrairieLearn gives each grading job, 30 to 600; the grader stops student code 15 s '
                   'before it.')
@click.option('--exercise', 'exercises', multiple=True, help='Grade only this exercise (repeat it); default: all.')
def prairielearn(out: Path, image: str, timeout: int, exercises: tuple[str, ...]) -> None:
    """Write PrairieLearn's external-grader setup: the image's build context, info.json and a guide."""
    from grader.export.image import prairielearn_files

    try:
        files = prairielearn_files(image, timeout, list(exercises))
    except (ValueError, KeyError) as e:
        raise click.UsageError(str(e).strip('"')) from None
    _write(out, files, 'build and push the image, then merge info.json into the question\'s (see README.md there).')


@export.command()
@click.option('--out', '-o', type=click.Path(path_type=Path), required=True, help='A new folder for the build context.')
def image(out: Path) -> None:
    """Write the grading image's build context: a Containerfile, the grader (no solutions) and the entry scripts."""
    from grader.export.image import context_files

    _write(out, context_files(), 'build it with `docker build -f Containerfile -t NAME .` there, or `podman build -t NAME .` '
           '(README.md says how to run it).')


def _write(out: Path, files: dict, then: str) -> None:
    from grader.export.image import write_folder

    try:
        write_folder(out, files)
    except FileExistsError as e:
        raise click.BadParameter(str(e), param_hint='--out') from None
    except OSError as e:
        raise cannot_write(out, e) from None
    click.echo(f'wrote {len(files)} files into {out}: {then}')


@export.command(name='github-classroom')
@click.option('--out', '-o', type=click.Path(path_type=Path), default=Path('.'), show_default=True,
              help='The student bundle (from grade publish --out) to write .github/workflows/classroom.yml into; '
                   'never a folder that holds solutions/.')
@click.option('--install', default='.', show_default=True,
              help='What the workflow installs the grader from (a pip requirement): the template repository '
                   'itself by default, or e.g. git+https://github.com/you/grader@v1.')
def github_classroom(out: Path, install: str) -> None:
    """Write a GitHub Classroom workflow that grades every push and reports points per exercise."""
    from grader.export.github_classroom import NotATemplate, write_workflow

    try:
        path = write_workflow(out, install)
    except NotATemplate as e:
        raise click.BadParameter(str(e), param_hint='--out') from None
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint='--install') from None
    except OSError as e:
        raise cannot_write(out, e) from None
    click.echo(f'wrote {path}: commit it to the assignment\'s template repository.')
