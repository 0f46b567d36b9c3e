"""The batch's progress: a bar with a running count and an ETA on a terminal, plain lines otherwise."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import TextIO


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


def bar_line(t: Tick, width: int = 30) -> str:
    """`[#####-----] 12/100  ETA 1:23  alice 75/75` for a terminal."""
    filled = width * t.done // t.total if t.total else width
    return f'[{"#" * filled}{"-" * (width - filled)}] {t.done}/{t.total}  ETA {eta(t.done, t.total, t.elapsed)}  {_last(t)}'


def plain_line(t: Tick) -> str:
    """`12/100 alice 75/75 (ETA 1:23)` for a log file."""
    return f'{t.done}/{t.total} {_last(t)} (ETA {eta(t.done, t.total, t.elapsed)})'


def _last(t: Tick) -> str:
    return f'{t.name} ' + (f'not graded: {t.note}' if t.note else f'{t.score}/{t.max_score}')


class Progress:
    """Prints each tick to a stream: one rewritten line on a terminal, a line per submission otherwise."""

    def __init__(self, stream: TextIO, tty: bool):
        self.stream, self.tty = stream, tty
        self._width = 0

    def __call__(self, tick: Tick) -> None:
        if self.tty:
            line = bar_line(tick)[:shutil.get_terminal_size().columns - 1]
            self.stream.write('\r' + line.ljust(self._width))
            self._width = len(line)
        else:
            self.stream.write(plain_line(tick) + '\n')
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self._width:
            self.stream.write('\n')
            self.stream.flush()
