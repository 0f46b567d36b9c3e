"""`grade batch`: a thin Click shell over grader.batch.run.run_batch."""
from __future__ import annotations

import shlex
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from grader.commands.limits import limit_options

if TYPE_CHECKING:
    from grader.batch.run import BatchResult
    from grader.sandbox.limits import Limits


@click.command(short_help='Grade a whole class into grades.csv and feedback.')
@click.argument('submissions_dir', type=click.Path(path_type=Path))
@click.option('--out', '-o', type=click.Path(path_type=Path), required=True,
              help='Where to write grades.csv, summary.txt and one folder of feedback per submission.')
@click.option('--jobs', '-j', type=click.IntRange(min=1), default=None,
              help='How many submissions to grade at once (default: the number of cores).')
@click.option('--force', is_flag=True, help='Grade again the submissions that an earlier run already graded.')
@click.option('--allow-unisolated', is_flag=True,
              help='Grade even where the kernel cannot isolate student code (no bubblewrap, not root): '
                   'the grades are then feedback only.')
@limit_options
def batch(submissions_dir: Path, out: Path, jobs: int | None, force: bool, allow_unisolated: bool,
          limits: Limits) -> None:
    """Grade every submission in SUBMISSIONS_DIR: one folder each, laid out like exercises/."""
    from grader.batch.progress import Progress
    from grader.batch.run import run_batch
    from grader.batch.submissions import BatchError

    progress = Progress(sys.stderr, sys.stderr.isatty())
    previous = signal.signal(signal.SIGTERM, _interrupt)
    result: BatchResult | None = None
    try:
        result = run_batch(submissions_dir, out, jobs, force, limits, on_tick=progress, allow_unisolated=allow_unisolated)
    except BatchError as e:
        raise click.UsageError(str(e)) from None
    finally:
        progress.close(keep=result is not None and not result.interrupted)
        signal.signal(signal.SIGTERM, previous)
    click.echo(closing_text(result, finish_command(submissions_dir, out, sys.argv[1:])))
    if result.interrupted:
        sys.exit(130)


def finish_command(submissions_dir: Path, out: Path, args: list[str]) -> str:
    """The command that finishes an interrupted run: the same one, without --force (which would start over)."""
    kept = [a for a in args if a != '--force'] if 'batch' in args else ['batch', str(submissions_dir), '--out', str(out)]
    return 'grade ' + ' '.join(shlex.quote(a) for a in kept)


def closing_text(result: BatchResult, finish: str = '') -> str:
    """The class summary, then what this run did and where the files are."""
    from grader.batch.outputs import GRADES, SUMMARY
    from grader.batch.summary import summary_text

    if not result.outcomes and not result.interrupted:
        return ('No submissions found: put each student\'s work in SUBMISSIONS_DIR as a folder laid out like '
                f'exercises/, or as a notebook.\nWrote {result.out / GRADES} (a header only).')
    lines = [summary_text(result.summary), f'Graded {len(result.graded)} now']
    if result.skipped:
        lines[-1] += f', skipped {len(result.skipped)} graded by an earlier run (--force grades them again)'
    if result.interrupted:
        lines.append(f'Interrupted: {len(result.pending)} not graded yet. To finish them without starting over, run: '
                     f'{finish or "the same command without --force"}')
    lines.append(f'Wrote {result.out / GRADES}, {result.out / SUMMARY} and a folder per submission.')
    return '\n'.join(lines)


def _interrupt(signum: int, frame: object) -> None:
    # SIGTERM stops the batch the way Ctrl-C does, so no grading process is left behind.
    raise KeyboardInterrupt
