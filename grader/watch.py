"""Watch mode: re-grade a submission whenever one of its files is saved, one update per change."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from grader import catalog
from grader.grading import GradingError, grade
from grader.reset import BACKUPS
from grader.results import Report

Grader = Callable[[Path, Optional[list[str]]], Report]


@dataclass
class WatchUpdate:
    """One re-grade: the report (or why there is none), what triggered it, and what newly passes."""

    report: Report | None
    changed: list[str] = field(default_factory=list)  # the saved files' names; empty for the first run
    partial: bool = False  # only the exercise in focus was re-graded; a full run follows
    newly_passed: list[str] = field(default_factory=list)
    error: str = ''
    seconds: float = 0.0

    @property
    def focus(self) -> str:
        """The exercise to work on: the first that does not pass ('' with full marks)."""
        first = self.report.first_failing if self.report else None
        return first.id if first else ''


def watch(submission: Path, stop_event: threading.Event | None = None, grader: Grader = grade) -> Iterator[WatchUpdate]:
    """Grade now, then after every save: the exercise in focus first (fast), then everything.

    With nothing in focus (full marks), the exercises that use the saved files go first.
    """
    import watchfiles

    submission = Path(submission)
    last = _run(grader, submission, None, None, [])
    yield last
    while _wait_for(submission, stop_event):
        if last.error:  # the folder is back after it was gone
            last = _run(grader, submission, None, last.report, [])
            yield last
        for changes in watchfiles.watch(submission, watch_filter=student_files_filter(), step=50,
                                        stop_event=stop_event, raise_interrupt=True):
            changed = sorted({Path(path).name for _, path in changes})
            previous = last.report
            first = [last.focus] if last.focus else _using(changed)
            if previous and first and submission.is_dir():
                yield _run(grader, submission, first, previous, changed)
            last = _run(grader, submission, None, previous, changed)
            yield last
            if not submission.is_dir():
                break  # a deleted folder is never seen again: wait for a new one
        else:
            return


def _wait_for(folder: Path, stop_event: threading.Event | None) -> bool:
    """Block until folder exists; False if asked to stop first."""
    while not folder.is_dir():
        if stop_event is not None and stop_event.is_set():
            return False
        time.sleep(0.25)
    return stop_event is None or not stop_event.is_set()


def student_files_filter() -> Callable[[object, str], bool]:
    """Saves that can change a grade: Python files and the catalog's files (quiz.toml), not backups."""
    import watchfiles

    names = {f for e in catalog.load() for f in e.files}
    default = watchfiles.DefaultFilter(ignore_dirs=(*watchfiles.DefaultFilter.ignore_dirs, BACKUPS))
    return lambda change, path: default(change, path) and (path.endswith('.py') or Path(path).name in names)


def _run(grader: Grader, submission: Path, ids: list[str] | None, previous: Report | None,
         changed: list[str]) -> WatchUpdate:
    """One grading run, merged into the previous report when it covered only some exercises."""
    start = time.monotonic()
    try:
        report = grader(submission, ids)  # Ctrl-C comes out as KeyboardInterrupt, even from inside pytest
    except GradingError as e:
        return WatchUpdate(None, changed, error=str(e), seconds=time.monotonic() - start)
    except Exception as e:  # noqa: BLE001 - the watcher must outlive any one failed run
        return WatchUpdate(None, changed, error=f'grading failed: {e!r}', seconds=time.monotonic() - start)
    if ids and previous:
        fresh = {e.id: e for e in report.exercises}
        report = Report(report.submission, [fresh.get(e.id, e) for e in previous.exercises], report.seconds)
    return WatchUpdate(report, changed, partial=bool(ids), newly_passed=_newly_passed(previous, report),
                       seconds=time.monotonic() - start)


def _using(files: list[str]) -> list[str]:
    """The exercises written in these files, unless that is all of them."""
    ids = [e.id for e in catalog.load() if set(e.files) & set(files)]
    return ids if len(ids) < len(catalog.load()) else []


def _newly_passed(before: Report | None, after: Report) -> list[str]:
    if before is None:
        return []
    passed = {e.id for e in before.exercises if e.passed}
    return [e.id for e in after.exercises if e.passed and e.id not in passed]
