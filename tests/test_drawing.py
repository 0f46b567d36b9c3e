"""Tests for grader.feedback.drawing: the DOT source, colouring by expectations, and writing files."""
from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest

from grader.feedback import drawing
from grader.feedback.drawing import Drawing, draw, to_dot

NO_DOT = shutil.which('dot') is None

# The lecture's example: a=2, b=-3, c=10, e=a*b, d=e+c, f=-2, L=d*f, after L.backward()
L_GRAPH = [
    {'label': 'L', 'data': -8.0, 'grad': 1.0, 'op': '*', 'prev': [1, 2]},
    {'label': 'd', 'data': 4.0, 'grad': -2.0, 'op': '+', 'prev': [3, 4]},
    {'label': 'f', 'data': -2.0, 'grad': 4.0, 'op': '', 'prev': []},
    {'label': 'e', 'data': -6.0, 'grad': -2.0, 'op': '*', 'prev': [5, 6]},
    {'label': 'c', 'data': 10.0, 'grad': -2.0, 'op': '', 'prev': []},
    {'label': 'a', 'data': 2.0, 'grad': 6.0, 'op': '', 'prev': []},
    {'label': 'b', 'data': -3.0, 'grad': -4.0, 'op': '', 'prev': []},
]


def graph() -> list[dict]:
    return copy.deepcopy(L_GRAPH)


def node_line(source: str, name: str) -> str:
    """The line of the DOT source that declares the node called name."""
    return next(line for line in source.splitlines() if line.strip().startswith(f'{name} ['))


def test_records_ops_and_edges_like_the_lecture():
    source = to_dot(graph())
    assert 'rankdir=LR' in source
    for i, (label, data, grad) in enumerate([('L', '-8.0000', '1.0000'), ('d', '4.0000', '-2.0000'),
                                             ('f', '-2.0000', '4.0000'), ('e', '-6.0000', '-2.0000'),
                                             ('c', '10.0000', '-2.0000'), ('a', '2.0000', '6.0000'),
                                             ('b', '-3.0000', '-4.0000')]):
        line = node_line(source, f'n{i}')
        assert f'{{ {label} | data {data} | grad {grad} }}' in line
        assert 'shape=record' in line
        assert 'filled' not in line  # no expectations, so no colour
    for i, op in [(0, '*'), (1, '+'), (3, '*')]:
        assert f'label="{op}"' in node_line(source, f'n{i}op')
    assert 'n2op' not in source and 'n5op' not in source  # leaves have no op node
    edges = {line.strip() for line in source.splitlines() if '->' in line}
    assert edges == {'n0op -> n0', 'n1 -> n0op', 'n2 -> n0op',
                     'n1op -> n1', 'n3 -> n1op', 'n4 -> n1op',
                     'n3op -> n3', 'n5 -> n3op', 'n6 -> n3op'}


def test_differing_nodes_are_red_and_show_the_expected_value():
    nodes = graph()
    nodes[3]['grad'] = 1.0  # e.grad is wrong
    nodes[3]['expected'] = {'data': -6.0, 'grad': -2.0}
    nodes[5]['expected'] = {'data': 2.0 + 1e-9, 'grad': 6.0}  # within tolerance
    source = to_dot(nodes)
    wrong, right, plain = node_line(source, 'n3'), node_line(source, 'n5'), node_line(source, 'n6')
    assert 'grad 1.0000 (expected -2.0000)' in wrong
    assert 'data -6.0000 |' in wrong  # the matching field shows no expectation
    assert 'fillcolor="#ffd6d6"' in wrong and 'style=filled' in wrong
    assert 'fillcolor="#d6f5d6"' in right and 'expected' not in right
    assert 'filled' not in plain


def test_non_numbers_are_shown_readably_and_never_match():
    nodes = graph()
    nodes[4]['data'] = {'__object__': 'NoneType'}
    nodes[4]['expected'] = {'data': 10.0}
    nodes[5]['grad'] = {'__object__': 'bool', 'note': 'a subclass of a number'}
    nodes[6]['data'] = True
    del nodes[6]['grad']
    source = to_dot(nodes)
    assert 'data NoneType (not a number) (expected 10.0000)' in node_line(source, 'n4')
    assert '#ffd6d6' in node_line(source, 'n4')
    assert 'grad bool (not a number: a subclass of a number)' in node_line(source, 'n5')
    assert 'data True (not a number)' in node_line(source, 'n6')
    assert 'grad missing (not a number)' in node_line(source, 'n6')


def test_special_characters_are_escaped():
    nodes = graph()
    nodes[5]['label'] = 'a{<b|c>}"\\N'
    nodes[3]['op'] = '<lambda>'  # would be an HTML label if passed to Graphviz as it is
    source = to_dot(nodes)
    assert r'{ a\{\<b\|c\>\}\"\\N | data' in node_line(source, 'n5')
    assert 'label="<lambda>"' in node_line(source, 'n3op')


