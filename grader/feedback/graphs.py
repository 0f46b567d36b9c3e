"""The computation graphs that `grade graph` draws, built by the student's engine in the sandbox."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from grader.feedback import drawing, render
from grader.checking import reference
from grader.checking.compare import close
from grader.checking.recipe import Graph
from grader.checking.student import feedback_for_error
from grader.results import CheckResult, ExerciseResult, Report
from grader.sandbox.runner import Limits, Sandbox


@dataclass
class GraphNodes:
    """Nodes ready to draw, with the reference's values attached as expectations."""

    nodes: list[dict]
    title: str
    message: str = ''


class GraphError(Exception):
    """There is no graph to draw, for a reason the student can act on."""


def lecture_L(finish: str) -> Graph:
    g = Graph()
    a, b, c = g.leaf(2.0, 'a'), g.leaf(-3.0, 'b'), g.leaf(10.0, 'c')
    d = g.add(g.mul(a, b, 'e'), c, 'd')
    L = g.mul(d, g.leaf(-2.0, 'f'), 'L')
    if finish:
        getattr(g, finish)(L)
    return g


def lecture_graph(submission: Path, limits: Limits = Limits()) -> GraphNodes:
    """L = d * f from the student's engine, after their backward() if it runs, else without grads."""
    with Sandbox(submission, limits) as sandbox:
        message = ''
        for finish in ('backward', 'drive', ''):
            g = lecture_L(finish)
            reply = sandbox.request('expression', {'steps': g.steps, 'walk': g.names}, ('engine',))
            if reply.ok:
                break
            sandbox.begin_check()
            message = message or feedback_for_error(reply.error, 'backward').summary
        else:
            raise GraphError(f'your engine cannot build L = d * f yet: {message}')
    note = f'backward() did not run ({message}); grads are shown as they are.' if finish != 'backward' else ''
    nodes = with_expected(reply.result.get('graph', []), g.steps, g.names)
    return GraphNodes(nodes, 'L = d * f, built by your engine', _join(note, differing(nodes)))


def failing_graph(submission: Path, exercise_id: str, limits: Limits = Limits()) -> GraphNodes:
    """The graph of the exercise's first failing gradient check, as the student's engine builds it."""
    from grader.grading import grade

    ex = grade(submission, [exercise_id], limits).exercises[0]
    checks = drawable(ex)
    if not checks:
        raise GraphError(_nothing_to_draw(ex))
    with Sandbox(submission, limits) as sandbox:
        return check_graph(sandbox, ex, checks[0])


def drawable(ex: ExerciseResult) -> list[CheckResult]:
    """The failing checks that compare a graph of Values, so there is a graph to draw."""
    return [c for c in ex.checks if not c.passed and c.feedback and c.feedback.graph]


def check_graph(sandbox: Sandbox, ex: ExerciseResult, check: CheckResult) -> GraphNodes:
    """Replay one failing check's expression in the student's engine, with every node's expected values."""
    spec = check.feedback.graph
    steps, names = spec['steps'], spec['names']
    sandbox.begin_check()
    if 'probe' in spec:  # a graph the student's own function builds, such as build_L
        reply, key = sandbox.request(spec['probe'], spec['args'], tuple(spec['modules'])), 'nodes'
    else:
        reply, key = sandbox.request('expression', {'steps': steps, 'walk': names}, ('engine',)), 'graph'
    if not reply.ok:
        raise GraphError(f'could not draw the graph of "{check.name}": {feedback_for_error(reply.error, ex.id).summary}')
    nodes = with_expected(reply.result.get(key, []), steps, names)
    return GraphNodes(nodes, f'{ex.id}: {check.name}', _join(f'The graph of:\n{check.feedback.expression}', differing(nodes)))


def with_expected(nodes: list[dict], steps: list, names: list[str]) -> list[dict]:
    """Attach the reference's data and grad to every node whose label names one node of the recipe."""
    expected = dict(zip(names, reference.run('expression', {'steps': steps})['nodes']))
    labels = Counter(n['label'] for n in nodes)
    for node in nodes:
        label = node['label']
        if label and label in expected and labels[label] == 1:  # a label of the student's own could repeat a name
            node['expected'] = {f: expected[label][f] for f in ('data', 'grad')}
    return nodes


def differing(nodes: list[dict]) -> str:
    wrong = [n['label'] for n in nodes if 'expected' in n and not all(close(n['expected'][f], n[f]) for f in ('data', 'grad'))]
    return f"Nodes that differ from the reference: {', '.join(wrong)}." if wrong else ''


def draw_failing(submission: Path, report: Report, folder: Path, limits: Limits = Limits()) -> list[drawing.Drawing]:
    """Draw every failing gradient check of the report into folder, as <exercise>-<n>.svg."""
    drawn = []
    with Sandbox(submission, limits) as sandbox:
        for ex in report.exercises:
            for k, check in enumerate(drawable(ex), 1):
                try:
                    graph = check_graph(sandbox, ex, check)
                except GraphError:
                    continue  # the check's own feedback already says what went wrong
                drawn.append(drawing.draw(graph.nodes, Path(folder) / f'{ex.id}-{k}.svg', title=graph.title))
    return drawn


def _nothing_to_draw(ex: ExerciseResult) -> str:
    if ex.passed:
        return f'{ex.id} passes: there is no failing graph to draw.'
    if ex.status in ('not_implemented', 'blocked'):
        state = render.status_note(ex)  # 'needs backward first' or 'not implemented yet'
        return f"{ex.id} {state if ex.status == 'blocked' else 'is ' + state}: there is no graph to draw yet."
    return f'no failing check of {ex.id} compares a graph of Values; `grade check {ex.id}` shows its feedback.'


def _join(*notes: str) -> str:
    return '\n'.join(n for n in notes if n)
