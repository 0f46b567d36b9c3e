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
        self._action(['local', node, grad], f'{name}.grad = {grad!r}; {name}._backward()')

    def set_grad(self, node: int, grad: float) -> None:
        self._action(['set_grad', node, grad], f'{self.names[node]}.grad = {grad!r}')

    def program(self) -> str:
        return '\n'.join(self.lines)


class Const:
    """A plain number operand, as in v + 2 or 2 * v."""

    def __init__(self, value: float):
        self.value = value
