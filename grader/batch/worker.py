"""Grading one submission in its own `grade check` process, which can be stopped from outside."""
from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import grader
from grader.batch.reports import BadReport, report_from_dict, unreadable_report
from grader.batch.submissions import prepare
from grader.results import Report
from grader.sandbox.runner import Limits

GRADER_ROOT = str(Path(grader.__file__).resolve().parent.parent)
# -I keeps the working folder and PYTHON* variables off the grading process's path, so nothing
# next to a submission can pass for the grader; the path inserted is the grader's own.
LAUNCH = f'import sys; sys.path.insert(0, {GRADER_ROOT!r}); from grader.batch.worker import main; main()'
SLACK_SECONDS = 30.0  # beyond the sandbox's own bound: the grading process's start-up and pytest


@dataclass
class Outcome:
    """What grading one submission produced: a report, and a note when it could not be graded."""

    report: Report
    note: str = ''
    problems: list[str] = field(default_factory=list)  # what a notebook lacked


class Interrupted(Exception):
    """The batch is stopping; this submission's result is not kept."""


class Workers:
    """The grading processes running now, so that all of them can be stopped at once."""

    def __init__(self) -> None:
        self._running: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self.stopping = False

    def grade(self, name: str, entry: Path, limits: Limits) -> Outcome:
        """Grade a private copy of the entry; a crash or timeout becomes a score-0 outcome with the reason."""
        with tempfile.TemporaryDirectory(prefix='grade-batch-', ignore_cleanup_errors=True) as workdir:
            prepared = prepare(entry, Path(workdir))
            if not prepared.folder:
                return Outcome(unreadable_report(name, prepared.reason), prepared.reason)
            cmd = [sys.executable, '-I', '-c', LAUNCH, str(prepared.folder), json.dumps(dataclasses.asdict(limits))]
            code, out, err = self._run(cmd, workdir, limits.submission_seconds + SLACK_SECONDS)
        if code is None:
            return _failed(name, 'grading did not finish in time')
        try:
            report = report_from_dict(json.loads(out)) if code == 0 else None
        except (ValueError, BadReport):
            report = None
        if report is None:
            tail = err.strip().splitlines()[-1:] or [f'exit code {code}']
            return _failed(name, f'the grader failed: {tail[0][:300]}')
        report.submission = name
        return Outcome(report, problems=list(prepared.problems))

    def _run(self, cmd: list[str], cwd: str, timeout: float) -> tuple[int | None, str, str]:
        with self._lock:
            if self.stopping:
                raise Interrupted()
            proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, start_new_session=True)
            self._running.add(proc)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(proc)
            proc.stdout.close()
            proc.stderr.close()
            return None, '', ''
        finally:
            with self._lock:
                self._running.discard(proc)
        if self.stopping:
            raise Interrupted()
        return proc.returncode, out.decode('utf-8', 'replace'), err.decode('utf-8', 'replace')

    def stop_all(self) -> None:
        """Stop every grading process; what they were grading is graded again by the next run."""
        with self._lock:
            self.stopping = True
            running = list(self._running)
        for proc in running:
            _stop(proc)


def main() -> None:
    """The grading process: grade the folder in argv[1] under the limits in argv[2]; print the report as JSON."""
    from grader import render
    from grader.grading import GradingError, grade

    try:
        report = grade(Path(sys.argv[1]), None, Limits(**json.loads(sys.argv[2])))
    except GradingError as e:
        sys.exit(f'grading failed: {e}')
    sys.stdout.write(render.as_json(report))


def _stop(proc: subprocess.Popen) -> None:
    """SIGINT first, so the grader closes its sandbox; then SIGKILL for the whole group."""
    for sig, wait in ((signal.SIGINT, 3.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _failed(name: str, reason: str) -> Outcome:
    return Outcome(unreadable_report(name, reason), reason)
