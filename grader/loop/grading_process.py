"""A warm grading process for `grade watch`: it grades on request, and drops the run under way when told to.

Pytest and Hypothesis stay imported in it, so a save is graded at once; the watcher itself never
waits on a grading run, so it can always say what it is doing. Student code still runs only in the
sandbox child that each run starts.
"""
from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

import grader
from grader.sandbox.limits import Limits

GRADER_ROOT = str(Path(grader.__file__).resolve().parent.parent)
LAUNCH = f'import sys; sys.path.insert(0, {GRADER_ROOT!r}); from grader.loop.grading_server import main; main()'
GRACE_SECONDS = 3.0  # a cancelled run that has not stopped by then is killed with its process

Reply = dict  # {'id', and 'report' (+ 'problems', and 'partial' before the last) or 'error' or 'cancelled'}


class GradingProcess:
    """The parent's side: submit() requests, cancel() them; every reply goes to on_reply, from a reader thread."""

    def __init__(self, limits: Limits, on_reply: Callable[[Reply], None]):
        self.limits = limits
        self.on_reply = on_reply
        self._lock = threading.Lock()
        self._next_id = 0
        self._sent: dict[int, dict] = {}  # request id -> request, until its reply
        self._cancelled: dict[int, float] = {}  # request id -> when it was cancelled
        self._closing = False
        self._start()
        threading.Thread(target=self._watchdog, daemon=True).start()

    def _start(self) -> None:
        """Start the process and the thread that reads its replies."""
        self._log = tempfile.TemporaryFile()
        # Requests go on a pipe of their own: pytest swaps the grading process's stdin out while checks run.
        read, write = os.pipe()
        try:
            self._proc = subprocess.Popen(
                [sys.executable, '-I', '-c', LAUNCH, json.dumps(dataclasses.asdict(self.limits)), str(read)],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._log, pass_fds=(read,),
                cwd=tempfile.gettempdir(), start_new_session=True)  # Ctrl-C is for the watcher, which stops this
        finally:
            os.close(read)
        self._requests = os.fdopen(write, 'wb')
        threading.Thread(target=self._read, args=(self._proc,), daemon=True).start()

    def submit(self, folder: Path, exercises: list[str] | None = None, notebook: Path | None = None,
               first: list[str] | None = None) -> int:
        """Queue a grading run; returns its id. Exercises `first` are graded first, and a partial reply
        brings them before the whole report."""
        with self._lock:
            self._next_id += 1
            # Absolute: the grading process runs from another folder.
            request = {'id': self._next_id, 'folder': str(Path(folder).absolute()), 'exercises': exercises,
                       'notebook': str(Path(notebook).absolute()) if notebook else None, 'first': first or []}
            self._sent[self._next_id] = request
            self._write(request)
            return self._next_id

    def cancel(self, request_id: int) -> None:
        """Drop this run: its reply will say 'cancelled' (or bring a result that was already on its way)."""
        with self._lock:
            if request_id in self._sent and request_id not in self._cancelled:
                self._cancelled[request_id] = time.monotonic()
                self._write({'cancel': request_id})

    def _write(self, message: dict) -> None:
        """One JSON line to the process."""
        try:
            self._requests.write((json.dumps(message) + '\n').encode())
            self._requests.flush()
        except (OSError, ValueError):
            pass  # the process is gone: the reader reports it

    def _read(self, proc: subprocess.Popen) -> None:
        """Pass on each reply; if the process dies, answer what it held with why, and start another."""
        for line in proc.stdout:
            try:
                reply = json.loads(line)
            except ValueError:
                continue
            with self._lock:
                if reply.get('partial'):
                    known = reply.get('id') in self._sent and reply.get('id') not in self._cancelled
                else:
                    known = self._sent.pop(reply.get('id'), None) is not None
                    self._cancelled.pop(reply.get('id'), None)
            if known:
                self.on_reply(reply)
        with self._lock:
            if proc is not self._proc or self._closing:
                return
            lost, self._sent, self._cancelled = list(self._sent), {}, {}
            why = self._death()
            self._start()
        for request_id in lost:
            self.on_reply({'id': request_id, 'error': why})

    def _death(self) -> str:
        """Why the process stopped: its exit code and the last line it wrote to stderr."""
        code = self._proc.wait()
        self._log.seek(0)
        tail = self._log.read().decode('utf-8', 'replace').strip().splitlines()[-1:]
        return f'the grading process stopped (exit code {code})' + (f': {tail[0][:300]}' if tail else '')

    def _watchdog(self) -> None:
        """Kill a process whose cancelled run has not stopped within the grace time, and start another."""
        while not self._closing:
            time.sleep(0.25)
            with self._lock:
                stuck = [i for i, at in self._cancelled.items() if time.monotonic() - at > GRACE_SECONDS]
                if not stuck or self._closing:
                    continue
                old, waiting = self._proc, [r for i, r in self._sent.items() if i not in self._cancelled]
                dropped, old_log, old_requests = list(self._cancelled), self._log, self._requests
                self._sent, self._cancelled = {}, {}
                self._start()
                for request in waiting:
                    self._sent[request['id']] = request
                    self._write(request)
            _kill(old)
            old_log.close()
            old_requests.close()
            for request_id in dropped:
                self.on_reply({'id': request_id, 'cancelled': True})

    def close(self) -> None:
        """Cancel what runs, let the process finish, and kill it if it does not."""
        with self._lock:
            self._closing = True
            for request_id in list(self._sent):
                self._write({'cancel': request_id})
        try:
            self._requests.close()
        except OSError:
            pass
        try:
            self._proc.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            _kill(self._proc)
        self._log.close()


def _kill(proc: subprocess.Popen) -> None:
    """Kill the process's group; its sandbox child dies with it (it asked the kernel to)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
