"""`grade watch`: re-grade on every save and show the exercise you are on."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from grader import render
from grader.commands.options import COLOR, SUBMISSION, default_submission, use_color
from grader.watch import WatchUpdate, watch as watching


def screen(update: WatchUpdate, folder: Path, color: bool) -> str:
    """What the terminal shows after one update: progress, then the current exercise's feedback."""
    head = f'grade watch: {folder}   (save a file to re-grade, Ctrl-C to quit)'
    parts = [click.style(head, dim=True) if color else head]
    if update.changed:
        names = ', '.join(update.changed[:3]) + (f' and {len(update.changed) - 3} more' if len(update.changed) > 3 else '')
        parts.append(f"saved {names}: graded in {update.seconds:.2f} s"
                     + ('; checking the other exercises...' if update.partial else ''))
    if update.error:
        parts.append(f'Could not grade: {update.error}\nWaiting for the next save.')
        return '\n\n'.join(parts)
    report = update.report
    for ex_id in update.newly_passed:
        note = f'✓ {ex_id} passes now!'
        parts.append(click.style(note, fg='green', bold=True) if color else note)
    parts.append(render.table(report, color))
    first = report.first_failing
    if first:
        if update.newly_passed:
            parts.append(f'Next: {first.id} — {first.title}')
        parts.append(render.details(first, color, report.submission))
    else:
        parts.append('All done: full marks. Keep editing if you like; grade watch keeps checking.')
    return '\n\n'.join(parts)


@click.command(short_help='Re-grade on every save (Ctrl-C quits).')
@SUBMISSION
@COLOR
def watch(submission: Path | None, color: bool | None) -> None:
    """Re-grade whenever you save, showing the exercise you are on (Ctrl-C quits)."""
    folder = default_submission(submission)
    color = use_color(color)
    clear = sys.stdout.isatty()
    try:
        for update in watching(folder):
            if clear:
                click.clear()
            click.echo(screen(update, folder, color) + '\n')
    except KeyboardInterrupt:
        click.echo('\nStopped watching.')
