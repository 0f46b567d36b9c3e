"""Renderers: pure functions from a Report to text, JSON or a Gradescope results.json document."""
from __future__ import annotations

import json
import math
import textwrap
from dataclasses import asdict

import click

from grader import catalog
from grader.misconceptions import MISCONCEPTIONS
from grader.results import CheckResult, ExerciseResult, Feedback, Report

MARK = {'passed': ('✓', 'green'), 'failed': ('✗', 'red'), 'not_implemented': ('○', 'yellow'),
        'blocked': ('·', 'bright_black'), 'error': ('✗', 'red')}


def status_note(e: ExerciseResult) -> str:
    if e.status == 'not_implemented':
        answers_only = all(f.endswith('.toml') for f in catalog.get(e.id).files)  # the quiz is answered, not coded
        return 'not answered yet' if answers_only else 'not implemented yet'
    if e.status == 'blocked':
        return f'needs {e.blocked_by} first'
    if e.status == 'passed':
        return ''
    failed = sum(not c.passed for c in e.checks)
    return f'{failed} of {len(e.checks)} checks fail'


def table(report: Report, color: bool) -> str:
    width = max(len(e.id) for e in report.exercises)
    title_width = max(len(e.title) for e in report.exercises)
    lines = []
    for e in report.exercises:
        mark, fg = MARK.get(e.status, ('?', None))
        row = f' {mark} {e.id:<{width}}  {e.title:<{title_width}}  {e.points:>2}/{e.max_points:<2}  {status_note(e)}'
        lines.append(click.style(row, fg=fg) if color else row)
    total = f'Total: {report.score}/{report.max_score}'
    lines.append(click.style(total, bold=True) if color else total)
    return '\n'.join(lines)


def feedback_text(fb: Feedback) -> list[str]:
    lines = []
    if fb.misconception:
        known = MISCONCEPTIONS[fb.misconception]
        lines.append(f'   Likely mistake: {known.title}' + (f' (in {fb.where})' if fb.where else ''))
        lines.append(textwrap.fill(fb.diagnosis or known.explanation, 100, initial_indent='     ',
                                   subsequent_indent='     '))
    place = fb.where and not fb.misconception and fb.where not in fb.summary
    lines.append(f'   {fb.summary}' + (f' [{fb.where}]' if place else ''))
    if fb.expression:
        lines.append('   ' + '\n   '.join(fb.expression.splitlines()))
    if fb.diffs:
        lines.append(f"   {'node':<8} {'':<5} {'expected':>12} {'got':>12}")
        for d in fb.diffs:
            expected = '' if d.expected is None else f'{d.expected:.6g}'
            lines.append(f'   {d.node:<8} {d.field:<5} {expected:>12} {_got(d.got):>12}')
    if fb.curve:
        lines.append(f'   Your loss, step by step: {_got(fb.curve[0])} {sparkline(fb.curve)} {_got(fb.curve[-1])}')
    if fb.hint:
        lines.append(f'   Hint: {fb.hint}')
    if fb.output.strip():
        lines.append('   Your code printed:')
        lines.extend('     | ' + printable(line) for line in fb.output.strip().splitlines()[-10:])
    return lines


BARS = '▁▂▃▄▅▆▇█'


def sparkline(values: list[float]) -> str:
    """One bar per value, scaled between the smallest and largest; × marks inf or nan."""
    finite = [v for v in values if math.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 0.0)
    span = high - low
    return ''.join('×' if not math.isfinite(v) else BARS[3] if span == 0 else
                   BARS[round((v - low) / span * (len(BARS) - 1))] for v in values)


def _got(x: object) -> str:
    from grader.checking.compare import shown
    return shown(x)


def start_in(files: list[str], where: str) -> str:
    """Where the student writes this exercise: files in their folder, or cells of their notebook."""
    if where.endswith('.ipynb'):
        return ', '.join(f'the file:{f} cell' for f in files) + f' of {where}'
    return ', '.join(f"{where.rstrip('/')}/{f}" for f in files)


def printable(line: str) -> str:
    """The student's output with control characters shown as �, so it cannot redraw the terminal."""
    return ''.join(c if c.isprintable() or c == '\t' else '�' for c in line)


def details(e: ExerciseResult, color: bool, where: str = 'exercises') -> str:
    header = f'── {e.id}: {e.title} ──'
    lines = [click.style(header, bold=True) if color else header]
    if e.status == 'blocked':
        lines.append(f' This exercise relies on {e.blocked_by}, which does not pass yet. Finish {e.blocked_by} first.')
        return '\n'.join(lines)
    if e.status == 'not_implemented':
        ex = catalog.get(e.id)
        lines.append(' ' + ex.intro.replace('\n', '\n '))
        lines.append(f' Start in: {start_in(ex.files, where)}   (`grade hint {e.id}` gives hints)')
    failing = distinct_failures(e)
    if e.status == 'not_implemented':
        # The first missing piece, and the first mistake in what is already written.
        todo = [c for c in failing if c.feedback and c.feedback.kind == 'not_implemented'][:1]
        failing = todo + [c for c in failing if c.feedback and c.feedback.kind != 'not_implemented'][:1]
    for c in failing[:3]:
        lines.extend(check_text(c))
    if len(failing) > 3:
        lines.append(f' … and {len(failing) - 3} more failing checks.')
    return '\n'.join(lines)


def distinct_failures(e: ExerciseResult) -> list[CheckResult]:
    """Failing checks, leaving out repeats of the same feedback (a syntax error fails them all alike)."""
    seen, out = set(), []
    for c in e.checks:
        fb = c.feedback
        key = (fb.misconception or fb.summary, '' if fb.misconception else fb.expression) if fb else c.name
        if not c.passed and key not in seen:
            seen.add(key)
            out.append(c)
    return out


def check_text(c: CheckResult) -> list[str]:
    return [f' ✗ {c.name}'] + (feedback_text(c.feedback) if c.feedback else [])


def text(report: Report, color: bool = False) -> str:
    """The table, the total and the full feedback for the first failing exercise."""
    parts = [table(report, color)]
    first = report.first_failing
    if first:
        parts.append(details(first, color, report.submission))
    return '\n\n'.join(parts)


def as_json(report: Report) -> str:
    data = asdict(report)
    data.update(score=report.score, max_score=report.max_score, full_marks=report.full_marks)
    return json.dumps(data, indent=2)


def gradescope(report: Report) -> str:
    """One Gradescope results.json document: a test per exercise, each misconception explained once."""
    from grader.export.gradescope_results import gradescope_document  # which renders checks with this module

    return json.dumps(gradescope_document(report), indent=2)


def hints_text(ex: catalog.Exercise, count: int) -> str:
    lines = [f'{ex.id}: {ex.title}']
    lines += [f'  Hint {i + 1}/{len(ex.hints)}: {h}' for i, h in enumerate(ex.hints[:count])]
    if count < len(ex.hints):
        lines.append(f'  (run `grade hint {ex.id}` again for the next hint)')
    else:
        lines.append('  That was the last hint.')
    return '\n'.join(lines)
