"""Watch mode: every save cancels the grading under way and starts again; every state is about one save only.

watch() yields a WatchState when a save is seen (grading, nothing in yet), when the exercise in
focus is graded, and when every exercise is. Grading runs in a warm process (grading_process.py),
so the watcher always answers at once.
"""
from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from grader import catalog
from grader.batch.reports import BadReport, report_from_dict
from grader.loop.grading_process import GradingProcess
from grader.results import Report
from grader.sandbox.limits import Limits
from grader.loop.watch_files import Changes, watch_files


@dataclass
class Save:
    """What started a grading run: the files saved and deleted (none for the first run), and when (time.time())."""

    saved: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    at: float = field(default_factory=time.time)
    number: int = 0  # 0 for the first run, then 1, 2, ... for each save


@dataclass
class WatchState:
    """What is known about one save: nothing yet, the exercise in focus, or everything."""

    save: Save
    report: Report | None = None  # this save's results so far, in catalog order; None until some are in
    pending: list[str] = field(default_factory=list)  # exercises not graded since this save
    newly_passed: list[str] = field(default_factory=list)
    error: str = ''
    problems: list[str] = field(default_factory=list)  # what a notebook lacked
    seconds: float = 0.0  # from the save to these results

    @property
    def grading(self) -> bool:
        """Some exercises are still being graded for this save."""
        return bool(self.pending) and not self.error

    @property
    def focus(self) -> str:
        """The exercise to work on: the first graded one that does not pass ('' if none)."""
        first = self.report.first_failing if self.report else None
        return first.id if first else ''


class _Run:
    """The grading of one save: the focus first, then the rest, in one request."""

    def __init__(self, save: Save, scope: list[str]):
        self.state = WatchState(save, pending=list(scope))
        self.request = 0
        self.started = time.monotonic()


def watch(target: Path, stop_event: threading.Event | None = None, limits: Limits = Limits(),
          exercises: list[str] | None = None, notebook: bool = False) -> Iterator[WatchState]:
    """Grade now and after every save of a folder (or of a notebook, with notebook=True) until stop_event is set."""
    target = Path(target)
    scope = exercises or [e.id for e in catalog.load()]
    events: queue.Queue = queue.Queue()
    stop = threading.Event()
    process = GradingProcess(limits, on_reply=lambda reply: events.put(('reply', reply)))
    files = threading.Thread(target=watch_files, args=(target, notebook, stop, lambda c: events.put(('files', c))),
                             daemon=True)
    files.start()
    last: Report | None = None  # the last complete report, for what to grade first and what passes now
    saves = 0

    def start(save: Save) -> _Run:
        first = _first(last, scope, save.saved + save.deleted)
        run = _Run(save, scope)
        # The exercise in focus alone first, without its requirements: they come with the rest, a moment later,
        # from the same run, which merges the focus in rather than grading it again.
        run.request = _submit(process, target, notebook, scope, first)
        return run

    run = start(Save())
    try:
        yield run.state
        while not (stop_event and stop_event.is_set()):
            try:
                kind, payload = events.get(timeout=0.2)
            except queue.Empty:
                continue
            if kind == 'files':
                if run.state.grading:
                    process.cancel(run.request)
                saves += 1
                run = start(_save(payload, saves))
                yield run.state
            elif payload.get('id') == run.request:
                run.state = _merge(run.state, payload, last, time.monotonic() - run.started, str(target))
                if not run.state.grading:
                    last = run.state.report or last
                yield run.state
    finally:
        stop.set()
        process.close()
        files.join(timeout=5)


def _save(changes: Changes, number: int) -> Save:
    """The Save for a burst of changes, numbered."""
    return Save(sorted(changes.saved), sorted(changes.deleted), number=number)


def _first(last: Report | None, scope: list[str], changed: list[str]) -> list[str]:
    """What to grade first: the exercise in focus, else (full marks) those written in the changed files."""
    if last is None:
        return []
    focus = last.first_failing
    if focus:
        return [focus.id] if len(scope) > 1 else []
    using = [e.id for e in catalog.load() if e.id in scope and set(e.files) & set(changed)]
    return using if 0 < len(using) < len(scope) else []


def _submit(process: GradingProcess, target: Path, notebook: bool, ids: list[str], first: list[str]) -> int:
    """Ask for a run over these exercises of the folder, or of the notebook's cells, `first` first."""
    return process.submit(target.parent if notebook else target, ids, target if notebook else None, first)


def _merge(state: WatchState, reply: dict, last: Report | None, seconds: float, target: str) -> WatchState:
    """The state after a reply: its exercises added to this save's results (and only to this save's)."""
    if reply.get('cancelled'):
        return state
    if 'error' in reply:
        return replace(state, error=str(reply['error']), pending=[], seconds=seconds)
    try:
        fresh = report_from_dict(reply['report'])
    except BadReport as e:
        return replace(state, error=f'the grading process answered nonsense: {e}', pending=[], seconds=seconds)
    known = {e.id: e for e in (state.report.exercises if state.report else [])}
    known.update({e.id: e for e in fresh.exercises})
    order = [e.id for e in catalog.load()]
    report = Report(target, [known[i] for i in order if i in known], fresh.seconds, fresh.isolation)
    passed_before = {e.id for e in last.exercises if e.passed} if last else None
    newly = [e.id for e in report.exercises if e.passed and passed_before is not None and e.id not in passed_before]
    return replace(state, report=report, pending=[i for i in state.pending if i not in known],
                   newly_passed=newly, problems=list(reply.get('problems') or []), seconds=seconds)
