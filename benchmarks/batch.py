"""Batch grading speed: a class of N correct submissions graded by one `grade batch` process.

Usage:  python benchmarks/batch.py [--n 100] [--jobs 2]

Copies solutions/ N times into a temporary class folder, times one whole `grade batch --jobs J`
process over it, and checks that every row of grades.csv has full marks. As a baseline measured in
the same run (shared machines are noisy), it times one `grade check --submission solutions`
process, the cost of grading a single submission on its own. The target is 1 s per submission or
less for 100 submissions on 2 cores.

With --levels, the same class is graded once at each isolation level this machine has (level none
with --allow-unisolated), one after the other, and each level's time per submission is quoted
against level none's: the cost of kernel isolation, which should stay at or under 1.3x.
"""
from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRADE = [sys.executable, '-c', 'from grader.cli import main; main()']


def timed(cmd: list[str], cwd: Path, expect: int = 0) -> float:
    start = time.perf_counter()
    code = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    seconds = time.perf_counter() - start
    if code != expect:
        raise SystemExit(f'{cmd} exited {code}, expected {expect}')
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--n', type=int, default=100, help='how many submissions (default 100)')
    parser.add_argument('--jobs', type=int, default=2, help='grade batch --jobs (default 2)')
    parser.add_argument('--levels', action='store_true', help='also compare the isolation levels')
    args = parser.parse_args()
    baseline = statistics.median(timed(GRADE + ['check', '--submission', 'solutions'], ROOT) for _ in range(3))
    with tempfile.TemporaryDirectory() as tmp:
        klass = Path(tmp) / 'class'
        for i in range(args.n):
            shutil.copytree(ROOT / 'solutions', klass / f'student{i:03d}', ignore=shutil.ignore_patterns('__pycache__'))
        total = batch(klass, Path(tmp) / 'out', args)
        levels = compare_levels(klass, Path(tmp), args) if args.levels else []
    per = total / args.n
    print(f'Python {sys.version.split()[0]}, {args.n} correct submissions, --jobs {args.jobs}')
    print(f'one `grade check --submission solutions` (baseline, median of 3)  {baseline:6.2f} s')
    print(f'`grade batch`, whole run                                        {total:6.2f} s')
    print(f'`grade batch`, per submission                                   {per:6.2f} s   '
          f'{per / baseline:4.2f}x baseline   target <= 1 s: {"met" if per <= 1 else "NOT met"}')
    unisolated = dict(levels).get('none')
    for level, seconds in levels:
        print(f'`grade batch --isolation {level}`, per submission{"":<{14 - len(level)}}{seconds / args.n:6.2f} s   '
              f'{seconds / unisolated:4.2f}x level none')


def batch(klass: Path, out: Path, args: argparse.Namespace, *extra: str) -> float:
    """Seconds for one whole `grade batch` over the class; every row must have full marks."""
    total = timed(GRADE + ['batch', str(klass), '--out', str(out), '--jobs', str(args.jobs), *extra], ROOT)
    with open(out / 'grades.csv', newline='') as f:
        rows = list(csv.DictReader(f))
    if len(rows) != args.n or any(r['score'] != r['max_score'] for r in rows):
        raise SystemExit('not every copy of the solutions got full marks: the figure would mean nothing')
    return total


def compare_levels(klass: Path, tmp: Path, args: argparse.Namespace) -> list[tuple[str, float]]:
    from grader.sandbox.isolation import why_not
    levels = [level for level in ('none', 'namespaces', 'uid') if not why_not(level)]
    return [(level, batch(klass, tmp / f'out-{level}', args, '--isolation', level, '--allow-unisolated'))
            for level in levels]


if __name__ == '__main__':
    main()
