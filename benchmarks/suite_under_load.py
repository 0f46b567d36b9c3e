"""The test suite under load: does it stay green when the CPU and the disk are busy with other work?

Usage:  python benchmarks/suite_under_load.py [--runs 5] [--hogs N] [--writers M] [-- PYTEST ARGS]

Starts N processes that spin on the CPU (default: one per core, as `stress --cpu N` would) and M
that keep writing and syncing a file (default 0, as `stress --hdd M` would), then runs
`python -m pytest -q` RUNS times in a row while they work, and prints each run's outcome and time.
As a baseline measured in the same run (shared machines are noisy), the suite runs once first with
no load, and each loaded run's time is quoted against it. It exits 1 if any run failed.

This is how the suite is shown not to be flaky: a test that depends on timing fails here first.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def spin() -> None:
    while True:
        pass


def write(folder: str) -> None:
    """Write 256 MB, sync it to disk, remove it, again and again: the page cache and the disk stay busy."""
    block = bytes(1 << 20)
    path = Path(folder) / f'writer-{os.getpid()}'
    while True:
        with open(path, 'wb') as f:
            for _ in range(256):
                f.write(block)
            os.fsync(f.fileno())
        path.unlink()


def suite(extra: list[str]) -> tuple[bool, float, str]:
    """One whole `pytest -q` run in a process of its own: passed?, seconds, its summary line."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:randomly', *extra], cwd=ROOT,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    summary = next((line.strip('= ') for line in reversed(done.stdout.splitlines())
                    if re.search(r'\d+ (passed|failed|error)', line)), f'pytest exited {done.returncode}')
    if done.returncode != 0:
        failures = [line for line in done.stdout.splitlines() if line.startswith(('FAILED', 'ERROR'))]
        summary += ''.join(f'\n    {line}' for line in failures)
    return done.returncode == 0, seconds, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=5, help='loaded runs in a row (default 5)')
    parser.add_argument('--hogs', type=int, default=os.cpu_count() or 2, help='spinning processes (default: one per core)')
    parser.add_argument('--writers', type=int, default=0, help='processes writing to disk (default 0)')
    parser.add_argument('pytest_args', nargs='*', help='passed on to pytest, after --')
    args = parser.parse_args()
    print(f'Python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.hogs} spinning processes, '
          f'{args.writers} writing to disk', flush=True)
    ok, baseline, summary = suite(args.pytest_args)
    print(f'baseline, no load     {baseline:7.1f} s          {summary}', flush=True)
    scratch = tempfile.TemporaryDirectory(prefix='suite-under-load-')
    hogs = [multiprocessing.Process(target=spin, daemon=True) for _ in range(args.hogs)]
    hogs += [multiprocessing.Process(target=write, args=(scratch.name,), daemon=True) for _ in range(args.writers)]
    for hog in hogs:
        hog.start()
    green = ok
    try:
        for run in range(1, args.runs + 1):
            passed, seconds, summary = suite(args.pytest_args)
            green &= passed
            print(f'run {run} under load   {seconds:7.1f} s  {seconds / baseline:4.2f}x  {summary}', flush=True)
    finally:
        for hog in hogs:
            hog.kill()
            hog.join()
        scratch.cleanup()
    print('every run passed' if green else 'SOME RUNS FAILED')
    sys.exit(0 if green else 1)


if __name__ == '__main__':
    main()
