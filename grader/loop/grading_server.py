"""The grading process's side (see grading_process.py): JSON requests and cancels in on a pipe, one reply per request
out, after a partial one with the exercises a request names `first`.

Requests are graded one at a time, in order, by the main thread. A reader thread takes every line as it
arrives, so a cancel reaches the run it names while that run is still going.
"""
from __future__ import annotations

import dataclasses
import json
import os
import queue
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TextIO

if TYPE_CHECKING:
    from grader.results import Report


class Server:
    """Grades requests from a queue; cancel(id) stops that run if it is the one going, or before it starts."""

    def __init__(self) -> None:
        from grader.loop.cancel import Cancel

        self.requests: queue.Queue = queue.Queue()
        self.cancel = Cancel()
        self._lock = threading.Lock()
        self._current: int | None = None
        self._cancelled: set[int] = set()

    def take(self, line: str) -> None:
        """One line from the parent: a request to queue, or a cancel."""
        message = json.loads(line)
        if 'cancel' not in message:
            self.requests.put(message)
            return
        with self._lock:
            if message['cancel'] == self._current:
                self.cancel.request()
            else:
                self._cancelled.add(message['cancel'])

    def read(self, stream: TextIO) -> None:
        """Take every line of the pipe as it comes (run in a thread), then say there is no more."""
        for line in stream:
            self.take(line)
        self.requests.put(None)

    def serve(self, limits: object, replies: TextIO) -> None:
        """Grade the queued requests in order, each answered with one JSON line: a report, an error or 'cancelled'."""
        from grader.loop.cancel import Cancelled

        while (request := self.requests.get()) is not None:
            with self._lock:
                self._current = request['id']
                self.cancel.reset()
                if request['id'] in self._cancelled:
                    self.cancel.requested = True

            def partial(reply: dict, request_id: int = request['id']) -> None:
                replies.write(json.dumps(dict(reply, id=request_id, partial=True)) + '\n')
                replies.flush()

            try:
                reply = dict(self.grade(request, limits, partial), id=request['id'])
            except Cancelled:
                reply = {'id': request['id'], 'cancelled': True}
            except Exception as e:  # noqa: BLE001 - one run's failure is its reply; the watch goes on
                reply = {'id': request['id'], 'error': _why(e)}
            with self._lock:
                self._current = None
                self._cancelled.discard(request['id'])
            replies.write(json.dumps(reply) + '\n')
            replies.flush()

    def grade(self, request: dict, limits: object, partial: Callable[[dict], None] = lambda reply: None) -> dict:
        """One run: a folder, or a notebook's cells written into a temporary folder. With exercises `first`,
        their report goes to `partial` as soon as they are graded, before the rest."""
        if not request.get('notebook'):
            return self._staged(Path(request['folder']), request, limits, partial, '', [])
        from grader.notebook.extract import submission_from_notebook

        with tempfile.TemporaryDirectory(prefix='grade-notebook-') as tmp:
            submission = submission_from_notebook(Path(request['notebook']), Path(tmp) / 'submission')
            return self._staged(submission.folder, request, limits, partial, request['notebook'], submission.problems)

    def _staged(self, folder: Path, request: dict, limits: object, partial: Callable[[dict], None], name: str,
                problems: list[str]) -> dict:
        """Grade the folder, the exercises `first` first; each report named `name` (a notebook) if given."""
        from grader.loop.watch_grading import grade_in_stages

        def reply(report: Report) -> dict:
            report.submission = name or report.submission
            return {'report': dataclasses.asdict(report), 'problems': problems}

        report = grade_in_stages(folder, request.get('first') or [], request.get('exercises'), limits, self.cancel,
                                 lambda first: partial(reply(first)))
        return reply(report)


def _why(error: Exception) -> str:
    """What to tell the student when a run could not grade: the reason, or what went wrong."""
    from grader.grading import GradingError

    if isinstance(error, GradingError) or type(error).__name__ == 'NotebookError':
        return str(error)
    return f'grading failed: {type(error).__name__}: {error}'


def main() -> None:
    """Serve until the request pipe (argv[2]) closes; the limits are the JSON object in argv[1]."""
    from grader.sandbox.limits import Limits

    limits = Limits(**json.loads(sys.argv[1]))
    server = Server()
    server.cancel.install()
    replies = os.fdopen(os.dup(1), 'w', encoding='utf-8')
    os.dup2(2, 1)  # anything else that prints goes to stderr, never into a reply
    requests = os.fdopen(int(sys.argv[2]), 'r', encoding='utf-8')
    threading.Thread(target=server.read, args=(requests,), daemon=True).start()
    import grader.grading  # noqa: F401 - pytest and Hypothesis are imported before the first save, not after it
    import hypothesis  # noqa: F401
    import pytest  # noqa: F401
    server.serve(limits, replies)
