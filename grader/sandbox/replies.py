"""The shape of each probe's result, so a reply forged by student code is refused before a check reads it.

A shape is ANY, a type, a list [shape] of items, a dict {key: shape} (a key ending in '?' may be
missing; other keys are allowed), or a tuple of alternatives.
"""
from __future__ import annotations

ANY = object()  # numbers are compared with the reference later; anything else just fails to match
NODE = {'data': ANY, 'grad': ANY, 'op': str, 'prev': [int]}
WALKED = {'label': str, **NODE}
GRID = [[[ANY]]]  # layers of neurons of parameters

SHAPES: dict[str, object] = {
    'import': type(None),
    'locate': [(str, int)],
    'call': ANY,
    'expression': {'nodes': [({'object': ANY}, NODE)], 'traces': [[int]], 'graph?': [WALKED]},
    'graph': {'root?': ANY, 'nodes': [WALKED]},
    'module': {'shape': [[int]], 'parameters': [(type(None), [int])], 'outputs': [{'kind': str, 'values': [ANY]}],
               'grads': GRID, 'after_zero_grad?': GRID},
    'training': {'shape': [[int]], 'losses': ANY, 'params': GRID},
    'loss': {'values': [ANY], 'grads?': [ANY]},
}


def conforms(value: object, shape: object) -> bool:
    """Whether a JSON value has the given shape."""
    if shape is ANY:
        return True
    if isinstance(shape, tuple):
        return any(conforms(value, s) for s in shape)
    if isinstance(shape, list):
        return isinstance(value, list) and all(conforms(v, shape[0]) for v in value)
    if isinstance(shape, dict):
        return isinstance(value, dict) and all(
            (key.rstrip('?') in value and conforms(value[key.rstrip('?')], s)) or (key.endswith('?') and key[:-1] not in value)
            for key, s in shape.items())
    return type(value) is shape
