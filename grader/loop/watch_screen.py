"""What `grade watch` shows for one WatchState: a pure function, and every line of it about that one save."""
from __future__ import annotations

import time

import click

from grader import catalog
from grader.feedback import clean, render
from grader.feedback.text import WIDTH, fold
from grader.results import ExerciseResult, Report
from grader.loop.watch import Save, WatchState

CLEAR = '\x1b[H\x1b[2J\x1b[3J'  # home, clear the screen, and clear the scrollback, so nothing older is left


def screen(state: WatchState, target: str, color: bool, width: int = WIDTH) -> str:
    """The header, what happened and how far grading has got, then the progress table and the focus's feedback."""
    what = 'the notebook' if target.endswith('.ipynb') else 'a file'
    head = _fit(f'grade watch: {clean.name(target)}   (save {what} to re-grade, Ctrl-C to quit)', width)
    parts = [click.style(head, dim=True) if color else head, _fit(happened(state), width)]
    if state.error:
        parts.append(_fit(f'Could not grade: {clean.line(state.error)}', width) + '\nWaiting for the next save.')
        return '\n\n'.join(parts)
    if state.problems:
        notes = [_fit(f' ! {clean.line(p)}', width, '   ') for p in state.problems]
        parts.append('\n'.join(['Your notebook:'] + notes))
    report = state.report
    if report is None:
        return '\n\n'.join(parts)
    for ex_id in state.newly_passed:
        note = f'✓ {ex_id} passes now!'
        parts.append(click.style(note, fg='green', bold=True) if color else note)
    parts.append(render.table(with_pending(report, state.pending), color, width))
    first = report.first_failing
    if first:
        if state.newly_passed and not state.pending:
            parts.append(_fit(f'Next: {first.id} — {first.title}', width))
        parts.append(render.details(first, color, report.submission, width))
    elif not state.pending:
        parts.append(_fit('All done: full marks. Keep editing if you like; grade watch keeps checking.', width))
    return '\n\n'.join(parts)


def _fit(line: str, width: int, rest: str = '  ') -> str:
    """One line of the screen folded to its width."""
    return '\n'.join(fold(line, width, rest=rest))


def happened(state: WatchState) -> str:
    """'saved engine.py at 12:01:03: grading…', then how far it got."""
    save = state.save
    what = f'{_what(save)} at {time.strftime("%H:%M:%S", time.localtime(save.at))}' if save.number else 'First run'
    if state.error:
        return f'{what}.'
    if state.report is None:
        return f'{what}: grading…'
    if state.pending:
        done = ', '.join(e.id for e in state.report.exercises)
        return f'{what}: {done} graded in {state.seconds:.2f} s; grading the other exercises…'
    return f'{what}: graded in {state.seconds:.2f} s.'


def _what(save: Save) -> str:
    """'saved engine.py, deleted nn.py': at most three names of each."""
    said = []
    for verb, names in (('saved', save.saved), ('deleted', save.deleted)):
        if names:
            shown = ', '.join(clean.name(n) for n in names[:3])
            said.append(f'{verb} {shown}' + (f' and {len(names) - 3} more' if len(names) > 3 else ''))
    return ', '.join(said) or 'changed'


def with_pending(report: Report, pending: list[str]) -> Report:
    """The report with a 'grading…' row for each exercise not graded yet since the save."""
    known = {e.id: e for e in report.exercises}
    for ex in catalog.load():
        if ex.id in pending and ex.id not in known:
            known[ex.id] = ExerciseResult(ex.id, ex.title, 0, ex.points, 'pending')
    rows = [known[ex.id] for ex in catalog.load() if ex.id in known]
    return Report(report.submission, rows, report.seconds, report.isolation)
