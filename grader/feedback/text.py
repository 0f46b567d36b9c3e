"""One exercise's feedback as text: its failing checks, folded, each with diagnosis, symptoms and what the code printed."""
from __future__ import annotations

import math
import textwrap

import click

from grader import catalog
from grader.feedback import clean
from grader.feedback.misconceptions import MISCONCEPTIONS
from grader.results import CheckResult, ExerciseResult, Feedback
from grader.scoring import checks_by_name

WIDTH = 100  # text is wrapped to this, or to the terminal when narrower
SHOWN = 3  # failing checks shown in full under an exercise (plus its first missing piece, when one is)
OUTPUT_LINES = 10  # of what the student's code printed, the last lines shown under a check
BARS = '▁▂▃▄▅▆▇█'


def wrap(text: str, width: int, indent: str, first: str | None = None) -> list[str]:
    """Paragraphs re-flowed to width: single line breaks join lines, blank lines separate paragraphs."""
    lines: list[str] = []
    for paragraph in text.split('\n\n'):
        lines += textwrap.wrap(' '.join(paragraph.split()), max(20, width), initial_indent=first or indent,
                               subsequent_indent=indent, break_on_hyphens=False) or ['']
        first = None
    return lines


def fold(line: str, width: int, first: str = '', rest: str = '') -> list[str]:
    """One line of text folded to width, its spacing kept and no word cut (a path stays whole); the lines after
    the first indented with `rest`."""
    return textwrap.wrap(line, max(20, width), initial_indent=first, subsequent_indent=rest, break_on_hyphens=False,
                         break_long_words=False, replace_whitespace=False) or [first.rstrip()]


def feedback_text(fb: Feedback, width: int = WIDTH) -> list[str]:
    """A failing check's feedback: the likely mistake, the symptom, the graph's values, the hint, the output."""
    fb = clean.deep(fb)
    lines = []
    if fb.misconception in MISCONCEPTIONS:
        known = MISCONCEPTIONS[fb.misconception]
        lines += wrap(f'Likely mistake: {known.title}' + (f' (in {fb.where})' if fb.where else ''), width, '     ',
                      first='   ')
        lines += wrap(fb.diagnosis or known.explanation, width, '     ')
    place = fb.where and not fb.misconception and fb.where not in fb.summary
    summary = fb.summary + (f' [{fb.where}]' if place else '')
    for line in summary.splitlines() or ['']:
        lines += fold(line, width, '   ', '     ')
    if fb.expression:
        lines += ['   ' + line for line in fb.expression.splitlines()]
    if fb.diffs:
        lines.append(f"   {'node':<8} {'':<5} {'expected':>12} {'got':>12}")
        for d in fb.diffs:
            expected = '' if d.expected is None else f'{d.expected:.6g}'
            lines.append(f'   {d.node:<8} {d.field:<5} {expected:>12} {_got(d.got):>12}')
    if fb.curve:
        lines.append(f'   Your loss, step by step: {_got(fb.curve[0])} {sparkline(fb.curve)} {_got(fb.curve[-1])}')
    if fb.hint:
        lines += wrap(fb.hint, width, '         ', first='   Hint: ')
    return lines + printed(fb.output, fb.output_cut, width)


def printed(output: str, cut: bool, width: int = WIDTH) -> list[str]:
    """What the student's code printed, marked as theirs: the last lines, each cut to the width, saying what was left out."""
    lines = clean.text(output).strip('\n').splitlines()
    if not ''.join(lines).strip():
        return []
    shown = lines[-OUTPUT_LINES:]
    notes = []
    if len(lines) > len(shown):
        notes.append(f'the last {len(shown)} of {len(lines)} lines')
    if cut:
        notes.append('the start was cut')
    head = '   Your code printed' + (f" ({'; '.join(notes)})" if notes else '') + ':'
    room = max(20, width - 7)
    return [head] + ['     | ' + (line if len(line) <= room else line[:room - 1] + '…') for line in shown]


def sparkline(values: list[float]) -> str:
    """One bar per value, scaled between the smallest and largest; × marks inf or nan."""
    finite = [v for v in values if math.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 0.0)
    span = high - low
    return ''.join('×' if not math.isfinite(v) else BARS[3] if span == 0 else
                   BARS[round((v - low) / span * (len(BARS) - 1))] for v in values)


