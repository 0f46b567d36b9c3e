"""Renderers: pure functions from a Report to text, JSON or a Gradescope results.json document."""
from __future__ import annotations

import json
import shutil
from dataclasses import asdict

import click

from grader import catalog
from grader.feedback import clean
from grader.feedback.text import (WIDTH, check_text, details, feedback_text, fold, folded, printed, sparkline,
                                  start_in, wrap)
from grader.results import ExerciseResult, Report
from grader.sandbox.levels import describe
from grader.scoring import checks_by_name, shown

MARK = {'passed': ('✓', 'green'), 'failed': ('✗', 'red'), 'not_implemented': ('○', 'yellow'),
        'blocked': ('·', 'bright_black'), 'error': ('✗', 'red'), 'pending': ('…', 'bright_black')}

__all__ = ['WIDTH', 'as_json', 'check_text', 'details', 'feedback_text', 'gradescope', 'hints_text', 'printed', 'sparkline',
           'start_in', 'status_note', 'table', 'terminal_columns', 'terminal_width', 'text', 'total_line']


def terminal_width() -> int:
    """The width to wrap text to: the terminal's, at most WIDTH."""
    return min(WIDTH, shutil.get_terminal_size((WIDTH, 24)).columns)


def terminal_columns() -> int:
    """The terminal's width, or 0 when the output is not a terminal (and COLUMNS is not set)."""
    return shutil.get_terminal_size((0, 0)).columns


def status_note(e: ExerciseResult) -> str:
    """Why an exercise is not done, in a few words for the table."""
    if e.status == 'passed':
        return ''
    if e.status == 'pending':
        return 'grading…'
    if e.status == 'blocked':
        return f'needs {e.blocked_by} first'
    if e.status == 'not_implemented':
        answers_only = all(f.endswith('.toml') for f in catalog.get(e.id).files)  # the quiz is answered, not coded
        note = 'not answered yet' if answers_only else 'not implemented yet'
    else:
        groups = list(checks_by_name(e.checks).values())
        failed = sum(not all(c.passed for c in g) for g in groups)
        note = f'{failed} of {len(groups)} checks fail'
    return note + (f'; {e.blocked_by} fails too' if e.blocked_by and e.status == 'failed' else '')


def points(e: ExerciseResult) -> str:
    """'4.5/10' for a row of the table ('…/10' while it is being graded)."""
    return f"{'…' if e.status == 'pending' else shown(e.points)}/{shown(e.max_points)}"


def total_line(report: Report) -> str:
    """'Total: 48.39/85', or 'Total: grading…' while some exercise is still being graded."""
    if any(e.status == 'pending' for e in report.exercises):
        return 'Total: grading…'
    return f'Total: {shown(report.score)}/{shown(report.max_score)}'


def table(report: Report, color: bool, width: int = 0) -> str:
    """One row per exercise (mark, id, title, points, why not done), the total, then the isolation level.

    With a width, titles are shortened (to no less than 12 characters) so that rows fit it.
    """
    report = clean.deep(report)
    id_width = max(len(e.id) for e in report.exercises)
    points_width = max(len(points(e)) for e in report.exercises)
    notes = {e.id: status_note(e) for e in report.exercises}
    title_width = max(len(e.title) for e in report.exercises)
    if width:
        room = width - (id_width + points_width + max(len(n) for n in notes.values()) + 9)
        title_width = max(12, min(title_width, room))
    lines = []
    for e in report.exercises:
        mark, fg = MARK.get(e.status, ('?', None))
        title = e.title if len(e.title) <= title_width else e.title[:title_width - 1] + '…'
        row = f' {mark} {e.id:<{id_width}}  {title:<{title_width}}  {points(e):>{points_width}}  {notes[e.id]}'.rstrip()
        lines.append(click.style(row, fg=fg) if color else row)
    lines.append(click.style(total_line(report), bold=True) if color else total_line(report))
    if report.isolation:
        lines += fold(describe(report.isolation), min(width, WIDTH), rest='  ') if width else [describe(report.isolation)]
    return '\n'.join(lines)


def text(report: Report, color: bool = False, width: int | None = None, columns: int | None = None) -> str:
    """The table, the total and the full feedback for the first failing exercise: the table fitted to `columns`
    (the terminal's; 0 keeps its rows whole), the feedback wrapped to `width` (the terminal's, at most WIDTH)."""
    width = width or terminal_width()
    parts = [table(report, color, terminal_columns() if columns is None else columns)]
    first = report.first_failing
    if first:
        parts.append(details(first, color, report.submission, width))
    return '\n\n'.join(parts)


def as_json(report: Report) -> str:
    """The whole report as JSON, cleaned, with the score, full marks and the isolation level's meaning."""
    data = asdict(clean.deep(report))
    data.update(score=report.score, max_score=report.max_score, full_marks=report.full_marks,
                isolation_meaning=describe(report.isolation))
    return json.dumps(data, indent=2)


def gradescope(report: Report) -> str:
    """One Gradescope results.json document: a test per exercise, each misconception explained once."""
    from grader.export.gradescope_results import gradescope_document  # which renders checks with this module

    return json.dumps(gradescope_document(report), indent=2)


def hints_text(ex: catalog.Exercise, count: int, width: int | None = None) -> str:
    """The first `count` hints of an exercise, wrapped to the terminal."""
    width = width or terminal_width()
    lines = [f'{ex.id}: {ex.title}']
    for i, hint in enumerate(ex.hints[:count]):
        first = f'  Hint {i + 1}/{len(ex.hints)}: '
        lines += wrap(hint, width, ' ' * len(first), first=first)
    if count < len(ex.hints):
        lines.append(f'  (run `grade hint {ex.id}` again for the next hint)')
    else:
        lines.append('  That was the last hint.')
    return '\n'.join(lines)
