"""The real `grade watch` on a terminal (a pty), driven through a sequence of saves: every screen it draws is checked."""
from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

from grader.loop.watch_screen import CLEAR
from mutate import make_submission
from interruptible import INTERRUPTIBLE

ROOT = Path(__file__).resolve().parent.parent
ONE_SIDED = '(f(x + h) - f(x)) / h'
TWO_H = '(f(x + h) - f(x)) / (2 * h)'
LOOP = 'while True:\n        pass\n    return (f(x + h) - f(x)) / h'
HEADER = 'grade watch: '
STATUS = re.compile(r'^(First run|(saved|deleted) [^:]+ at \d\d:\d\d:\d\d)(: |\.)')


class Terminal:
    """A program on a pty 120 columns wide; its output split into the screens it drew."""

    def __init__(self, args: list[str], cwd: Path):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 120, 0, 0))
        env = {**os.environ, 'PYTHONPATH': str(ROOT), 'NO_COLOR': '1'}
        self.proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env,
                                     start_new_session=True, **INTERRUPTIBLE)
        os.close(slave)
        self.master = master
        self.output = ''
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.output += chunk.decode('utf-8', 'replace').replace('\r\n', '\n')

    def screens(self) -> list[str]:
        """Every screen drawn so far (the text after each clear); the last may still be arriving."""
        with self._lock:
            return self.output.split(CLEAR)[1:]

    def wait_for(self, text: str, timeout: float = 60) -> int:
        """The index of the first screen, from now on, whose complete text contains text."""
        start = len(self.screens())
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screens = self.screens()
            for i in range(start, len(screens) - 1):  # the last screen may be half written
                if text in screens[i]:
                    return i
            if screens[start:] and text in screens[-1] and screens[-1].endswith('\n'):
                return len(screens) - 1
            time.sleep(0.05)
        raise AssertionError(f'no screen showed {text!r}; the last one:\n{self.screens()[-1:]}')

    def interrupt(self) -> str:
        os.killpg(self.proc.pid, signal.SIGINT)
        self.proc.wait(timeout=30)
        time.sleep(0.2)
        with self._lock:
            return self.output


def descendants(pid: int) -> list[int]:
    """Every live process started by pid, however deep (Linux)."""
    found, todo = [], [pid]
    while todo:
        for task in Path(f'/proc/{todo.pop()}/task').glob('*'):
            try:
                kids = [int(k) for k in (task / 'children').read_text().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def test_every_screen_of_a_watch_session_is_about_the_latest_save(tmp_path):
    folder = make_submission(tmp_path, [('derivatives.py', ONE_SIDED, TWO_H)])
    source = folder / 'derivatives.py'
    term = Terminal([sys.executable, '-m', 'grader', 'watch', '--submission', folder.name,
                     '--check-seconds', '120'], tmp_path)
    try:
        term.wait_for('Likely mistake: the one-sided step is h wide')
        helpers = list(descendants(term.proc.pid))
        saves = []  # (index of the first screen after the save, what the save did)

        def do(change, expect: str) -> None:
            time.sleep(0.4)
            saves.append((len(term.screens()), expect))
            change()

        do(lambda: source.write_text(source.read_text().replace('return ' + TWO_H, LOOP)), 'saved derivatives.py')
        term.wait_for('saved derivatives.py at')
        time.sleep(1.5)  # the loop runs: the check would hold the grader for 120 s
        do(lambda: source.write_text(source.read_text().replace(LOOP, 'return ' + ONE_SIDED)), 'saved derivatives.py')
        fixed = term.wait_for('✓ derivatives passes now!')
        term.wait_for('All done: full marks')
        do(source.unlink, 'deleted derivatives.py')
        term.wait_for('derivatives.py is missing from the submission folder')
        output = term.interrupt()
    finally:
        if term.proc.poll() is None:
            os.killpg(term.proc.pid, signal.SIGKILL)

    screens = output.split(CLEAR)[1:]
    assert output.rstrip().endswith('Stopped watching.') and 'Traceback' not in output, output[-2000:]
    assert len(screens) >= 8
    for i, text in enumerate(screens):
        lines = text.splitlines()
        assert lines[0].startswith(HEADER) and STATUS.match(lines[2]), text
        made_before = [what for at, what in saves if at <= i]
        if made_before:  # the screen is about the newest save, and nothing older
            assert lines[2].startswith(made_before[-1]), (i, text)
    for at, _ in saves:  # the first screen after each save: what is being graded, and nothing else
        first = [line for line in screens[at].splitlines() if line.strip()]
        assert len(first) == 2 and first[1].endswith(': grading…'), screens[at]
    for text in screens[saves[1][0]:]:
        assert 'did not finish in time' not in text and 'one-sided step' not in text, text
    assert fixed < saves[2][0], 'the fix was shown before the file was deleted'
    assert not [pid for pid in helpers if Path(f'/proc/{pid}').exists()
                and 'zombie' not in Path(f'/proc/{pid}/status').read_text()], 'a grading process outlived the watch'


def test_ctrl_c_while_grading_quits_cleanly_and_leaves_nothing(tmp_path):
    folder = make_submission(tmp_path)
    source = folder / 'derivatives.py'
    source.write_text(source.read_text() + '\nwhile True:\n    pass\n')  # the import hangs
    term = Terminal([sys.executable, '-m', 'grader', 'watch', '--submission', folder.name,
                     '--check-seconds', '120'], tmp_path)
    try:
        term.wait_for('First run: grading…')
        end = time.monotonic() + 30
        while len(descendants(term.proc.pid)) < 2 and time.monotonic() < end:
            time.sleep(0.05)  # the grading process, then its sandbox child, running the loop
        helpers = descendants(term.proc.pid)
        assert len(helpers) >= 2, 'no sandbox started'
        time.sleep(0.5)
        output = term.interrupt()
    finally:
        if term.proc.poll() is None:
            os.killpg(term.proc.pid, signal.SIGKILL)
    assert output.rstrip().endswith('Stopped watching.') and 'Traceback' not in output, output[-2000:]
    assert 'Total:' not in output, 'no report from an interrupted run'
    time.sleep(0.5)
    alive = [pid for pid in helpers if Path(f'/proc/{pid}').exists()
             and 'zombie' not in Path(f'/proc/{pid}/status').read_text()]
    assert not alive, 'a grading process or its sandbox outlived the watch'


def test_ctrl_c_stops_the_watch_between_two_steps_and_a_second_one_at_once():
    """The first Ctrl-C only sets the stop event, so no KeyboardInterrupt lands inside a step (with a lock
    taken, say); a second one interrupts at once; the handler before the watch is put back after it."""
    from grader.commands.watch import _ctrl_c_sets

    before = signal.getsignal(signal.SIGINT)
    stop = threading.Event()
    interrupted = False
    with _ctrl_c_sets(stop):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler runs in the main thread at its next step
        assert stop.is_set()
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        except KeyboardInterrupt:
            interrupted = True
    assert interrupted, 'a second Ctrl-C must interrupt at once'
    assert signal.getsignal(signal.SIGINT) is before
