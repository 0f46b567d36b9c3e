"""grade watch: the library yields one update per save; the real command survives edits and Ctrl-C."""
from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from grader.commands.watch import screen
from grader.grading import grade
from grader.watch import watch
from interruptible import INTERRUPTIBLE
from mutate import make_submission

ROOT = Path(__file__).resolve().parent.parent
ONE_SIDED = '(f(x + h) - f(x)) / h'
BROKEN = (('derivatives.py', ONE_SIDED, '(f(x + h) - f(x)) / (2 * h)'),)


def small_grade(submission, ids):
    """Grading limited to two quick exercises keeps these tests fast; the full set is graded elsewhere."""
    return grade(submission, ids or ['derivatives', 'forward_ops'])


class Watcher:
    """watch() running in a thread, its updates in a queue."""

    def __init__(self, folder: Path):
        self.stop = threading.Event()
        self.updates: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._run, args=(folder,), daemon=True)
        self.thread.start()

    def _run(self, folder: Path) -> None:
        for update in watch(folder, stop_event=self.stop, grader=small_grade):
            self.updates.put(update)

    def next(self, timeout: float = 20):
        return self.updates.get(timeout=timeout)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), 'watch() did not stop when asked'


def save(path: Path, text: str) -> None:
    time.sleep(0.2)  # let the watcher settle, as a person's edits are never instantaneous
    path.write_text(text)


def test_updates_follow_saves_and_move_on_when_one_passes(tmp_path):
    folder = make_submission(tmp_path, BROKEN)
    watcher = Watcher(folder)
    try:
        first = watcher.next()
        assert first.changed == [] and first.focus == 'derivatives' and not first.partial
        source = folder / 'derivatives.py'
        save(source, source.read_text().replace('(f(x + h) - f(x)) / (2 * h)', ONE_SIDED))
        quick = watcher.next()
        assert quick.changed == ['derivatives.py'] and quick.partial and quick.newly_passed == ['derivatives']
        full = watcher.next()
        assert not full.partial and full.report.full_marks and full.focus == ''
        assert 'All done' in screen(full, folder, color=False)
    finally:
        watcher.close()


def test_survives_syntax_errors_and_deleted_files(tmp_path):
    folder = make_submission(tmp_path)
    watcher = Watcher(folder)
    try:
        assert watcher.next().report.full_marks
        source = folder / 'derivatives.py'
        good = source.read_text()
        save(source, good.replace('return (f(x + h) - f(x)) / h', 'return (f(x + h) - f(x) / h'))  # half-typed
        update = watcher.next()  # with nothing in focus, the exercise written in the saved file goes first
        assert update.partial and update.focus == 'derivatives'
        assert 'syntax error in derivatives.py' in screen(update, folder, False)
        assert not watcher.next().partial
        source.unlink()
        update = _last_settled(watcher)
        assert 'derivatives.py is missing' in screen(update, folder, False)
        save(source, good)
        assert _last_settled(watcher).report.full_marks
    finally:
        watcher.close()


def test_a_deleted_folder_is_waited_for(tmp_path):
    folder = make_submission(tmp_path)
    watcher = Watcher(folder)
    try:
        assert watcher.next().report.full_marks
        time.sleep(0.2)
        shutil.rmtree(folder)
        gone = _last_settled(watcher)
        assert gone.report is None and 'is not a folder of exercises' in gone.error
        assert 'and 5 more' in screen(gone, folder, False)  # the deleted files, not all named
        make_submission(tmp_path, BROKEN)  # the same folder, made again
        back = watcher.next()
        assert back.report is not None and back.focus == 'derivatives'
        save(folder / 'derivatives.py', (folder / 'derivatives.py').read_text().replace(BROKEN[0][2], ONE_SIDED))
        assert _last_settled(watcher).report.full_marks, 'the new folder is watched'
    finally:
        watcher.close()


def _last_settled(watcher: Watcher):
    """The last update once the watcher is quiet (an editor's save may be several file events)."""
    update = watcher.next()
    while True:
        try:
            update = watcher.next(timeout=1.5)
        except queue.Empty:
            return update


