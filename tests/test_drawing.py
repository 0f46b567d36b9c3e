"""Drawing computation graphs in the lecture's style: DOT source, rendering, and no Graphviz."""
import shutil

import pytest

from grader import drawing

L_GRAPH = [  # the lecture's L = d * f, root first, with e's grad wrong
    {'label': 'L', 'data': -8.0, 'grad': 1.0, 'op': '*', 'prev': [1, 2], 'expected': {'data': -8.0, 'grad': 1.0}},
    {'label': 'd', 'data': 4.0, 'grad': -2.0, 'op': '+', 'prev': [3, 4], 'expected': {'data': 4.0, 'grad': -2.0}},
    {'label': 'f', 'data': -2.0, 'grad': 4.0, 'op': '', 'prev': [], 'expected': {'data': -2.0, 'grad': 4.0}},
    {'label': 'e', 'data': -6.0, 'grad': 5.0, 'op': '*', 'prev': [5, 6], 'expected': {'data': -6.0, 'grad': -2.0}},
    {'label': 'c', 'data': 10.0, 'grad': -2.0, 'op': '', 'prev': []},
    {'label': 'a', 'data': 2.0, 'grad': 6.0, 'op': '', 'prev': []},
    {'label': 'b', 'data': {'__object__': 'NoneType'}, 'grad': -4.0, 'op': '', 'prev': []},
]


def test_dot_source_has_records_op_nodes_and_edges():
    src = drawing.to_dot(L_GRAPH, title='L = d * f')
    assert 'rankdir=LR' in src
    assert 'data -8.0000' in src and 'grad 1.0000' in src
    assert src.count('shape=record') == len(L_GRAPH)
    assert src.count('->') == 9  # three ops, each with two child -> op edges and one op -> result edge


def test_differing_nodes_are_coloured_and_show_the_expected_value():
    src = drawing.to_dot(L_GRAPH)
    line = next(l for l in src.splitlines() if 'data -6.0000' in l)
    assert '(expected -2.0000)' in line and '#ffd6d6' in line
    good = next(l for l in src.splitlines() if 'data 4.0000' in l)
    assert '#ffd6d6' not in good


def test_non_numbers_are_shown_readably():
    assert 'NoneType' in drawing.to_dot(L_GRAPH)


def test_dot_output(tmp_path):
    result = drawing.draw(L_GRAPH, tmp_path / 'g.dot')
    assert result.format == 'dot' and result.message == ''
    assert (tmp_path / 'g.dot').read_text().startswith('digraph')
    assert [p.name for p in tmp_path.iterdir()] == ['g.dot']


def test_bad_extension(tmp_path):
    with pytest.raises(ValueError, match='svg'):
        drawing.draw(L_GRAPH, tmp_path / 'g.jpg')


@pytest.mark.skipif(shutil.which('dot') is None, reason='Graphviz is not installed')
@pytest.mark.parametrize('suffix,magic', [('.svg', b'<svg'), ('.png', b'\x89PNG')])
def test_renders_with_graphviz(tmp_path, suffix, magic):
    out = tmp_path / f'g{suffix}'
    result = drawing.draw(L_GRAPH, out)
    assert result.format == suffix[1:] and result.message == ''
    assert magic in out.read_bytes()[:400]
    assert [p.name for p in tmp_path.iterdir()] == [out.name], 'no intermediate files left behind'


def test_without_graphviz_writes_source_and_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv('PATH', str(tmp_path / 'empty'))
    monkeypatch.setattr(shutil, 'which', lambda name, *a, **k: None)
    result = drawing.draw(L_GRAPH, tmp_path / 'g.png')
    assert result.format == 'dot' and result.path == tmp_path / 'g.dot'
    assert 'apt-get install graphviz' in result.message and result.path.read_text().startswith('digraph')
