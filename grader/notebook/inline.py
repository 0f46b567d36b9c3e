"""Draw a Value's graph inside the student's own notebook, where their engine already runs."""
from __future__ import annotations

import html
import shutil
from dataclasses import dataclass

import graphviz

from grader.feedback.drawing import INSTALL, to_dot
from grader.sandbox.probes import walk


@dataclass
class InlineGraph:
    """A drawn graph: SVG when Graphviz's `dot` is installed, else its DOT source and how to install it."""

    source: str
    svg: str = ''
    message: str = ''

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        if self.svg:
            return {'image/svg+xml': self.svg, 'text/plain': 'a graph drawn with Graphviz'}
        return {'text/html': f'<p>{html.escape(self.message)}</p><pre>{html.escape(self.source)}</pre>',
                'text/plain': repr(self)}

    def __repr__(self) -> str:
        return f'{self.message}\n{self.source}' if self.message else self.source


def draw(root: object, title: str = '') -> InlineGraph:
    """Draw every Value that root was computed from, with data and grad, as the lecture's draw_dot does."""
    if not hasattr(root, '_prev'):
        raise TypeError(f'draw() needs a Value, not {type(root).__name__}: did your function return its result?')
    source = to_dot(walk(root), title)
    if shutil.which('dot') is None:
        return InlineGraph(source, message=f"Graphviz's `dot` program was not found, so here is the graph's "
                                           f'DOT source instead. {INSTALL}')
    try:
        return InlineGraph(source, svg=graphviz.Source(source).pipe(format='svg').decode('utf-8'))
    except graphviz.ExecutableNotFound:
        return InlineGraph(source, message=f"Graphviz's `dot` program could not run. {INSTALL}")


def draw_dot(root: object, title: str = '') -> InlineGraph:
    """The lecture's name for draw(): the graph of every Value that root was computed from."""
    return draw(root, title)
