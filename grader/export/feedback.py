"""One exercise's feedback as a grading platform shows it: each misconception explained once, as text or Markdown."""
from __future__ import annotations

import dataclasses
import re
import textwrap

from grader.feedback import render
from grader.feedback.text import folded
from grader.feedback.misconceptions import MISCONCEPTIONS
from grader.results import CheckResult, ExerciseResult

FORMATS = ('text', 'md')
SHOWN_CHECKS = 5  # failing checks shown per exercise; the rest are counted
EXPLAINED_ABOVE = '(explained above)'
MAX_CHARS = 20_000  # per exercise, so eleven of them stay far below a platform's 1 MB


def status_line(e: ExerciseResult) -> str:
    """`all checks pass`, or why not: `4 of 17 checks fail`, `not implemented yet`, `needs backward first`."""
    return 'all checks pass' if e.passed else render.status_note(e)


def explained_once(checks: list[CheckResult]) -> list[CheckResult]:
    """The checks with every explanation after its first replaced by `(explained above)`."""
    first: set[str] = set()
    out = []
    for c in checks:
        fb = c.feedback
        if fb and fb.misconception in MISCONCEPTIONS:
            explanation = fb.diagnosis or MISCONCEPTIONS[fb.misconception].explanation
            if explanation in first:
                fb = dataclasses.replace(fb, diagnosis=EXPLAINED_ABOVE)
            first.add(explanation)
        out.append(dataclasses.replace(c, feedback=fb))
    return out


def exercise_text(e: ExerciseResult, fmt: str = 'text') -> str:
    """The status, then up to SHOWN_CHECKS failing checks with their feedback, in `fmt` (text or md).

    Checks are folded as on the terminal: each way a check fails once, its other inputs counted.
    """
    failing = folded(e)
    shown = failing[:SHOWN_CHECKS]
    checks, notes = explained_once([c for c, _ in shown]), [note for _, note in shown]
    more = len(failing) - len(shown)
    if fmt == 'md':
        parts = [f'**{status_line(e)}**'] + [_markdown(c, note) for c, note in zip(checks, notes)]
        parts += [f'… and {more} more failing checks.'] if more > 0 else []
        return _capped('\n\n'.join(parts))
    lines = [status_line(e)]
    for c, note in zip(checks, notes):
        lines.extend(render.check_text(c, note))
    lines += [f' … and {more} more failing checks.'] if more > 0 else []
    return _capped('\n'.join(lines))


def _markdown(c: CheckResult, note: str = '') -> str:
    """The check's name and diagnosis as prose; what came from the student's code in a code block."""
    body = textwrap.dedent('\n'.join(render.feedback_text(c.feedback))) if c.feedback else ''
    body += f'\n{note}' if body and note else ''
    return f'✗ **{_escaped(c.name)}**' + (f'\n\n{fence(body)}' if body else '')


def fence(text: str) -> str:
    """A fenced code block that no run of backticks in `text` can close."""
    ticks = '`' * max(3, 1 + max((len(run) for run in re.findall(r'`+', text)), default=0))
    return f'{ticks}text\n{text}\n{ticks}'


def _escaped(text: str) -> str:
    return re.sub(r'([\\`*_{}\[\]<>#|])', r'\\\1', text)


def _capped(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS] + '\n… (cut: the rest is too long to show)'
