"""One child process as the parent sees it: started, asked one request at a time, and killed."""
from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import threading
import time

from grader.sandbox import reaper
from grader.sandbox.limits import Limits, format_size
from grader.sandbox.workspace import SandboxError, Workspace

MAX_REPLY = 16 << 20  # a reply larger than this is a flood, not an answer
UNREADABLE = 'wrote something the grader could not read as a reply'
CRASHES = {'SIGSEGV': 'crashed: is a recursion too deep, or is memory running out?',
           'SIGABRT': 'crashed: is a recursion too deep, or is memory running out?',
           'SIGKILL': 'was killed: is it using too much memory?'}


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
        except OSError as e:
            os.close(self._req_w)
            os.close(self._rep_r)
            raise SandboxError(f'could not start {workspace.python} for the sandbox: {e}') from None
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
        except (ValueError, RecursionError):  # RecursionError: nested deeper than json can read
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
            name = _signal_name(-code)
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


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:  # most real-time signals have no name, and student code may raise them
        return f'SIG{number}'


class ChildFailure(Exception):
    """The child timed out, crashed or broke the protocol; `kind` says which."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message
