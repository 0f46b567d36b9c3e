"""One child process as the parent sees it: started, asked one request at a time, and killed.

One select loop reads both the reply pipe and what the student's code prints, so a flood of prints
never blocks the child and every line printed before a reply has been read when the reply is.
Replies are read in linear time and bounded in bytes; the deadline holds while bytes keep coming.
"""
from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import time

from grader.sandbox import reaper
from grader.sandbox.levels import NAMESPACES
from grader.sandbox.limits import Limits, format_size
from grader.sandbox.stacks import student_frames
from grader.sandbox.workspace import SandboxError, Workspace, disk_use

UNREADABLE = 'wrote something the grader could not read as a reply'
CRASHES = {'SIGSEGV': 'crashed: is a recursion too deep, or is memory running out?',
           'SIGABRT': 'crashed: is a recursion too deep, or is memory running out?',
           'SIGKILL': 'was killed: is it using too much memory?',
           'SIGXCPU': 'used up its CPU time'}
WATCH_EVERY = 0.25  # seconds between two looks at the disk the child writes to
FLOOD = 1 << 20  # printing this much during one check is slow enough to explain a timeout


class Child:
    """One running child process, with its request, reply, output and stack pipes."""

    def __init__(self, workspace: Workspace, limits: Limits):
        self._limits, self._workspace = limits, workspace
        self.output, self.printed = bytearray(), 0  # the tail of what was printed, and how much in all
        self.received = 0  # bytes of answers
        self.marker = reaper.new_marker()
        self._buffer = b''
        ours, theirs = zip(*(_pipe_ends(reading) for reading in (False, True, True, True)))
        self._req_w, self._rep_r, self._out_r, self._stack_r = ours
        req_r, rep_w, out_w, stack_w = theirs
        config = workspace.child_config(limits, {'rx': req_r, 'tx': rep_w, 'stack': stack_w}, os.getpid())
        argv, env = workspace.command(config, {reaper.VARIABLE: self.marker})
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out_w, stderr=out_w, env=env,
                                         pass_fds=(req_r, rep_w, stack_w), start_new_session=True, cwd='/')
        except OSError as e:
            self._close(ours)
            raise SandboxError(f'could not start the sandbox ({argv[0]}): {e}') from None
        finally:
            self._close(theirs)
        self.started = reaper.start_time(self.proc.pid)
        for fd in (self._out_r, self._stack_r):
            os.set_blocking(fd, False)

    def ask(self, message: dict, deadline: float, budget: int) -> dict:
        """Send one request; return the reply (at most `budget` bytes), or raise ChildFailure."""
        message = {**message, 'seconds': round(max(0.0, deadline - time.monotonic()), 3)}
        printed_before = self.printed
        try:
            os.write(self._req_w, (json.dumps(message) + '\n').encode())
        except OSError:
            raise self._died() from None
        chunks, size, watched = [self._buffer], len(self._buffer), time.monotonic()
        with selectors.DefaultSelector() as sel:
            sel.register(self._rep_r, selectors.EVENT_READ)
            sel.register(self._out_r, selectors.EVENT_READ)
            while b'\n' not in chunks[-1]:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise self._timed_out(self.printed - printed_before)
                for key, _ in sel.select(min(remaining, WATCH_EVERY)):
                    if key.fd == self._out_r:
                        if not self._read_output():
                            sel.unregister(self._out_r)
                        continue
                    chunk = os.read(self._rep_r, 1 << 16)
                    if not chunk:
                        raise self._died()
                    chunks.append(chunk)
                    size += len(chunk)
                    self.received += len(chunk)
                    if size > budget:
                        self.kill()
                        raise ChildFailure('protocol', f'{UNREADABLE} (over {format_size(budget)} in one answer)')
                if time.monotonic() - watched >= WATCH_EVERY:
                    self._watch_disk()
                    watched = time.monotonic()
        self._read_output()
        self._watch_disk()  # a child quicker than one look at its disk is still measured before it counts
        line, _, self._buffer = b''.join(chunks).partition(b'\n')
        return self._parse(line, message['id'])

    def _parse(self, line: bytes, expected_id: int) -> dict:
        try:
            reply = json.loads(line)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than json can read
            self.kill()
            raise ChildFailure('protocol', f'{UNREADABLE} (not JSON)') from None
        if not isinstance(reply, dict) or reply.get('id') != expected_id:
            self.kill()
            raise ChildFailure('protocol', f'{UNREADABLE} (an answer out of turn)')
        return reply

    def _read_output(self) -> bool:
        """Read what is waiting on the output pipe, keeping only the tail; False once it is closed."""
        while True:
            try:
                chunk = os.read(self._out_r, 1 << 16)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not chunk:
                return False
            self.printed += len(chunk)
            self.output += chunk
            if len(self.output) > self._limits.output_bytes:
                del self.output[: len(self.output) - self._limits.output_bytes]

    def _watch_disk(self) -> None:
        folder = self._workspace.writable
        if folder is not None and disk_use(folder, self._limits.disk_bytes) > self._limits.disk_bytes:
            self.kill()
            raise ChildFailure('disk', f'wrote more than {format_size(self._limits.disk_bytes)} to disk')

    def _timed_out(self, printed: int) -> ChildFailure:
        try:
            stack = os.read(self._stack_r, 1 << 16).decode('utf-8', 'replace')
        except OSError:
            stack = ''
        self.kill()
        frames = student_frames(stack, self._workspace.folder)
        seconds = f'{self._limits.check_seconds:g} s per check'
        if printed > FLOOD:
            why = (f'did not finish in time ({seconds}) while printing {format_size(printed, exact=False)}: '
                   'printing that much is slow, so print less (is a print inside a loop?)')
        else:
            why = f'did not finish in time ({seconds}): is there an infinite loop?'
        return ChildFailure('timeout', why, frames)

    def _died(self) -> ChildFailure:
        try:
            code = self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            code = None
        self._read_output()
        self.kill()
        if code is not None and code > 128 and self._workspace.level == NAMESPACES:
            code = 128 - code  # bwrap passes on a signal's death as the exit code 128 + signal
        if code is not None and code < 0:
            name = _signal_name(-code)
            why = CRASHES.get(name, f'was killed by {name}')
            return ChildFailure('crash', f'{why} (signal {name}, memory limit {format_size(self._limits.memory_bytes)})')
        return ChildFailure('crash', f'exited (exit code {code}): do you call sys.exit or os._exit?')

    def kill(self) -> None:
        """Kill the child and everything it started, whatever it did to hide, and close every pipe."""
        if self.proc.returncode is not None and self._req_w < 0:
            return  # done already
        # The sweep first, while the child still stands: bwrap's own process inside the namespace is found
        # as its descendant (it carries no marker), which it no longer is once the child is dead. Once
        # reaped, the child's pid may belong to another process: then only its marker and uid are followed.
        reaper.sweep(self.marker, self.proc.pid if self.proc.returncode is None else -1, self.started,
                     self._workspace.uid)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        self._close((self._req_w, self._rep_r, self._out_r, self._stack_r))
        self._req_w = self._rep_r = self._out_r = self._stack_r = -1

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    @staticmethod
    def _close(fds: tuple[int, ...]) -> None:
        for fd in fds:
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass


def _pipe_ends(parent_reads: bool) -> tuple[int, int]:
    """(the parent's end, the child's end) of a new pipe."""
    r, w = os.pipe()
    return (r, w) if parent_reads else (w, r)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:  # most real-time signals have no name, and student code may raise them
        return f'SIG{number}'


class ChildFailure(Exception):
    """The child timed out, crashed, filled its disk or broke the protocol; `kind` says which."""

    def __init__(self, kind: str, message: str, frames: list | None = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.frames = frames or []
