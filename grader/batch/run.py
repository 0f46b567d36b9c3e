"""run_batch(): grade every submission of a class folder in parallel, keeping OUT valid at every moment."""
from __future__ import annotations

import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from grader import catalog
from grader.feedback import clean
from grader.atomic import write_atomic
from grader.batch.outputs import (GRADES, REGRADE, RESERVED, SUMMARY, grades_csv, is_batch_output, load_finished,
                                  remove_partials, save)
from grader.batch.progress import Tick
from grader.batch.reports import Outcome, unreadable_report
from grader.batch.submissions import BatchError, Entry, discover
from grader.batch.walk import fingerprint
from grader.batch.summary import ClassSummary, summarize, summary_text
from grader.batch.worker import Interrupted, Workers
from grader.sandbox.isolation import SandboxError, for_the_record
from grader.sandbox.limits import Limits


@dataclass
class BatchResult:
    """What a batch run did, and where its files are."""

    out: Path
    outcomes: dict[str, Outcome]  # every submission with a result, graded now or before
    graded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already graded by an earlier run
    pending: list[str] = field(default_factory=list)  # left for the next run by an interruption
    interrupted: bool = False
    summary: ClassSummary | None = None
    level: str = ''  # the isolation every submission was graded at


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run_batch(submissions: Path, out: Path, jobs: int | None = None, force: bool = False,
              limits: Limits = Limits(), on_tick: Callable[[Tick], None] | None = None,
              allow_unisolated: bool = False) -> BatchResult:
    """Grade each entry of `submissions` into `out`; Ctrl-C stops cleanly and a rerun finishes the rest.

    --force regrades everything graded before it started: an interrupted --force run is finished by a
    plain rerun, and until then grades.csv keeps the earlier row of every submission not yet regraded.
    """
    submissions, out = Path(submissions).resolve(), Path(out).resolve()
    catalog.load()  # a catalog that cannot be read stops the batch here, not in every submission's row
    _check_apart(submissions, out)
    try:
        limits = replace(limits, isolation=for_the_record(limits.isolation, allow_unisolated))
    except SandboxError as e:
        raise BatchError(str(e)) from None
    entries = discover(submissions)
    _check_out(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BatchError(f"cannot make the folder --out '{out}': {e.strerror}") from None
    remove_partials(out)
    regrade_before = _regrade_before(out, force)
    result = BatchResult(out, {}, level=limits.isolation)
    todo: list[Entry] = []
    prints = {e.name: fingerprint(e.path) for e in entries}
    for entry in entries:
        finished = load_finished(out, entry.name)
        if entry.name in RESERVED:
            note = f'its name is taken by the batch\'s own {entry.name}'
            result.outcomes[entry.name] = Outcome(unreadable_report(entry.name, note), note)
        elif finished and finished.fingerprint == prints[entry.name] and finished.graded_at >= regrade_before:
            result.outcomes[entry.name] = finished
            result.skipped.append(entry.name)
        else:
            todo.append(entry)
            if finished:
                result.outcomes[entry.name] = finished  # its row stays until it is graded again
    try:
        _grade_all(todo, out, jobs or default_jobs(), limits, prints, result, on_tick)
    except KeyboardInterrupt:
        result.interrupted = True
    result.pending = [e.name for e in todo if e.name not in result.graded]
    if not result.pending:
        (out / REGRADE).unlink(missing_ok=True)
    result.summary = summarize(result.outcomes)
    write_atomic(out / GRADES, grades_csv(result.outcomes))
    write_atomic(out / SUMMARY, summary_text(result.summary))
    return result


def _regrade_before(out: Path, force: bool) -> float:
    """What was graded before this moment is graded again: now for --force, or an unfinished --force run's start."""
    marker = out / REGRADE
    if force:
        now = time.time()
        write_atomic(marker, f'{now!r}\n')
        return now
    try:
        return float(marker.read_text())
    except (OSError, ValueError):
        return 0.0


def _grade_all(todo: list[Entry], out: Path, jobs: int, limits: Limits, prints: dict[str, str], result: BatchResult,
               on_tick: Callable[[Tick], None] | None) -> None:
    workers = Workers(limits)
    start = time.monotonic()
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        running: dict[Future, Entry] = {pool.submit(workers.grade, e.name, e.path): e for e in todo}
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                entry = running.pop(future)
                try:
                    outcome = future.result()
                except Interrupted:
                    continue
                except Exception as e:  # a bug in grading one submission must not stop the others
                    note = f'the batch failed on it: {type(e).__name__}: {e}'
                    outcome = Outcome(unreadable_report(entry.name, note), note)
                outcome.fingerprint, outcome.graded_at = prints[entry.name], time.time()
                save(out, entry.name, outcome)
                result.outcomes[entry.name] = outcome
                result.graded.append(entry.name)
                write_atomic(out / GRADES, grades_csv(result.outcomes))
                if on_tick:
                    r = outcome.report
                    on_tick(Tick(entry.name, r.score, r.max_score, outcome.note, len(result.graded), len(todo),
                                 time.monotonic() - start))
    except BaseException:
        workers.stop_all()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        workers.close()


def _check_out(out: Path) -> None:
    """OUT is new, empty, or an earlier batch's: the batch never writes over files it did not make."""
    try:
        names = sorted(os.listdir(out)) if out.is_dir() else []
    except OSError as e:
        raise BatchError(f"cannot read the folder --out '{out}': {e.strerror}") from None
    if not names or is_batch_output(out, names):
        return
    shown = ', '.join(clean.name(n) for n in names[:3]) + (f' and {len(names) - 3} more' if len(names) > 3 else '')
    raise BatchError(f"--out '{out}' already holds files that no batch wrote ({shown}): choose a new folder, "
                     'or the --out of an earlier batch to finish or update it')


def _check_apart(submissions: Path, out: Path) -> None:
    """OUT may not be inside the class folder (that would change it) nor contain it."""
    if out == submissions or submissions in out.parents:
        raise BatchError(f"--out '{out}' is inside the submissions folder, which the batch never writes to")
    if out in submissions.parents:
        raise BatchError(f"the submissions folder is inside --out '{out}': choose another --out")
