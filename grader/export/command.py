"""`grade export gradescope | github-classroom`: a thin Click shell over grader.export."""
from __future__ import annotations

from pathlib import Path

import click

from grader.commands.options import cannot_write


@click.group(short_help='Make a Gradescope autograder or a Classroom workflow.')
def export() -> None:
    """Make what grades this course elsewhere: a Gradescope autograder or a GitHub Classroom workflow."""


@export.command()
@click.option('--out', '-o', type=click.Path(path_type=Path), default=Path('autograder.zip'), show_default=True,
              help='The zip to write.')
def gradescope(out: Path) -> None:
    """Write the autograder zip to upload to a Gradescope programming assignment."""
    from grader.export.gradescope import build_zip

    try:
        names = build_zip(out)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint='--out') from None
    except OSError as e:
        raise cannot_write(out, e) from None
    click.echo(f'wrote {out} ({len(names)} files): upload it as the autograder of a Gradescope programming '
               'assignment on an Ubuntu 22.04 (or later) image.')


@export.command(name='github-classroom')
@click.option('--out', '-o', type=click.Path(path_type=Path), default=Path('.'), show_default=True,
              help='The template repository to write .github/workflows/classroom.yml into.')
@click.option('--install', default='.', show_default=True,
              help='What the workflow installs the grader from (a pip requirement): the template repository '
                   'itself by default, or e.g. git+https://github.com/you/grader@v1.')
def github_classroom(out: Path, install: str) -> None:
    """Write a GitHub Classroom workflow that grades every push and reports points per exercise."""
    from grader.export.github_classroom import write_workflow

    try:
        path = write_workflow(out, install)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint='--install') from None
    except OSError as e:
        raise cannot_write(out, e) from None
    click.echo(f'wrote {path}: commit it to the assignment\'s template repository.')
