"""The parent's side of the sandbox: one child process per submission, restarted after a crash."""
from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader.sandbox import reaper
from grader.sandbox.limits import Limits, format_size
from grader.sandbox.workspace import SandboxError, Workspace, prepare

__all__ = ['ChildFailure', 'Limits', 'Reply', 'Sandbox', 'SandboxError']
MAX_REPLY = 16 << 20  # a reply larger than this is a flood, not an answer
UNREADABLE = 'wrote something the grader could not read as a reply'
SUBMISSION_TIMEOUT = 'did not finish in time: the whole submission ran out of time ({:g} s)'
CRASHES = {'SIGSEGV': 'crashed: is a recursion too deep, or is memory running out?',
           'SIGABRT': 'crashed: is a recursion too deep, or is memory running out?',
           'SIGKILL': 'was killed: is it using too much memory?'}


@dataclass
class Reply:
    """The child's answer: a JSON result, or an account of what went wrong."""

    ok: bool
    result: object = None
    error: dict = field(default_factory=dict)


class Child:
    """One running child process, with its request and reply pipes and its drained output."""

    def __init__(self, workspace: Workspace, limits: Limits):
        req_r, self._req_w = os.pipe()
        self._rep_r, rep_w = os.pipe()
        self.output = bytearray()
        self._limits = limits
        self.marker = reaper.new_marker()
        account = workspace.user
        env = {reaper.VARIABLE: self.marker, 'PATH': os.defpath, 'LANG': 'C.UTF-8', 'HOME': str(workspace.folder)}
        try:
            self.proc = subprocess.Popen(
                [workspace.python, '-I', '-S', '-B', str(workspace.code / 'child.py'), str(workspace.folder),
                 str(req_r), str(rep_w), str(limits.memory_bytes), str(os.getpid())],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                pass_fds=(req_r, rep_w), start_new_session=True, cwd=workspace.folder,
                **({'user': account.pw_uid, 'group': account.pw_gid, 'extra_groups': []} if account else {}))
        finally:
            os.close(req_r)
            os.close(rep_w)
        self.started = reaper.start_time(self.proc.pid)
        self._buffer = b''
        self._drain = threading.Thread(target=self._drain_output, daemon=True)
        self._drain.start()

    def _drain_output(self) -> None:
        # Always reading keeps a flood of prints from blocking the child; only the tail is kept.
        while chunk := self.proc.stdout.read1(65536):
            self.output += chunk
            if len(self.output) > self._limits.output_bytes:
                del self.output[: len(self.output) - self._limits.output_bytes]

    def ask(self, message: dict, deadline: float) -> dict:
        """Send one request; return the reply, or raise ChildFailure."""
        try:
            os.write(self._req_w, (json.dumps(message) + '\n').encode())
        except OSError:
            raise self._died() from None
        with selectors.DefaultSelector() as sel:
            sel.register(self._rep_r, selectors.EVENT_READ)
            while b'\n' not in self._buffer:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not sel.select(remaining):
                    self.kill()
                    raise ChildFailure('timeout', f'did not finish in time ({self._limits.check_seconds:g} s per check): '
                                                  'is there an infinite loop?')
                chunk = os.read(self._rep_r, 65536)
                if not chunk:
                    raise self._died()
                self._buffer += chunk
                if len(self._buffer) > MAX_REPLY:
                    self.kill()
                    raise ChildFailure('protocol', f'{UNREADABLE} (over {format_size(MAX_REPLY)} on its channel)')
        line, _, self._buffer = self._buffer.partition(b'\n')
        try:
            reply = json.loads(line)
        except ValueError:
            self.kill()
            raise ChildFailure('protocol', f'{UNREADABLE} (not JSON)') from None
        if not isinstance(reply, dict) or reply.get('id') != message['id']:
            self.kill()
            raise ChildFailure('protocol', f'{UNREADABLE} (an answer out of turn)')
        return reply

    def _died(self) -> ChildFailure:
        try:
            code = self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            code = None
        self.kill()
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            why = CRASHES.get(name, f'was killed by {name}')
            return ChildFailure('crash', f'{why} (signal {name}, memory limit {format_size(self._limits.memory_bytes)})')
        return ChildFailure('crash', f'exited (exit code {code}): do you call sys.exit or os._exit?')

    def kill(self) -> None:
        """Kill the child, its process group and everything it started, and close every pipe."""
        if self.proc.returncode is not None and self._req_w < 0:
            return  # done already
        # Once reaped, the child's pid may belong to another process: then only its marker is followed.
        reaper.sweep(self.marker, self.proc.pid if self.proc.returncode is None else -1, self.started)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        self._drain.join(timeout=1)
        for fd in (self._req_w, self._rep_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self._req_w = self._rep_r = -1
        if not self._drain.is_alive():
            self.proc.stdout.close()

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None


class ChildFailure(Exception):
    """The child timed out, crashed or broke the protocol; `kind` says which."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


class Sandbox:
    """Answers probe requests for one submission, keeping one child alive across checks."""

    def __init__(self, folder: Path, limits: Limits = Limits()):
        self.folder = Path(folder).resolve()
        self.limits = limits
        self._workspace = prepare(self.folder, limits.user)
        self._child: Child | None = None
        self._next_id = 0
        self._imported: set[str] = set()
        self._broken: dict[str, Reply] = {}  # module -> why importing it failed, so it is not retried
        self._poisoned: Reply | None = None
        self._deadline = time.monotonic() + limits.check_seconds
        self._submission_deadline = time.monotonic() + limits.submission_seconds
        self._output_mark = 0
        try:
            self._spawn()
        except BaseException:
            self._workspace.remove()
            raise

    def _spawn(self) -> None:
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
            message = SUBMISSION_TIMEOUT.format(self.limits.submission_seconds)
            self._poisoned = Reply(False, error={'kind': 'timeout', 'message': message})
            return self._poisoned
        if not (self._child and self._child.alive):
            self._spawn()
        self._next_id += 1
        try:
            raw = self._child.ask({'id': self._next_id, 'probe': probe, 'args': args}, self._deadline)
        except ChildFailure as failure:
            if failure.kind == 'timeout' and time.monotonic() >= self._submission_deadline:
                failure.message = SUBMISSION_TIMEOUT.format(self.limits.submission_seconds)
            self._poisoned = Reply(False, error={'kind': failure.kind, 'message': failure.message,
                                                 'output': self.output()})
            self._child = None
            if probe == 'import':
                self._poisoned.error['message'] += f" (while importing {args['module']}.py)"
            return self._poisoned
        return Reply(True, raw.get('result')) if raw.get('ok') is True else Reply(False, error=_error(raw.get('error')))

    def close(self) -> None:
        if self._child:
            self._child.kill()
            self._child = None
        self._workspace.remove()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _error(raw: object) -> dict:
    """The child's error report, kept only if it has the expected plain shape."""
    if not isinstance(raw, dict):
        return {'kind': 'protocol', 'message': f'{UNREADABLE} (an error report of the wrong shape)'}
    return {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, (str, int, list))}