def _got(x: object) -> str:
    """A value the student's code gave, as the checks show it."""
    from grader.checking.compare import shown
    return shown(x)


def start_in(files: list[str], where: str) -> str:
    """Where the student writes this exercise: files in their folder, or cells of their notebook."""
    where = clean.name(where)
    if where.endswith('.ipynb'):
        return ', '.join(f'the file:{f} cell' for f in files) + f' of {where}'
    return ', '.join(f"{where.rstrip('/')}/{f}" for f in files)


def folded(e: ExerciseResult) -> list[tuple[CheckResult, str]]:
    """Each way a check fails once, with a note on its other inputs that fail the same way; the
    exercise's own failures first, and a repeat of the same feedback left out."""
    seen, out = set(), []
    for group in checks_by_name(e.checks).values():
        # Inputs that fail in kind alike are folded; an exception beside wrong numbers, or a failure of
        # the exercise's own beside one that comes from a requirement, is a different way and is shown.
        ways: dict[tuple[str, str, str], list[CheckResult]] = {}
        for c in group:
            if not c.passed:
                fb = c.feedback
                ways.setdefault((fb.kind, fb.misconception, c.cause) if fb else ('', c.name, ''), []).append(c)
        for failing in ways.values():
            first, fb = failing[0], failing[0].feedback
            key = (fb.misconception or fb.summary, '' if fb.misconception else fb.expression) if fb else first.name
            if key in seen:
                continue
            seen.add(key)
            # A stub, a syntax error or a hang fails every input alike: saying so again adds nothing.
            more = len(failing) - 1 if fb and fb.kind in ('wrong', 'error') else 0
            same = more and all(c.feedback and _signature(c.feedback) == _signature(fb) for c in failing[1:])
            noun, verb = ('input', 'fails') if more == 1 else ('inputs', 'fail')
            out.append((first, f"… and {more} more {noun} {verb}{' the same way' if same else ''}" if more else ''))
    return sorted(out, key=lambda pair: pair[0].cause != 'own')


def _signature(fb: Feedback) -> tuple[str, str]:
    """Two failures are 'the same way' when they name the same mistake, or say the same thing."""
    return (fb.kind, fb.misconception) if fb.misconception else (fb.kind, fb.summary)


def check_text(c: CheckResult, note: str = '', width: int = WIDTH) -> list[str]:
    """One failing check: its name, its feedback, and how many more inputs fail."""
    return [f' ✗ {c.name}'] + (feedback_text(c.feedback, width) if c.feedback else []) + ([f'  {note}'] if note else [])


def details(e: ExerciseResult, color: bool, where: str = 'exercises', width: int = WIDTH) -> str:
    """The feedback for one exercise: its own mistakes first, then the requirement that fails too."""
    e = clean.deep(e)
    header = '\n'.join(fold(f'── {e.id}: {e.title} ──', width))
    lines = [click.style(header, bold=True) if color else header]
    failing = folded(e)
    if e.status == 'blocked':
        lines += wrap(f'This exercise relies on {e.blocked_by}, which does not pass yet. Finish {e.blocked_by} '
                      f'first. What {e.blocked_by} does to this exercise:', width, ' ')
        for check, note in failing[:1]:
            lines += check_text(check, note, width)
        return '\n'.join(lines)
    shown = failing[:SHOWN]
    if e.status == 'not_implemented':
        ex = catalog.get(e.id)
        lines += wrap(ex.intro, width, ' ')
        lines.append(f' Start in: {start_in(list(ex.files), where)}   (`grade hint {e.id}` gives hints)')
        # The first missing piece, and the first mistakes in what is already written.
        todo = [f for f in failing if f[0].feedback and f[0].feedback.kind == 'not_implemented']
        shown = todo[:1] + [f for f in failing if f not in todo][:SHOWN]
    for check, note in shown:
        lines += check_text(check, note, width)
    more = len(failing) - len(shown)
    if more:
        lines.append(f" … and {more} more failing {'check' if more == 1 else 'checks'}.")
    if e.blocked_by:
        lines += wrap(f'{e.blocked_by}, which this exercise relies on, fails too: some of these failures may '
                      f'come from it.', width, ' ', first=' Also: ')
    return '\n'.join(lines)
