"""The `grade` command: a thin Click shell over grader.grading and the renderers."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from grader import catalog
from grader.feedback import render
from grader.commands.graph import graph
from grader.commands.instructor import add_instructor_commands
from grader.commands.limits import limit_options
from grader.commands.options import COLOR, SUBMISSION, cannot_write, exercise_ids, use_color
from grader.commands.reset import reset
from grader.commands.watch import watch
from grader.commands.work import NOTEBOOK, find_work, grade_work
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
@NOTEBOOK
@click.option('--format', 'fmt', type=click.Choice(['text', 'json', 'gradescope']), default='text')
@click.option('--graphs', type=click.Path(path_type=Path), default=None,
              help='Also draw the graph of every failing gradient check into this folder.')
@COLOR
@limit_options
def check(exercises: tuple[str, ...], submission: Path | None, notebook: Path | None, fmt: str, graphs: Path | None,
          color: bool | None, limits: Limits) -> None:
    """Run the hidden checks; exit 0 only with full marks."""
    ids = exercise_ids(exercises) or None
    work = find_work(submission, notebook)
    if graphs and work.notebook:
        raise click.UsageError(f'--graphs draws from a folder of files, and {work.notebook} is a notebook: '
                               f'`grade graph EXERCISE --notebook {work.notebook}` draws one of its graphs')
    report = grade_work(work, ids, limits)  # a notebook's notes go to stderr, so stdout stays one document
    if fmt == 'json':
        click.echo(render.as_json(report))
    elif fmt == 'gradescope':
        click.echo(render.gradescope(report))
    else:
        click.echo(render.text(report, color=use_color(color)))
    if graphs:
        from grader.commands.graph import drawn_text
        from grader.feedback.graphs import draw_failing
        try:
            drawn = draw_failing(work.folder, report, graphs, limits)
        except OSError as e:
            raise cannot_write(graphs, e) from None
        click.echo(drawn_text(drawn), err=True)
    sys.exit(0 if report.full_marks else 1)


@main.command(name='list')
@SUBMISSION
@NOTEBOOK
@COLOR
@limit_options
def list_(submission: Path | None, notebook: Path | None, color: bool | None, limits: Limits) -> None:
    """Show your progress through the exercises."""
    report = grade_work(find_work(submission, notebook), limits=limits)
    click.echo(render.table(report, use_color(color), render.terminal_columns()))
    nxt = report.first_failing
    click.echo(f'\nNext: {nxt.id} — {nxt.title}' if nxt else '\nAll done: full marks.')


@main.command(short_help='Show the next hint.')
@click.argument('exercise', required=False)
@SUBMISSION
@NOTEBOOK
@click.option('--all', 'show_all', is_flag=True, help='Show every hint at once.')
@click.option('--reset', is_flag=True, help='Start this exercise\'s hints from the first again.')
@limit_options
def hint(exercise: str | None, submission: Path | None, notebook: Path | None, show_all: bool, reset: bool,
         limits: Limits) -> None:
    """Show the next hint for EXERCISE, or for the exercise you are on (each call reveals one more)."""
    from grader.loop import hints

    named = catalog.get(exercise_ids((exercise,))[0]) if exercise else None
    try:
        work = find_work(submission, notebook)
    except click.UsageError:
        if not named or submission or notebook:
            raise
        work = None  # a named exercise's hints need no project: they are this folder's
    ex = named if named or work is None else hints.current(grade_work(work, limits=limits, notes=False))
    if ex is None:
        click.echo('Every exercise passes: no hints needed.')
        return
    shown = hints.reveal(ex, hints.project(work), show_all=show_all, reset=reset)
    click.echo(render.hints_text(ex, shown))


for command in (watch, graph, reset):
    main.add_command(command)
add_instructor_commands(main)
