"""Render a ValidationReport as text: a pure function."""
from __future__ import annotations

import textwrap

from grader.validation import ValidationReport


def text(report: ValidationReport) -> str:
    """One line for what was checked, then each problem with what was expected and what was shown."""
    head = (f'validated {len(report.exercises)} exercise(s) and {report.mutants} mutant(s) '
            f'in {report.seconds:.1f} s: ')
    if report.ok:
        return head + 'all good.'
    lines = [head + f'{len(report.problems)} problem(s).']
    for n, p in enumerate(report.problems, 1):
        lines.append(f'\n{n}. [{p.stage}] {p.subject}')
        lines.append(textwrap.fill(f'expected: {p.expected}', 100, initial_indent='   ', subsequent_indent='     '))
        if p.shown:
            lines.append('   shown:')
            shown = p.shown.strip().splitlines()
            lines.extend('     | ' + line for line in shown[:25])
            if len(shown) > 25:
                lines.append(f'     | … {len(shown) - 25} more lines')
    return '\n'.join(lines)
