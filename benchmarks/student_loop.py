"""The student loop, side by side in one run: a save in `grade watch`, an endless loop, an in-notebook check().

Usage:  python benchmarks/student_loop.py [--runs 7] [--check-seconds 5]

1. Save -> first result in `grade watch` for the exercise in focus: a real `grade watch` on a pty;
   each save swaps between two wrong versions of that exercise, and the time runs from the write to
   the first screen that shows that save's result for it. Baseline: a one-shot `grade check` of the
   same exercise, the way to get that result without a watch.
2. An endless loop in backward() -> the whole `grade`: one `grade check` of every exercise, next to
   the same command on the correct solutions (the baseline) and the check limit.
3. An in-notebook `check("forward_ops")`: `from grader.notebook import check`, timed in a warm
   interpreter, next to `grade check forward_ops --notebook` (baseline). HOOK: if grader.notebook has
   no check() yet, this row says so and is not measured.

Figures are medians, quoted as seconds and as ratios to the baseline of the same run.
"""
from __future__ import annotations

import argparse
import fcntl
import os
import pty
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRADE = [sys.executable, '-m', 'grader']
ENV = {**os.environ, 'PYTHONPATH': str(ROOT), 'NO_COLOR': '1'}
CLEAR = '\x1b[H\x1b[2J\x1b[3J'
FOCUS = {  # exercise -> (file, the correct line, two wrong versions of it)
    'forward_ops': ('engine.py', "out = Value(self.data + other.data, (self, other), '+')",
                    ("out = Value(self.data - other.data, (self, other), '+')",
                     "out = Value(self.data + 2 * other.data, (self, other), '+')")),
    'backward': ('engine.py', 'for v in reversed(topo):', ('for v in topo:', 'for v in topo[::-1][1:]:')),
}
LOOP = ('engine.py', '        topo = []\n', '        topo = []\n        while True:\n            pass\n')


def copy_solutions(where: Path, name: str, old: str = '', new: str = '', file: str = 'engine.py') -> Path:
    folder = where / name
    shutil.copytree(ROOT / 'solutions', folder)
    if old:
        text = (folder / file).read_text()
        if text.count(old) != 1:
            raise SystemExit(f'{old!r} is not once in solutions/{file}: update the benchmark')
        (folder / file).write_text(text.replace(old, new))
    return folder


