"""How check()'s result looks in the notebook: pure functions from a NotebookCheck to text or HTML."""
from __future__ import annotations

import html

from grader.feedback import clean, render
from grader.notebook.jupyter import NotebookCheck

GREEN, RED, AMBER = '#1a7f37', '#c62828', '#b26a00'


def headline(result: NotebookCheck) -> tuple[str, str]:
    """One line that says how it went, and its colour."""
    if result.error:
        return f'check() could not grade: {result.error}', RED
    if result.unsaved:
        cells = ' and '.join(f'[{n}]' for n in result.unsaved[-3:])
        return (f'Save the notebook first (Ctrl-S, or File > Save), then run check() again: {result.notebook} on '
                f"disk does not hold the code you ran as {cells}, and check() grades the saved file.", AMBER)
    report = result.report
    if report is None:
        return 'check() has nothing to show.', RED
    what = ', '.join(result.exercises) or 'your notebook'
    if report.full_marks:
        return f'✓ {what} passes: {report.score}/{report.max_score}', GREEN
    return f'✗ {what}: {report.score}/{report.max_score}', RED


def as_text(result: NotebookCheck) -> str:
    """The result as plain text, for a terminal or a front end without HTML."""
    line, _ = headline(result)
    if result.report is None:
        return clean.line(line)
    notes = [f' ! {clean.line(p)}' for p in result.problems]
    text = render.text(result.report, width=render.WIDTH, columns=0)
    return '\n\n'.join([clean.line(line), text] + (['\n'.join(notes)] if notes else []))


def as_html(result: NotebookCheck) -> str:
    """The result as HTML: a coloured headline, the feedback, and how the notebook was read, folded."""
    line, colour = headline(result)
    parts = [f'<div style="border-left: 4px solid {colour}; padding: 2px 8px">'
             f'<b style="color: {colour}">{html.escape(line)}</b>']
    if result.report is not None:
        parts.append(f'<pre>{html.escape(render.text(result.report, width=render.WIDTH, columns=0))}</pre>')
        if result.problems:
            notes = html.escape('\n'.join(f'! {p}' for p in result.problems))
            parts.append(f'<details><summary>How check() read {html.escape(result.notebook)} '
                         f'({len(result.problems)} notes)</summary><pre>{notes}</pre></details>')
    return ''.join(parts) + '</div>'
