"""Grading latency: how long `grade` takes, end to end, as a student runs it.

Usage:  python benchmarks/grading_latency.py [--runs 7]

The cost of isolation is measured side by side in the same run: the full solutions graded at each
isolation level this machine has, round by round (one run of each level per round, so a change in
the machine's load falls on all of them alike), quoted against level none, which runs the child
with no kernel isolation at all.

Times whole `grade` processes (median of --runs) for the full solutions and for one exercise, and,
as a baseline measured in the same run, a bare interpreter that only imports the grader's
dependencies (click, pytest, hypothesis): the floor that no grading run can go below. Figures are
quoted as seconds and as a ratio to that baseline, because shared machines are noisy.

Where the time goes (cProfile of grade()): about a third is importing pytest and hypothesis, then
pytest's per-test machinery, then the checks themselves, of which Hypothesis's random graphs are
the largest part; the child process starts in about 0.05 s while the parent is still importing.
Profiling led to two fixes: the grader builds its own test reports instead of letting pytest
format tracebacks (grading the stubs got 4x faster), and pytest's unraisable-exception plugin,
whose repeated gc.collect() cost about 0.2 s a run, is off.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRADE = [sys.executable, '-c', 'from grader.cli import main; main()']


def timed(cmd: list[str], runs: int, expect: int = 0) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        times.append(time.perf_counter() - start)
        if code != expect:
            raise SystemExit(f'{cmd} exited {code}, expected {expect}')
    return statistics.median(times)


def isolation_costs(runs: int) -> list[tuple[str, float]]:
    """Median seconds of the full solutions at each available level, measured round by round."""
    from grader.sandbox.isolation import why_not
    levels = [level for level in ('none', 'namespaces', 'uid') if not why_not(level)]
    times: dict[str, list[float]] = {level: [] for level in levels}
    for _ in range(runs):
        for level in levels:
            times[level].append(timed(GRADE + ['check', '--submission', 'solutions', '--isolation', level], 1))
    return [(level, statistics.median(times[level])) for level in levels]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=7)
    runs = parser.parse_args().runs
    baseline = timed([sys.executable, '-c', 'import click, pytest, hypothesis'], runs)
    rows = [
        ('imports only (baseline)', baseline),
        ('grade check --submission solutions', timed(GRADE + ['check', '--submission', 'solutions'], runs)),
        ('grade check forward_ops --submission solutions', timed(GRADE + ['check', 'forward_ops', '--submission', 'solutions'], runs)),
        ('grade check backward --submission solutions', timed(GRADE + ['check', 'backward', '--submission', 'solutions'], runs)),
        ('grade (untouched stubs)', timed(GRADE + ['check', '--submission', 'exercises'], runs, expect=1)),
    ]
    print(f'median of {runs} runs, Python {sys.version.split()[0]}')
    for name, seconds in rows:
        print(f'{name:<50} {seconds:6.2f} s   {seconds / baseline:5.1f}x baseline')
    costs = isolation_costs(runs)
    unisolated = dict(costs)['none']
    print('\nthe full solutions at each isolation level, round by round:')
    for level, seconds in costs:
        print(f'{"--isolation " + level:<50} {seconds:6.2f} s   {seconds / unisolated:5.2f}x level none')


if __name__ == '__main__':
    main()
