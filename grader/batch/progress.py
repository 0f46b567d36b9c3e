"""The batch's progress: rich's live bar with a count, an ETA and the last result on a terminal, plain lines otherwise."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from grader.feedback import clean

if TYPE_CHECKING:
    from rich.progress import Progress as Bar, TaskID


@dataclass
class Tick:
    """One submission finished: which, with what score, and how far the batch has got."""

    name: str
    score: int
    max_score: int
    note: str
    done: int  # graded so far in this run
    total: int  # to grade in this run
    elapsed: float


def eta(done: int, total: int, elapsed: float) -> str:
    if not done or done >= total:
        return '0:00'
    seconds = round(elapsed / done * (total - done))
    return f'{seconds // 60}:{seconds % 60:02d}'


def plain_line(t: Tick) -> str:
    """`12/100 alice 75/75 (ETA 1:23)` for a log file."""
    return f'{t.done}/{t.total} {last_result(t)} (ETA {eta(t.done, t.total, t.elapsed)})'


def last_result(t: Tick) -> str:
    """`alice 75/75`, or why alice could not be graded; the name is the class folder's, so it is shown escaped."""
    return f'{clean.name(t.name)} ' + (f'not graded: {clean.line(t.note)}' if t.note else f'{t.score}/{t.max_score}')


class Progress:
    """Shows each tick on a stream: a live bar on a terminal, a line per submission otherwise."""

    def __init__(self, stream: TextIO, tty: bool):
        self.stream, self.tty = stream, tty
        self._bar: Bar | None = None
        self._task: TaskID  # set with the bar

    def __call__(self, tick: Tick) -> None:
        if not self.tty:
            self.stream.write(plain_line(tick) + '\n')
            self.stream.flush()
            return
        if self._bar is None:
            self._bar = _live_bar(self.stream)
            self._task = self._bar.add_task('grading', total=tick.total, completed=tick.done, last=last_result(tick))
            self._bar.start()
        else:
            self._bar.update(self._task, completed=tick.done, last=last_result(tick))

    def close(self, keep: bool = True) -> None:
        """Stop the live bar: its last state stays on screen when `keep`, else (after Ctrl-C) it is erased."""
        if self._bar is not None:
            # An interrupted bar is stale (it stopped mid-count), and the summary that follows says where the batch got.
            self._bar.live.transient = not keep
            self._bar.stop()


def _live_bar(stream: TextIO) -> Bar:
    """rich redraws it several times a second, so the time and the ETA move while a slow submission grades."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn

    # markup=False: a submission's name is the student's folder name, never rich markup.
    return Bar(BarColumn(), MofNCompleteColumn(), TextColumn('ETA'), TimeRemainingColumn(),
               TextColumn('{task.fields[last]}', markup=False),
               console=Console(file=stream, force_terminal=True), redirect_stdout=False, redirect_stderr=False)