def test_untrusted_structure_does_not_crash():
    nodes = graph() + ['not a node', {'prev': 'nonsense'}, {'label': 7, 'op': 3, 'data': 10**400}]
    nodes[0]['prev'] = [1, 2, -1, 99, 'x', True, 2.0]
    source = to_dot(nodes)
    edges = [line.strip() for line in source.splitlines() if '-> n0op' in line]
    assert edges == ['n1 -> n0op', 'n2 -> n0op']
    assert 'n7 [' in source and 'n8 [' in source and 'data 1000' in node_line(source, 'n9')


def test_dot_output_writes_the_source_and_nothing_else(tmp_path: Path):
    result = draw(graph(), tmp_path / 'L.dot', title='L = d * f')
    assert result == Drawing(tmp_path / 'L.dot', 'dot', '')
    text = result.path.read_text()
    assert text == to_dot(graph(), title='L = d * f')
    assert 'L = d * f' in text
    assert [p.name for p in tmp_path.iterdir()] == ['L.dot']


@pytest.mark.skipif(NO_DOT, reason="Graphviz's dot program is not installed")
def test_svg_is_rendered(tmp_path: Path):
    nodes = graph()
    nodes[5]['label'] = 'a{<b|c>}"'
    result = draw(nodes, tmp_path / 'L.svg')
    assert (result.format, result.message, result.path) == ('svg', '', tmp_path / 'L.svg')
    text = result.path.read_text()
    assert text.startswith('<?xml') or '<svg' in text
    assert 'a{&lt;b|c&gt;}&quot;' in text and 'grad 6.0000' in text
    assert [p.name for p in tmp_path.iterdir()] == ['L.svg']


@pytest.mark.skipif(NO_DOT, reason="Graphviz's dot program is not installed")
def test_png_is_rendered(tmp_path: Path):
    result = draw(graph(), tmp_path / 'L.png')
    assert (result.format, result.message) == ('png', '')
    assert result.path.read_bytes().startswith(b'\x89PNG')
    assert [p.name for p in tmp_path.iterdir()] == ['L.png']


def check_fallback(result: Drawing, folder: Path) -> None:
    assert result.format == 'dot' and result.path == folder / 'L.dot'
    assert result.path.read_text() == to_dot(graph())
    assert [p.name for p in folder.iterdir()] == ['L.dot']
    for words in ["Graphviz's `dot` program was not found", str(folder / 'L.dot'),
                  'apt-get install graphviz', 'brew install graphviz', 'https://graphviz.org/download/']:
        assert words in result.message


def test_missing_dot_writes_the_source_and_says_how_to_install(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(drawing.shutil, 'which', lambda name: None)
    check_fallback(draw(graph(), tmp_path / 'L.png'), tmp_path)


def test_dot_vanishing_after_the_check_falls_back_too(tmp_path: Path, monkeypatch):
    empty = tmp_path / 'empty'
    empty.mkdir()
    out = tmp_path / 'out'
    monkeypatch.setenv('PATH', str(empty))
    monkeypatch.setattr(drawing.shutil, 'which', lambda name: '/usr/bin/dot')  # so pipe() is tried
    check_fallback(draw(graph(), out / 'L.svg'), out)


@pytest.mark.parametrize('name', ['L.pdf', 'L', 'L.svg.txt'])
def test_other_extensions_are_refused(tmp_path: Path, name: str):
    with pytest.raises(ValueError, match=r'\.svg, \.png or \.dot'):
        draw(graph(), tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_legend_only_when_there_is_something_to_compare():
    assert 'green: equal to the reference' not in to_dot(graph(), 'L')
    nodes = graph()
    nodes[0]['expected'] = {'data': -8.0, 'grad': 1.0}
    source = to_dot(nodes, 'L')
    assert 'label="L\\ngreen: equal to the reference; red: differs' in source


def test_expected_values_go_only_to_unambiguous_labels():
    """A label of the student's own that repeats a recipe name must not borrow that node's expectation."""
    from grader.checking.recipe import Graph
    from grader.feedback.graphs import with_expected

    g = Graph()
    a = g.leaf(2.0, 'a')
    g.drive(g.mul(a, g.leaf(3.0, 'b'), 'c'))
    nodes = [{'label': 'c', 'data': 6.0, 'grad': 1.0}, {'label': 'a', 'data': 2.0, 'grad': 3.0},
             {'label': 'b', 'data': 3.0, 'grad': 2.0}, {'label': 'b', 'data': 0.0, 'grad': 0.0}]
    with_expected(nodes, g.steps, g.names)
    assert nodes[0]['expected'] == {'data': 6.0, 'grad': 1.0} and nodes[1]['expected'] == {'data': 2.0, 'grad': 3.0}
    assert 'expected' not in nodes[2] and 'expected' not in nodes[3]
