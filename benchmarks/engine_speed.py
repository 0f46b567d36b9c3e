"""Reference engine speed: micrograd_ref against micrograd 0.1.0 from PyPI, on the same work.

Usage:  pip install -e '.[bench]'  &&  python benchmarks/engine_speed.py [--rounds 7]

The work is written once against the Value API (`+`, `*`, `**`, `relu`, `backward`): a ReLU MLP
(3 -> 16 -> 16 -> 1) whose weights are plain floats, evaluated on 32 random points, a squared-error
loss, and one backward pass. Each round runs it with each engine's own `Value`, alternating which
engine goes first so that neither always gets the warmer machine, and every round's loss and
gradients from the two engines must agree to 1e-9, so the speed is not bought with wrong numbers.
Every timed run starts from a clean heap and includes freeing its own graph (a final
`gc.collect()`), as each step of a training loop must. Figures are medians over the rounds,
quoted as a ratio.

It also backpropagates through a chain 100,000 ops deep with each engine at the default recursion
limit: micrograd's recursive topological sort fails near 1,000.

Where the time goes, from pyinstrument over three rounds of the work with each engine
(`pyinstrument -r text` on a script that calls `work()` then `gc.collect()`):
- micrograd 0.1.0: 55% in the cyclic garbage collector, 27% creating Values and their closures
  in `+` and `*`, 12% in `backward()`, most of that in the recursive `build_topo`. Each `_backward`
  closure refers to the node that owns it, so every node is in a reference cycle and only the
  collector can free the graph; it also runs again and again while the graph grows.
- micrograd_ref: 50% in `backward()` (the topological sort and the chain-rule loop), 33% in `+`
  and `*`, 4% in the collector. Its graph has no cycles (a node holds its children and plain
  floats), so reference counting frees it at once.
The rest comes from ordinary choices: `__slots__`, tuple children, local derivatives recorded as
floats in the forward pass, an iterative topological sort, and backward as one chain-rule loop
with no call per node. The second table, with automatic collection off during the work, shows
that part alone.
"""
from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from micrograd_ref.engine import Value as RefValue  # noqa: E402

SIZES = (3, 16, 16, 1)
POINTS = 32
DEPTH = 100_000


def make_problem(seed: int) -> tuple[list[list[list[float]]], list[list[float]], list[float]]:
    """Random weights (one row per neuron, bias last), inputs and targets, as plain floats."""
    rng = random.Random(seed)
    layers = [[[rng.uniform(-1, 1) for _ in range(n_in + 1)] for _ in range(n_out)]
              for n_in, n_out in zip(SIZES, SIZES[1:])]
    xs = [[rng.uniform(-2, 2) for _ in range(SIZES[0])] for _ in range(POINTS)]
    ys = [rng.uniform(-1, 1) for _ in range(POINTS)]
    return layers, xs, ys


def work(Value, problem) -> tuple[float, list[float]]:
    """Forward and backward through the ReLU MLP with this engine's Value; returns loss and grads."""
    layers, xs, ys = problem
    params = [[[Value(w) for w in row] for row in layer] for layer in layers]
    loss = Value(0.0)
    for x, y in zip(xs, ys):
        acts = [Value(v) for v in x]
        for depth, layer in enumerate(params):
            last = depth == len(params) - 1
            outs = []
            for row in layer:
                act = row[-1]
                for w, a in zip(row, acts):
                    act = act + w * a
                outs.append(act if last else act.relu())
            acts = outs
        loss = loss + (acts[0] - y) ** 2
    loss.backward()
    return loss.data, [w.grad for layer in params for row in layer for w in row]


def timed(Value, problem, gc_on: bool) -> tuple[float, tuple[float, list[float]]]:
    """Seconds to run the work and free its graph, starting from a clean heap."""
    gc.collect()
    if not gc_on:
        gc.disable()
    try:
        start = time.perf_counter()
        out = work(Value, problem)
        gc.collect()  # micrograd's closures make reference cycles: only the collector frees them
        return time.perf_counter() - start, out
    finally:
        gc.enable()


def deep_chain(Value) -> str:
    """Backpropagate through DEPTH additions; 'ok' or the error's name."""
    x = Value(1.0)
    y = x
    for _ in range(DEPTH):
        y = y + 1.0
    try:
        y.backward()
    except RecursionError:
        return f'RecursionError (limit {sys.getrecursionlimit()})'
    return 'ok' if x.grad == 1.0 else f'wrong grad {x.grad}'


def agree(a: tuple[float, list[float]], b: tuple[float, list[float]]) -> bool:
    """Loss and every gradient equal to 1e-9 (relative to the size of the number)."""
    pairs = [(a[0], b[0])] + list(zip(a[1], b[1]))
    return len(a[1]) == len(b[1]) and all(abs(x - y) <= 1e-9 * max(1.0, abs(x)) for x, y in pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=7)
    args = parser.parse_args()
    try:
        from micrograd.engine import Value as PypiValue
    except ImportError:
        sys.exit("micrograd is not installed: pip install -e '.[bench]'")

    engines = {'micrograd 0.1.0': PypiValue, 'micrograd_ref': RefValue}
    times: dict[tuple[str, bool], list[float]] = {(name, gc_on): [] for name in engines for gc_on in (True, False)}
    for rnd in range(args.rounds):
        problem = make_problem(seed=rnd)
        order = list(engines) if rnd % 2 == 0 else list(reversed(engines))
        outputs = {}
        for gc_on in (True, False):
            for name in order:
                elapsed, outputs[name] = timed(engines[name], problem, gc_on)
                times[name, gc_on].append(elapsed)
            if not agree(*outputs.values()):
                sys.exit(f'round {rnd}: the engines disagree beyond 1e-9; the timing means nothing')

    print(f'MLP {"-".join(map(str, SIZES))}, {POINTS} points, forward + backward; '
          f'median of {args.rounds} rounds; outputs agree to 1e-9')
    for gc_on, what in ((True, 'as run, freeing the graph included'), (False, 'automatic garbage collection off, one collection at the end')):
        base = statistics.median(times['micrograd 0.1.0', gc_on])
        print(f' {what}:')
        for name in engines:
            median = statistics.median(times[name, gc_on])
            print(f'  {name:16} {median * 1000:8.1f} ms   {base / median:4.1f}x micrograd 0.1.0')
    for name, Value in engines.items():
        print(f'  chain of {DEPTH:,} ops, {name}: {deep_chain(Value)}')


if __name__ == '__main__':
    main()
