"""`grade graph`: draw a computation graph as the student's engine builds it, coloured where it differs."""
from __future__ import annotations

from pathlib import Path

import click

from grader.sandbox.limits import Limits

from grader.commands.limits import limit_options
from grader.commands.options import cannot_write, exercise_ids
from grader.commands.work import NOTEBOOK, find_work, work_folder


@click.command(short_help="Draw an exercise's failing graph (or the lecture's).")
@click.argument('exercise', required=False)
@click.option('--submission', '-s', type=click.Path(path_type=Path), default=None,
              help='The folder whose engine builds the graph (default: found from here, as git finds its '
                   'repository).')
@NOTEBOOK
@click.option('--out', '-o', type=click.Path(path_type=Path), default=Path('graph.svg'),
              help='Where to write the drawing: .svg, .png or .dot (default: graph.svg).')
@limit_options
def graph(exercise: str | None, submission: Path | None, notebook: Path | None, out: Path, limits: Limits) -> None:
    """Draw EXERCISE's first failing graph, or without EXERCISE the lecture's L = d * f.

    Every node shows its label, your data and grad, and the expected values where they differ;
    differing nodes are red.
    """
    from grader.feedback import drawing
    from grader.feedback.graphs import GraphError, failing_graph, lecture_graph

    ex_id = exercise_ids((exercise,))[0] if exercise else None
    work = find_work(submission, notebook)
    if Path(out).suffix.lower() not in drawing.FORMATS:
        raise click.BadParameter(f'{out}: the file name must end in .svg, .png or .dot', param_hint='--out')
    try:
        with work_folder(work) as folder:
            nodes = failing_graph(folder, ex_id, limits) if ex_id else lecture_graph(folder, limits)
    except GraphError as e:
        raise click.ClickException(str(e)) from None
    try:
        result = drawing.draw(nodes.nodes, out, title=nodes.title)
    except OSError as e:
        raise cannot_write(out, e) from None
    for message in (nodes.message, result.message):
        if message:
            click.echo(message, err=True)
    click.echo(f'wrote {result.path}')


def drawn_text(drawn: list) -> str:
    """The lines `grade check --graphs` prints about the graphs it wrote."""
    if not drawn:
        return 'No failing check compares a graph of Values, so no graph was drawn.'
    lines = [f'Graph of a failing check: {d.path}' for d in drawn]
    notes = {d.message for d in drawn if d.message}
    return '\n'.join(lines + sorted(notes))
