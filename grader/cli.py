"""The `grade` command: a thin Click shell over grader.grading and the renderers."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from grader import catalog, render
from grader.commands.graph import graph
from grader.commands.instructor import add_instructor_commands
from grader.commands.limits import limit_options
from grader.commands.options import COLOR, SUBMISSION, cannot_write, default_submission, exercise_ids, use_color
from grader.commands.reset import reset
from grader.commands.watch import watch
from grader.sandbox.limits import Limits


@click.group(invoke_without_command=True)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Grade your micrograd exercises. With no command, the same as `grade check`."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(check)


@main.command()
@click.argument('exercises', nargs=-1)
@SUBMISSION
@click.option('--notebook', type=click.Path(path_type=Path), default=None,
              help='Grade the code cells of this Jupyter notebook instead of a folder.')
@click.option('--format', 'fmt', type=click.Choice(['text', 'json', 'gradescope']), default='text')
@click.option('--graphs', type=click.Path(path_type=Path), default=None,
              help='Also draw the graph of every failing gradient check into this folder.')
@COLOR
@limit_options
def check(exercises: tuple[str, ...], submission: Path | None, notebook: Path | None, fmt: str, graphs: Path | None,
          color: bool | None, limits: Limits) -> None:
    """Run the hidden checks; exit 0 only with full marks."""
    from grader.grading import GradingError, grade

    ids = exercise_ids(exercises) or None
    if graphs and notebook:
        raise click.UsageError('--graphs draws from a folder of files: use it with --submission, not --notebook')
    try:
        if notebook:
            report = notebook_report(notebook, submission, ids, limits)
        else:
            report = grade(default_submission(submission), ids, limits)
    except GradingError as e:
        raise click.ClickException(str(e)) from None
    if fmt == 'json':
        click.echo(render.as_json(report))
    elif fmt == 'gradescope':
        click.echo(render.gradescope(report))
    else:
        click.echo(render.text(report, color=use_color(color)))
    if graphs:
        from grader.commands.graph import drawn_text
        from grader.graphs import draw_failing
        try:
            drawn = draw_failing(default_submission(submission), report, graphs)
        except OSError as e:
            raise cannot_write(graphs, e) from None
        click.echo(drawn_text(drawn), err=True)
    sys.exit(0 if report.full_marks else 1)


def notebook_report(notebook: Path, submission: Path | None, ids: list[str] | None, limits: Limits):
    """Grade a notebook's cells; what it lacked goes to stderr, so stdout stays one document."""
    from grader.notebook.extract import NotebookError
    from grader.notebook.grading import grade_notebook, problems_text

    if submission:
        raise click.UsageError('give --submission or --notebook, not both')
    try:
        graded = grade_notebook(notebook, ids, limits)
    except NotebookError as e:
        raise click.UsageError(str(e)) from None
    click.echo(problems_text(graded.problems, notebook), err=True)
    return graded.report


@main.command(name='list')
@SUBMISSION
@COLOR
def list_(submission: Path | None, color: bool | None) -> None:
    """Show your progress through the exercises."""
    from grader.grading import grade

    report = grade(default_submission(submission))
    click.echo(render.table(report, use_color(color)))
    nxt = report.first_failing
    click.echo(f'\nNext: {nxt.id} — {nxt.title}' if nxt else '\nAll done: full marks.')


@main.command(short_help='Show the next hint.')
@click.argument('exercise', required=False)
@SUBMISSION
@click.option('--all', 'show_all', is_flag=True, help='Show every hint at once.')
@click.option('--reset', is_flag=True, help='Start this exercise\'s hints from the first again.')
def hint(exercise: str | None, submission: Path | None, show_all: bool, reset: bool) -> None:
    """Show the next hint for EXERCISE, or for the exercise you are on (each call reveals one more)."""
    from grader import hints

    ex = catalog.get(exercise_ids((exercise,))[0]) if exercise else hints.current(default_submission(submission))
    if ex is None:
        click.echo('Every exercise passes: no hints needed.')
        return
    shown = hints.reveal(ex, show_all=show_all, reset=reset)
    click.echo(render.hints_text(ex, shown))


for command in (watch, graph, reset):
    main.add_command(command)
add_instructor_commands(main)
