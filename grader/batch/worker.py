"""The batch's grading processes, one per job: each grades many submissions and can be stopped from outside."""
from __future__ import annotations

import dataclasses
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import grader
from grader.batch.reports import BadReport, Outcome, report_from_dict, unreadable_report
from grader.batch.submissions import prepare
from grader.notebook.locations import relocate
from grader.sandbox.limits import Limits

GRADER_ROOT = str(Path(grader.__file__).resolve().parent.parent)
# -I keeps the working folder and PYTHON* variables off the grading process's path, so nothing
# next to a submission can pass for the grader; the path inserted is the grader's own.
LAUNCH = f'import sys; sys.path.insert(0, {GRADER_ROOT!r}); from grader.batch.serve import main; main()'
SLACK_SECONDS = 30.0  # beyond the sandbox's own bound: pytest's own work for one submission
RECYCLE_AFTER = 50  # submissions per grading process, so nothing it accumulates grows without bound


class Interrupted(Exception):
    """The batch is stopping; this submission's result is not kept."""


class Failed(Exception):
    """The grading process timed out, died or answered nonsense."""


class Process:
    """One grading process and its pipes."""

    def __init__(self, limits: Limits):
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, '-I', '-c', LAUNCH, json.dumps(dataclasses.asdict(limits))],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
                                     cwd=tempfile.gettempdir(), start_new_session=True)
        self.served = 0

    def ask(self, folder: Path, timeout: float) -> dict:
        """Grade one folder; raises Failed."""
        self.served += 1
        try:
            self.proc.stdin.write((json.dumps(str(folder)) + '\n').encode())  # JSON: a name may hold a newline
            self.proc.stdin.flush()
        except OSError:
            raise Failed(self._death()) from None
        deadline, buffer = time.monotonic() + timeout, b''
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            while not buffer.endswith(b'\n'):
                if not sel.select(max(0.0, deadline - time.monotonic())):
                    raise Failed('grading did not finish in time')
                chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
                if not chunk:
                    raise Failed(self._death())
                buffer += chunk
        try:
            reply = json.loads(buffer)
        except ValueError:
            raise Failed('the grading process answered something that is not JSON') from None
        if not isinstance(reply, dict) or reply.get('folder') != str(folder):
            raise Failed('the grading process answered out of turn')  # never another submission's report
        return reply

    def _death(self) -> str:
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        self.log.seek(0)
        tail = self.log.read().decode('utf-8', 'replace').strip().splitlines()[-1:]
        return f'the grading process died (exit code {code})' + (f': {tail[0][:300]}' if tail else '')

    def stop(self) -> None:
        """SIGINT first, so grade() closes its sandbox; then SIGKILL for the whole group."""
        for sig, wait in ((signal.SIGINT, 3.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.proc.pid, sig)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        for stream in (self.proc.stdin, self.proc.stdout, self.log):
            try:
                stream.close()
            except OSError:
                pass

    def close(self) -> None:
        """Let the process finish: it exits when its requests end."""
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.stop()
            return
        for stream in (self.proc.stdout, self.log):
            stream.close()


class Workers:
    """One grading process per thread that grades; all of them can be stopped at once."""

    def __init__(self, limits: Limits = Limits()):
        self.limits = limits
        self.stopping = False
        self._lock = threading.Lock()
        self._processes: set[Process] = set()
        self._mine = threading.local()

    def grade(self, name: str, entry: Path) -> Outcome:
        """Grade a private copy of the entry; a crash or timeout becomes a score-0 outcome with the reason."""
        with tempfile.TemporaryDirectory(prefix='grade-batch-', ignore_cleanup_errors=True) as workdir:
            prepared = prepare(entry, Path(workdir))
            if not prepared.folder:
                return Outcome(unreadable_report(name, prepared.reason), prepared.reason)
            try:
                reply = self._ask(prepared.folder)
                report = report_from_dict(reply['report']) if 'report' in reply else None
            except (Failed, BadReport) as e:
                return Outcome(unreadable_report(name, str(e)), str(e))
        if report is None:
            note = f"the grader failed: {reply.get('error')}"
            return Outcome(unreadable_report(name, note), note)
        report.submission = name
        if prepared.texts:  # a notebook: feedback's engine.py:12 becomes the line of the cell, as in `grade check`
            relocate(report, prepared.texts)
        return Outcome(report, problems=list(prepared.problems))

    def _ask(self, folder: Path) -> dict:
        process = getattr(self._mine, 'process', None)
        with self._lock:
            if self.stopping:
                raise Interrupted()
            if process is None or process.served >= RECYCLE_AFTER:
                if process:
                    self._processes.discard(process)
                    process.close()
                process = self._mine.process = Process(self.limits)
                self._processes.add(process)
        try:
            return process.ask(folder, self.limits.submission_seconds + SLACK_SECONDS)
        except Failed:
            if self.stopping:
                raise Interrupted() from None
            with self._lock:
                self._processes.discard(process)
            self._mine.process = None
            process.stop()
            raise

    def close(self) -> None:
        """Stop every grading process: gently when idle, and at once after stop_all()."""
        with self._lock:
            processes, self._processes = list(self._processes), set()
        for process in processes:
            process.stop() if self.stopping else process.close()

    def stop_all(self) -> None:
        """Interrupt every grading process; what they were grading is graded again by the next run."""
        with self._lock:
            self.stopping = True
        self.close()
