"""The parent's side of the sandbox: one child process per submission, restarted after a crash."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from grader.sandbox.limits import Limits, format_size
from grader.sandbox.process import UNREADABLE, Child, ChildFailure
from grader.sandbox.replies import SHAPES, conforms
from grader.sandbox.snapshot import SandboxFileError, fingerprint, left_out, read_submitted
from grader.sandbox.workspace import SandboxError, prepare

__all__ = ['Limits', 'Reply', 'Sandbox', 'SandboxError', 'SandboxFileError']
SUBMISSION_TIMEOUT = 'did not finish in time: the whole submission ran out of time ({:g} s)'
MAX_TEXT = 4000  # characters kept of any string the child sends: enough to explain, never a flood


@dataclass
class Reply:
    """The child's answer: a JSON result, or an account of what went wrong."""

    ok: bool
    result: object = None
    error: dict = field(default_factory=dict)


class Sandbox:
    """Answers probe requests for one submission, keeping one child alive across checks."""

    def __init__(self, folder: Path, limits: Limits = Limits(), *, explain: bool = True, start: bool = True):
        """`explain=False` leaves out the audit hook, as a student who dodged it would: only tests do.

        `start=False` leaves the child to start(): a child dies with the thread that started it, so a
        sandbox made in a short-lived thread must start its child in the thread that will use it.
        """
        self.folder = Path(folder).resolve()
        self.limits = limits
        self._workspace = prepare(self.folder, limits)
        self._workspace.explain = explain
        self.level = self._workspace.level
        self._child: Child | None = None
        self._next_id = 0
        self._imported: set[str] = set()
        self._broken: dict[str, Reply] = {}  # module -> why importing it failed, so it is not retried
        self._poisoned: Reply | None = None
        self._deadline = time.monotonic() + limits.check_seconds
        self._submission_deadline = time.monotonic() + limits.submission_seconds
        self._output_mark = 0
        self._spent = 0  # bytes of answers from children that are gone
        self._fingerprint: bytes | None = None
        if start:
            self.start()

    def start(self) -> None:
        """Start the child now, in this thread (else the first request starts it)."""
        try:
            self._spawn()
        except BaseException:
            self._workspace.remove()
            raise

    def _spawn(self) -> None:
        if self._child:
            self._spent += self._child.received
        self._workspace.renew()  # a fresh copy and uid: nothing the last child did carries over
        self._child = Child(self._workspace, self.limits)
        self._imported = set()
        self._output_mark = 0

    def begin_check(self) -> None:
        """Start a check's clock; a check that timed out or crashed does not spill into the next."""
        self._poisoned = None
        self._deadline = min(time.monotonic() + self.limits.check_seconds, self._submission_deadline)
        self._output_mark = len(self._child.output) if self._child else 0

    def output(self) -> str:
        """What the student's code printed during the current check (the tail of it)."""
        if not self._child:
            return ''
        return bytes(self._child.output[self._output_mark:])[-2000:].decode('utf-8', 'replace')

    def read_text(self, name: str, max_bytes: int) -> str | None:
        """A file of the submission as it was handed in, from the parent's own snapshot: None if missing;
        SandboxFileError if it is not a regular file, is larger than max_bytes or is not UTF-8."""
        return read_submitted(self._workspace.snapshot, name, max_bytes)

    def fingerprint(self) -> bytes:
        """A digest of the submission's files: inputs drawn from it cannot be looked up by the code it holds."""
        if self._fingerprint is None:
            self._fingerprint = fingerprint(self._workspace.snapshot)
        return self._fingerprint

    def request(self, probe: str, args: dict, modules: tuple[str, ...]) -> Reply:
        """Ask the child to run a probe that needs the given student modules."""
        if self._poisoned:
            return self._poisoned
        for name in modules:
            if name in self._broken:
                return self._broken[name]
            if name not in self._imported:
                reply = self._ask('import', {'module': name})
                if not reply.ok:
                    self._broken[name] = reply
                    return reply
                self._imported.add(name)
        return self._ask(probe, args)

    def _ask(self, probe: str, args: dict) -> Reply:
        if time.monotonic() >= self._submission_deadline:
            return self._poison('timeout', SUBMISSION_TIMEOUT.format(self.limits.submission_seconds))
        spent = self._spent + (self._child.received if self._child else 0)
        budget = min(self.limits.reply_bytes, self.limits.submission_reply_bytes - spent)
        if budget <= 0:
            return self._poison('protocol', f'{UNREADABLE} (over {format_size(self.limits.submission_reply_bytes)} '
                                            'of answers in all)')
        if not (self._child and self._child.alive):
            self._spawn()
        self._next_id += 1
        try:
            raw = self._child.ask({'id': self._next_id, 'probe': probe, 'args': args}, self._deadline, budget)
        except ChildFailure as failure:
            message = failure.message
            if failure.kind == 'timeout' and time.monotonic() >= self._submission_deadline:
                message = SUBMISSION_TIMEOUT.format(self.limits.submission_seconds)
            if probe == 'import':
                message += f" (while importing {args['module']}.py)"
            return self._poison(failure.kind, message, self._with_text(failure.frames))
        if raw.get('ok') is not True:
            error = _error(raw.get('error'))
            if error.get('kind') == 'missing_file':  # say why, if the file is there but was left out
                error['left_out'] = left_out(self._workspace.snapshot, str(error.get('message', '')))
            return Reply(False, error=error)
        if not conforms(raw.get('result'), SHAPES[probe]):  # forged by student code: refused before anyone reads it
            return Reply(False, error={'kind': 'protocol', 'message': f'{UNREADABLE} (an answer of the wrong shape)'})
        return Reply(True, _cut(raw['result']))

    def _poison(self, kind: str, message: str, frames: list | None = None) -> Reply:
        self._poisoned = Reply(False, error={'kind': kind, 'message': message, 'frames': frames or [],
                                             'output': self.output()})
        return self._poisoned

    def _with_text(self, frames: list) -> list:
        """Fill in each frame's line of code from the snapshot, as the student handed it in."""
        for frame in frames:
            try:
                lines = (read_submitted(self._workspace.snapshot, frame[0], 1 << 22) or '').splitlines()
            except (SandboxFileError, ValueError):
                continue
            if 0 < frame[1] <= len(lines):
                frame[3] = lines[frame[1] - 1].strip()[:200]
        return frames

    def close(self) -> None:
        if self._child:
            self._child.kill()
            self._child = None
        self._workspace.remove()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _cut(value: object) -> object:
    """The value with every string cut to MAX_TEXT characters, so no forged answer floods the feedback."""
    if isinstance(value, str):
        return value[:MAX_TEXT]
    if isinstance(value, list):
        return [_cut(v) for v in value]
    if isinstance(value, dict):
        return {k[:MAX_TEXT]: _cut(v) for k, v in value.items()}
    return value


def _error(raw: object) -> dict:
    """The child's error report, kept only if it has the expected plain shape, with its strings cut."""
    if not isinstance(raw, dict):
        return {'kind': 'protocol', 'message': f'{UNREADABLE} (an error report of the wrong shape)'}
    kept = {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, (str, int, list))}
    if isinstance(kept.get('frames'), list):
        kept['frames'] = kept['frames'][-8:]
    return _cut(kept)
