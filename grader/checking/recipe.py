"""Graph: a recipe of Value ops that both the student's engine and the reference replay."""
from __future__ import annotations

import string

SYMBOL = {'add': '+', 'mul': '*', 'sub': '-', 'truediv': '/', 'pow': '**'}
Operand = int | float


class Graph:
    """Builds the steps of an `expression` probe, and the program text shown to the student."""

    def __init__(self) -> None:
        self.steps: list[list] = []
        self.names: list[str] = []
        self.lines: list[str] = []

    def _node(self, step: list, text: str, name: str | None) -> int:
        name = name or self._fresh_name()
        self.steps.append(step)
        self.names.append(name)
        self.lines.append(f'{name} = {text}')
        return len(self.names) - 1

    def _fresh_name(self) -> str:
        used = set(self.names)
        return next(c for c in string.ascii_lowercase + string.ascii_uppercase if c not in used)

    def leaf(self, data: float, name: str | None = None) -> int:
        name = name or self._fresh_name()
        return self._node(['leaf', data, name], f'Value({data!r})', name)

    def _operand(self, x: Operand | Const) -> tuple[object, str]:
        if isinstance(x, Const):
            return {'n': x.value}, repr(x.value)
        return x, self.names[x]

    def binary(self, op: str, a: int | Const, b: int | Const, name: str | None = None) -> int:
        (sa, ta), (sb, tb) = self._operand(a), self._operand(b)
        return self._node(['bin', op, sa, sb], f'{ta} {SYMBOL[op]} {tb}', name)

    def add(self, a, b, name=None):
        return self.binary('add', a, b, name)

    def mul(self, a, b, name=None):
        return self.binary('mul', a, b, name)

    def pow(self, a: int, n: float, name: str | None = None) -> int:
        return self.binary('pow', a, Const(n), name)

    def unary(self, op: str, a: int, name: str | None = None) -> int:
        text = f'-{self.names[a]}' if op == 'neg' else f'{self.names[a]}.{op}()'
        return self._node(['un', op, a], text, name)

    def sum(self, items: list[int], name: str | None = None) -> int:
        return self._node(['sum', items], f"sum([{', '.join(self.names[i] for i in items)}])", name)

    def _action(self, step: list, text: str) -> None:
        self.steps.append(step)
        self.lines.append(text)

    def backward(self, root: int) -> None:
        """The student's own backward()."""
        self._action(['backward', root], f'{self.names[root]}.backward()')

    def drive(self, root: int) -> None:
        """A correct backward pass over the student's _backward closures, so only local rules are tested."""
        self._action(['drive', root], f'{self.names[root]}.backward()   # the grader\'s own backward pass')

    def local(self, node: int, grad: float) -> None:
        """Call one node's _backward with a chosen out.grad."""
        name = self.names[node]
        self._action(['local', node, grad], f'{name}.grad = {grad!r}; {name}._backward()   # only {name}\'s own _backward')

    def set_grad(self, node: int, grad: float, why: str = '') -> None:
        """Give a node a grad before the backward pass; `why` is shown as the line's comment."""
        self._action(['set_grad', node, grad], f'{self.names[node]}.grad = {grad!r}' + (f'   # {why}' if why else ''))

    def program(self, keep: set[int] | None = None) -> str:
        """The program text; with `keep`, only the lines that build those nodes or act on them."""
        lines, node = [], -1
        for line, step in zip(self.lines, self.steps):
            acts = step[0] in ('backward', 'drive', 'local', 'set_grad')
            node += not acts
            if keep is None or (step[1] if acts else node) in keep:
                lines.append(line)
        return '\n'.join(lines)

    def inputs_of(self, nodes: set[int]) -> set[int]:
        """These nodes and every node they are computed from."""
        steps = [s for s in self.steps if s[0] in ('leaf', 'bin', 'un', 'sum')]
        found, stack = set(), list(nodes)
        while stack:
            n = stack.pop()
            if n not in found:
                found.add(n)
                stack.extend(children(steps[n]))
        return found

    def roots(self) -> set[int]:
        """The nodes that a backward pass starts from."""
        return {s[1] for s in self.steps if s[0] in ('backward', 'drive', 'local')}


def children(step: list) -> list[int]:
    """The nodes a node step is computed from."""
    if step[0] in ('bin', 'un'):
        return [x for x in step[2:] if isinstance(x, int)]
    return list(step[1]) if step[0] == 'sum' else []


class Const:
    """A plain number operand, as in v + 2 or 2 * v."""

    def __init__(self, value: float):
        self.value = value
