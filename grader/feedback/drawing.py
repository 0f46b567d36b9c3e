"""Draw a reported computation graph the way the micrograd lecture does, with Graphviz."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import graphviz

from grader.atomic import write_atomic
from grader.checking.compare import close, is_number

FORMATS = {'.svg': 'svg', '.png': 'png', '.dot': 'dot'}
MAX_NODES = 500  # `dot` takes minutes on thousands of records, and such a picture is unreadable anyway
WRONG, RIGHT = '#ffd6d6', '#d6f5d6'
LEGEND = 'green: equal to the reference; red: differs, with the expected value in brackets'
INSTALL = ('Install Graphviz to get a picture: `apt-get install graphviz` (Debian/Ubuntu), '
           '`brew install graphviz` (macOS), or see https://graphviz.org/download/.')


@dataclass
class Drawing:
    """What draw() wrote, and anything the user should be told about it."""

    path: Path  # the file actually written
    format: str  # 'svg', 'png' or 'dot'
    message: str  # '' on success as asked, or a message for the user (e.g. Graphviz missing)


def _shown(x: object) -> str:
    """A value as text: numbers to four decimals, anything else by what it is."""
    if is_number(x):
        try:
            return f'{x:.4f}'
        except OverflowError:  # an int too large for a float
            return f'{str(x)[:20]}...'
    if isinstance(x, dict) and '__object__' in x:
        note = f": {str(x['note'])[:40]}" if 'note' in x else ''
        return f"{str(x['__object__'])[:40]} (not a number{note})"
    return f'{repr(x)[:40]} (not a number)'


def _escape(text: str, record: bool = True) -> str:
    """Text made safe inside a quoted DOT label (and, if record, inside a record field)."""
    text = ''.join(' ' if ord(c) < 32 or ord(c) == 127 else c for c in text)
    text = text.replace('\\', '\\\\').replace('"', '\\"')
    if record:
        for c in '{}|<>':
            text = text.replace(c, '\\' + c)
    return text


def _record(node: dict) -> tuple[str, str | None]:
    """The record label of one Value and its fill colour (None when there is nothing to compare)."""
    label = node.get('label', '')
    fields = [_escape((label if isinstance(label, str) else repr(label))[:120])]
    expected = node.get('expected')
    fill = None
    for name in ('data', 'grad'):
        value = node.get(name, {'__object__': 'missing'})
        text = f'{name} {_shown(value)}'
        if isinstance(expected, dict) and name in expected:
            fill = fill or RIGHT
            if not close(expected[name], value):
                fill = WRONG
                text += f' (expected {_shown(expected[name])})'
        fields.append(_escape(text))
    return '{ ' + ' | '.join(fields) + ' }', fill


def _children(node: dict, count: int) -> list[int]:
    """The node's valid child indexes; anything else in 'prev' is ignored."""
    prev = node.get('prev')
    if not isinstance(prev, list):
        return []
    return [i for i in prev if type(i) is int and 0 <= i < count]


def to_dot(nodes: list[dict], title: str = '') -> str:
    """The DOT source for a graph reported as nodes, root first, 'prev' indexing children."""
    nodes = nodes if isinstance(nodes, list) else []
    shown = [n if isinstance(n, dict) else {} for n in nodes[:MAX_NODES]]
    dot = graphviz.Digraph(graph_attr={'rankdir': 'LR'})
    if len(nodes) > MAX_NODES:
        title = f'{title} (only the {MAX_NODES} nodes nearest the result of {len(nodes)})'.strip()
    lines = [_escape(title, record=False)] if title else []
    if any(isinstance(n.get('expected'), dict) for n in shown):
        lines.append(LEGEND)
    if lines:
        # '\\n' is DOT's own line break inside a label; the text itself has none left after escaping.
        dot.attr(label=graphviz.nohtml('\\n'.join(lines)), labelloc='t', fontsize='16')
    for i, node in enumerate(shown):
        label, fill = _record(node)
        style = {'style': 'filled', 'fillcolor': fill} if fill else {}
        dot.node(f'n{i}', label=label, shape='record', **style)
        op = node.get('op', '')
        op = op if isinstance(op, str) else repr(op)
        target = f'n{i}'
        if op:
            # nohtml: an op such as '<lambda>' would otherwise be read as an HTML label
            dot.node(f'n{i}op', label=graphviz.nohtml(_escape(op[:40], record=False)),
                     shape='ellipse', fontsize='12', width='0.3', height='0.3', margin='0.02')
            dot.edge(f'n{i}op', f'n{i}')
            target = f'n{i}op'
        for child in _children(node, len(shown)):
            dot.edge(f'n{child}', target)
    return dot.source


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)


def draw(nodes: list[dict], out: Path, title: str = '') -> Drawing:
    """Draw the graph to out as SVG, PNG or DOT source, by out's extension."""
    out = Path(out)
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise ValueError(f'cannot draw to {out}: the file name must end in .svg, .png or .dot')
    source = to_dot(nodes, title)
    if fmt != 'dot':
        try:
            if shutil.which('dot') is not None:
                _write(out, graphviz.Source(source).pipe(format=fmt))
                return Drawing(out, fmt, '')
        except graphviz.ExecutableNotFound:
            pass
        out = out.with_suffix('.dot')
        _write(out, source.encode())
        return Drawing(out, 'dot', f"Graphviz's `dot` program was not found, so the graph was written "
                                   f'as DOT source to {out} instead. {INSTALL}')
    _write(out, source.encode())
    return Drawing(out, 'dot', '')