def test_only_saves_that_can_change_a_grade_count():
    from grader.watch import student_files_filter
    wanted = student_files_filter()
    for path in ('engine.py', 'quiz.toml', 'helpers.py'):
        assert wanted(None, f'/w/exercises/{path}'), path
    for path in ('notes.txt', '.backups/engine-20260101-120000.py', '__pycache__/engine.cpython-311.pyc',
                 '.engine.py.swp', 'engine.py~', '.partial-engine.py.k2x9a1'):
        assert not wanted(None, f'/w/exercises/{path}'), path


def test_screen_says_why_it_cannot_grade():
    from grader.watch import WatchUpdate
    text = screen(WatchUpdate(None, ['engine.py'], error='gone is not a folder of exercises'), Path('gone'), False)
    assert 'Could not grade: gone is not a folder of exercises' in text and 'Waiting for the next save' in text


def test_grade_watch_as_a_program(tmp_path):
    """The real command in a subprocess: a save shows the new result; Ctrl-C quits with no traceback."""
    folder = make_submission(tmp_path, BROKEN)
    proc = subprocess.Popen([sys.executable, '-m', 'grader', 'watch', '--submission', str(folder)], **INTERRUPTIBLE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            env={**os.environ, 'PYTHONPATH': str(ROOT)})
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put((time.monotonic(), line)) for line in proc.stdout], daemon=True).start()
    try:
        _read_until(lines, 'Likely mistake: the one-sided step is h wide')
        _read_until(lines, 'slope    value')  # the last line of that screen
        time.sleep(0.3)
        source = folder / 'derivatives.py'
        saved = time.monotonic()
        source.write_text(source.read_text().replace('(f(x + h) - f(x)) / (2 * h)', ONE_SIDED))
        seen = _read_until(lines, '✓ derivatives passes now!')
        assert seen - saved < 10, f'{seen - saved:.2f} s from save to result'
        _read_until(lines, 'Total:')
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
        err = proc.stderr.read()
        time.sleep(0.2)
        out = ''.join(line for _, line in iter(lambda: lines.get_nowait() if not lines.empty() else None, None))
    finally:
        proc.kill()
    assert proc.returncode == 0 and 'Stopped watching.' in out, (out, err)
    assert 'Traceback' not in err and '\x1b[' not in out, err


def _read_until(lines: queue.Queue, text: str, timeout: float = 30) -> float:
    """The time the first line containing text arrived."""
    end = time.monotonic() + timeout
    while True:
        at, line = lines.get(timeout=max(0.1, end - time.monotonic()))
        if text in line:
            return at


def test_ctrl_c_while_grading_quits_cleanly(tmp_path):
    """pytest swallows Ctrl-C during a run; the watcher must still stop, and leave no child behind."""
    folder = make_submission(tmp_path)
    source = folder / 'derivatives.py'
    source.write_text(source.read_text() + '\nwhile True:\n    pass\n')  # the import hangs until the check's timeout
    proc = subprocess.Popen([sys.executable, '-m', 'grader', 'watch', '--submission', str(folder)], **INTERRUPTIBLE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            env={**os.environ, 'PYTHONPATH': str(ROOT)})
    try:
        child = _wait_for_child(proc.pid)
        time.sleep(1.0)  # past pytest's import: the check is waiting for the hung import
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0 and out.strip().endswith('Stopped watching.'), (out, err)
    assert 'Traceback' not in err and 'Total:' not in out, 'no report from an interrupted run'
    assert not Path(f'/proc/{child}').exists() or 'zombie' in Path(f'/proc/{child}/status').read_text()


def _wait_for_child(pid: int, timeout: float = 20) -> int:
    """The pid of the first child process of pid (the sandbox), once it exists."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for task in Path(f'/proc/{pid}/task').iterdir():
            children = (task / 'children').read_text().split()
            if children:
                return int(children[0])
        time.sleep(0.05)
    raise AssertionError('grade watch started no sandbox')
