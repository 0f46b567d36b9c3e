"""Finding the lecture's named nodes in a graph the student's own function built, such as build_L.

Labels are optional: a node is found by its label if it has one, else by where it sits. A leaf is
found by its data (the exercise gives every leaf's number), the root by being the root, and any
other node as the one whose children are the nodes it is computed from.
"""
from __future__ import annotations

from grader.checking.compare import close
from grader.checking.recipe import Graph, children


def find(graph: Graph, nodes: list[dict], wanted: tuple[str, ...]) -> dict[str, int]:
    """Recipe name -> index in the student's walked nodes (root first), for every wanted name that is found."""
    labels: dict[str, int] = {}
    for i, node in enumerate(nodes):
        labels.setdefault(node['label'], i)
    steps = [s for s in graph.steps if s[0] in ('leaf', 'bin', 'un', 'sum')]
    found: dict[int, int] = {}  # recipe node -> student node
    for r, step in enumerate(steps):
        if graph.names[r] in labels:
            found[r] = labels[graph.names[r]]
    root = _last_built(graph)
    if root not in found and nodes:
        found[root] = 0
    for _ in range(2):  # a second pass settles the leaves whose data repeats, by the siblings found in the first
        for r, step in enumerate(steps):
            if r not in found and step[0] == 'leaf':
                found.update(_leaf(r, step, steps, nodes, found))
    for r, step in enumerate(steps):
        if r not in found and step[0] != 'leaf' and all(c in found for c in children(step)):
            inputs = {found[c] for c in children(step)}
            match = [i for i, n in enumerate(nodes) if inputs <= set(n['prev'])]
            if len(match) == 1:
                found[r] = match[0]
    return {graph.names[r]: i for r, i in found.items() if graph.names[r] in wanted}


def _last_built(graph: Graph) -> int:
    return sum(s[0] in ('leaf', 'bin', 'un', 'sum') for s in graph.steps) - 1


def _leaf(r: int, step: list, steps: list[list], nodes: list[dict], found: dict[int, int]) -> dict[int, int]:
    """The student's leaf holding this leaf's data; among several, the one beside the same sibling."""
    taken = set(found.values())
    candidates = [i for i, n in enumerate(nodes) if not n['prev'] and i not in taken and close(step[1], n['data'])]
    if len(candidates) > 1:
        siblings = {found[c] for s in steps if r in children(s) for c in children(s) if c != r and c in found}
        candidates = [i for i in candidates if any({i} | siblings <= set(n['prev']) for n in nodes)] if siblings else []
    return {r: candidates[0]} if len(candidates) == 1 else {}