def timed(cmd: list[str], expect: int | None = None) -> float:
    start = time.perf_counter()
    code = subprocess.run(cmd, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    seconds = time.perf_counter() - start
    if expect is not None and code != expect:
        raise SystemExit(f'{" ".join(cmd)} exited {code}, expected {expect}')
    return seconds


class Watch:
    """`grade watch` on a pty; screens() are the texts drawn after each clear."""

    def __init__(self, folder: Path):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 60, 120, 0, 0))
        self.proc = subprocess.Popen(GRADE + ['watch', '--submission', str(folder)], stdin=slave, stdout=slave,
                                     stderr=slave, env=ENV, cwd=folder.parent, start_new_session=True)
        os.close(slave)
        self.master, self.text, self.lock = master, '', threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self.lock:
                self.text += chunk.decode('utf-8', 'replace')

    def wait(self, predicate, after: int = 0, timeout: float = 120) -> tuple[int, float]:
        """(index, time) of the first complete screen from `after` on that satisfies predicate."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                screens = self.text.split(CLEAR)
            for i in range(max(after, 1), len(screens)):
                if screens[i].endswith('\n') and predicate(screens[i]):
                    return i, time.perf_counter()
            time.sleep(0.002)
        raise SystemExit('grade watch never showed the expected screen')

    def count(self) -> int:
        with self.lock:
            return len(self.text.split(CLEAR))

    def close(self) -> None:
        os.killpg(self.proc.pid, signal.SIGINT)
        self.proc.wait(timeout=30)


def save_to_first_result(where: Path, exercise: str, runs: int) -> float:
    file, right, wrongs = FOCUS[exercise]
    folder = copy_solutions(where, f'watch-{exercise}', right, wrongs[0], file)
    watch = Watch(folder)
    try:
        watch.wait(lambda s: 'graded in' in s and f'── {exercise}:' in s)
        times = []
        for i in range(runs + 1):
            time.sleep(0.5)
            text = (folder / file).read_text()
            after = watch.count()
            start = time.perf_counter()
            (folder / file).write_text(text.replace(wrongs[i % 2], wrongs[(i + 1) % 2]))
            _, seen = watch.wait(lambda s: 'saved' in s and 'graded in' in s and f'── {exercise}:' in s, after)
            if i:  # the first save warms the page cache and the grading process's own caches
                times.append(seen - start)
            watch.wait(lambda s: 'saved' in s and ': graded in' in s, after)  # let the full run finish
    finally:
        watch.close()
    return statistics.median(times)


def notebook_check_row(where: Path, runs: int) -> tuple[float | None, float]:
    """(in-notebook check() seconds or None if there is no check() yet, `grade check --notebook` seconds)."""
    from grader.notebook import build_notebook

    notebook = where / 'lab.ipynb'
    build_notebook(ROOT / 'solutions', notebook)
    baseline = statistics.median(timed(GRADE + ['check', 'forward_ops', '--notebook', str(notebook)], 0)
                                 for _ in range(runs))
    probe = subprocess.run([sys.executable, '-c', 'from grader.notebook import check'], env=ENV, cwd=where,
                           capture_output=True)
    if probe.returncode != 0:
        return None, baseline  # HOOK: grader.notebook.check is not there yet
    script = ('import time, statistics, contextlib, io\nfrom grader.notebook import check\n'
              f'check("forward_ops", notebook={str(notebook)!r})\ntimes = []\n'
              f'for _ in range({runs}):\n    start = time.perf_counter()\n'
              f'    with contextlib.redirect_stdout(io.StringIO()):\n        check("forward_ops", notebook={str(notebook)!r})\n'
              '    times.append(time.perf_counter() - start)\nprint(statistics.median(times))\n')
    done = subprocess.run([sys.executable, '-c', script], env=ENV, cwd=where, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f'check() failed:\n{done.stderr}')
    return float(done.stdout.split()[-1]), baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=7)
    parser.add_argument('--check-seconds', type=float, default=5.0)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix='student-loop-') as tmp:
        where = Path(tmp)
        for exercise in FOCUS:
            one_shot = copy_solutions(where, f'once-{exercise}', FOCUS[exercise][1], FOCUS[exercise][2][0])
            baseline = statistics.median(timed(GRADE + ['check', exercise, '--submission', str(one_shot)], 1)
                                         for _ in range(args.runs))
            rows.append((f'save -> first result in grade watch ({exercise})', save_to_first_result(
                where, exercise, args.runs), f'grade check {exercise}', baseline))
        looping = copy_solutions(where, 'loop', LOOP[1], LOOP[2])
        limit = ['--check-seconds', f'{args.check_seconds:g}']
        loop_runs = max(1, args.runs // 3)
        baseline = statistics.median(timed(GRADE + ['check', '--submission', str(ROOT / 'solutions')] + limit, 0)
                                     for _ in range(loop_runs))
        seconds = statistics.median(timed(GRADE + ['check', '--submission', str(looping)] + limit, 1)
                                    for _ in range(loop_runs))
        rows.append(('endless loop in backward() -> whole grade', seconds, 'grade on the solutions', baseline))
        in_notebook, baseline = notebook_check_row(where, args.runs)
        rows.append(('in-notebook check("forward_ops")', in_notebook, 'grade check forward_ops --notebook', baseline))
    print(f'median of {args.runs} runs (the loop: {loop_runs}), check limit {args.check_seconds:g} s, '
          f'Python {sys.version.split()[0]}')
    for name, seconds, base_name, base in rows:
        shown = 'not measured: grader.notebook has no check() yet' if seconds is None else \
            f'{seconds:6.2f} s  {seconds / base:5.2f}x'
        print(f'{name:<48} {shown}   baseline {base_name}: {base:.2f} s')
    print(f'the endless loop costs the check limit plus {rows[2][1] - args.check_seconds:.2f} s')


if __name__ == '__main__':
    main()
