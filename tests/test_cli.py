"""The grade command as a student and an instructor use it, through Click's test runner."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import catalog
from grader.cli import main
from mutate import make_submission

ROOT = Path(__file__).resolve().parent.parent
FULL = sum(e.points for e in catalog.load())


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


@pytest.mark.counts
def test_check_solutions_full_marks_exit_0():
    result = run('check', '--submission', ROOT / 'solutions')
    assert result.exit_code == 0
    assert f'Total: {FULL}/{FULL}' in result.output
    assert '✗' not in result.output


@pytest.mark.counts
def test_bare_grade_in_a_fresh_project_shows_the_first_exercise(tmp_path, monkeypatch):
    shutil.copytree(ROOT / 'exercises', tmp_path / 'exercises')
    monkeypatch.chdir(tmp_path)
    result = run()
    assert result.exit_code == 1
    assert f'Total: 0/{FULL}' in result.output
    assert '── derivatives: Derivatives by hand ──' in result.output
    assert 'not implemented yet: numerical_derivative [derivatives.py:7]' in result.output
    assert 'Start in: exercises/derivatives.py' in result.output
    assert sorted(p.name for p in (tmp_path / 'exercises').iterdir()) == sorted(
        p.name for p in (ROOT / 'exercises').iterdir() if p.name != '__pycache__'), 'grade wrote into the workspace'
    assert [p.name for p in tmp_path.iterdir()] == ['exercises'], 'grade left files in the project folder'


def test_grade_runs_as_a_program(tmp_path):
    """The real entry point, in a subprocess, as a student's terminal runs it."""
    result = subprocess.run([sys.executable, '-m', 'grader', 'check', 'forward_ops', '--submission', str(ROOT / 'solutions')],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60,
                            env={**os.environ, 'PYTHONPATH': str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert 'Total: 5/5' in result.stdout and '\x1b[' not in result.stdout, 'no colour when piped'


@pytest.mark.counts
def test_gradescope_format_is_one_json_document():
    result = run('check', '--submission', ROOT / 'exercises', '--format', 'gradescope')
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert len(doc['tests']) == len(catalog.load()) and doc['score'] == 0
    assert set(doc['tests'][0]) == {'name', 'score', 'max_score', 'status', 'output', 'output_format', 'visibility'}
    assert doc['tests'][0]['status'] == 'failed'


def test_json_format_and_one_exercise():
    result = run('check', 'forward_ops', '--submission', ROOT / 'solutions', '--format', 'json')
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert [e['id'] for e in doc['exercises']] == ['forward_ops'] and doc['full_marks']


def test_unknown_exercise_names_close_ones():
    result = CliRunner().invoke(main, ['check', 'backwards', '--submission', str(ROOT / 'solutions')])
    assert result.exit_code == 2
    assert "unknown exercise 'backwards'" in result.output and 'backward' in result.output


def test_missing_submission_folder(tmp_path, monkeypatch):
    result = CliRunner().invoke(main, ['check', '--submission', str(tmp_path / 'nope')])
    assert result.exit_code == 2 and "there is no folder '" in result.output and 'nope' in result.output
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 2 and 'no exercises found: there is no exercises/ folder' in result.output


def test_syntax_error_names_file_line_and_text(tmp_path):
    sub = make_submission(tmp_path)
    engine = sub / 'engine.py'
    engine.write_text(engine.read_text().replace("(self, other), '+')", "(self, other), '+'"))
    result = run('check', '--submission', sub)
    assert result.exit_code == 1
    assert 'syntax error in engine.py:' in result.output
    assert "out = Value(self.data + other.data, (self, other), '+'" in result.output
    assert '✓ derivatives' in result.output


@pytest.mark.counts
def test_missing_file_grades_everything_else(tmp_path):
    sub = make_submission(tmp_path)
    (sub / 'nn.py').unlink()
    result = run('check', '--submission', sub, '--format', 'json')
    doc = json.loads(result.stdout)
    status = {e['id']: e['status'] for e in doc['exercises']}
    assert status['nn'] == 'failed' and status['training'] != 'passed'
    assert all(s == 'passed' for k, s in status.items() if k not in ('nn', 'training'))
    assert 'nn.py is missing' in json.dumps(doc)


@pytest.mark.counts
def test_list_shows_progress():
    result = run('list', '--submission', ROOT / 'solutions')
    assert result.exit_code == 0 and 'All done' in result.output


def test_hints_are_progressive(tmp_path, monkeypatch):
    monkeypatch.setenv('GRADE_STATE_DIR', str(tmp_path))
    first = run('hint', 'backward').output
    second = run('hint', 'backward').output
    assert 'Hint 1/3' in first and 'Hint 2/3' not in first
    assert 'Hint 2/3' in second
    assert 'Hint 3/3' in run('hint', 'backward', '--all').output
    assert 'Hint 2/3' not in run('hint', 'backward', '--reset').output
    assert CliRunner().invoke(main, ['hint', 'nope']).exit_code == 2


def test_hint_progress_belongs_to_one_project(tmp_path, monkeypatch):
    """A fresh clone, or the notebook beside it, starts from the first hint, whatever another project has seen."""
    monkeypatch.setenv('GRADE_STATE_DIR', str(tmp_path / 'state'))
    first, second = (shutil.copytree(ROOT / 'exercises', tmp_path / name / 'exercises') for name in ('one', 'two'))
    for _ in range(3):
        run('hint', 'backward', '--submission', first)
    assert 'Hint 3/3' in run('hint', 'backward', '--submission', first).output
    fresh = run('hint', 'backward', '--submission', second).output
    assert 'Hint 1/3' in fresh and 'Hint 2/3' not in fresh
    notebook = run('hint', 'backward', '--notebook', first / 'micrograd.ipynb').output
    assert 'Hint 1/3' in notebook and 'Hint 2/3' not in notebook
    monkeypatch.chdir(tmp_path / 'two')
    assert 'Hint 2/3' in run('hint', 'backward').output, 'found from its folder, the project is the same one'
    state = json.loads((tmp_path / 'state' / 'hints.json').read_text())
    assert state[str(first.resolve())] == {'backward': 3} and state[str(second.resolve())] == {'backward': 2}


def test_a_damaged_hint_state_starts_those_hints_over(tmp_path, monkeypatch):
    monkeypatch.setenv('GRADE_STATE_DIR', str(tmp_path))
    (tmp_path / 'hints.json').write_text('{"backward": "x", "derivatives": null, "nn": -4}')
    for ex in ('backward', 'derivatives', 'nn'):
        result = run('hint', ex)
        assert result.exit_code == 0 and 'Hint 1/' in result.output and 'Hint 2/' not in result.output, result.output


def test_hint_without_an_exercise_is_for_the_one_you_are_on(tmp_path, monkeypatch):
    monkeypatch.setenv('GRADE_STATE_DIR', str(tmp_path))
    sub = make_submission(tmp_path, [('train.py', 'p.data += -lr * p.grad', 'p.data += lr * p.grad')])
    assert 'training: Training on the lecture\'s data\n  Hint 1/4' in run('hint', '--submission', sub).output
    assert 'no hints needed' in run('hint', '--submission', ROOT / 'solutions').output


def test_graph_writes_dot_source(tmp_path):
    out = tmp_path / 'L.dot'
    result = run('graph', '--submission', ROOT / 'solutions', '--out', out)
    assert result.exit_code == 0
    source = out.read_text()
    assert 'digraph' in source and 'grad' in source


def test_graph_without_dot_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv('PATH', str(tmp_path))
    result = CliRunner().invoke(main, ['graph', '--submission', str(ROOT / 'solutions'), '--out', str(tmp_path / 'L.svg')])
    assert result.exit_code == 0
    assert 'graphviz' in result.output.lower() and (tmp_path / 'L.dot').exists()


@pytest.mark.skipif(shutil.which('dot') is None, reason='Graphviz is not installed')
def test_graph_renders_png(tmp_path):
    out = tmp_path / 'L.png'
    assert run('graph', '--submission', ROOT / 'solutions', '--out', out).exit_code == 0
    assert out.read_bytes().startswith(b'\x89PNG')


def test_graph_on_stubs_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ['graph', '--submission', str(ROOT / 'exercises'), '--out', str(tmp_path / 'g.dot')])
    assert result.exit_code == 1 and 'cannot build L = d * f yet' in result.output


TANH_FROM_INPUT = [('engine.py', 'self.grad += (1 - t**2) * out.grad', 'self.grad += (1 - self.data**2) * out.grad')]


def test_graph_of_a_failing_exercise_marks_the_wrong_node(tmp_path):
    sub = make_submission(tmp_path, TANH_FROM_INPUT)
    out = tmp_path / 'tanh.dot'
    result = run('graph', 'local_backward', '--submission', sub, '--out', out)
    assert result.exit_code == 0 and f'wrote {out}' in result.stdout
    assert 'c = a.tanh()' in result.stderr and 'Nodes that differ from the reference: a.' in result.stderr
    source = out.read_text()
    wrong = [line for line in source.splitlines() if '{ a |' in line]
    assert len(wrong) == 1 and '(expected 1.2021)' in wrong[0] and '#ffd6d6' in wrong[0]
    assert "local_backward: tanh's forward pass" in source


def test_graph_says_why_there_is_nothing_to_draw(tmp_path):
    passing = CliRunner().invoke(main, ['graph', 'backward', '-s', str(ROOT / 'solutions'), '-o', str(tmp_path / 'g.dot')])
    assert passing.exit_code == 1 and 'backward passes: there is no failing graph to draw' in passing.output
    stub = CliRunner().invoke(main, ['graph', 'nn', '-s', str(ROOT / 'exercises'), '-o', str(tmp_path / 'g.dot')])
    assert stub.exit_code == 1 and 'nn is not implemented yet' in stub.output
    unknown = CliRunner().invoke(main, ['graph', 'backwards', '-o', str(tmp_path / 'g.dot')])
    assert unknown.exit_code == 2 and "unknown exercise 'backwards'" in unknown.output
    bad = CliRunner().invoke(main, ['graph', 'backward', '-s', str(ROOT / 'solutions'), '-o', str(tmp_path / 'g.pdf')])
    assert bad.exit_code == 2 and '.svg, .png or .dot' in bad.output
    assert list(tmp_path.iterdir()) == []


def test_check_graphs_draws_each_failing_gradient_check(tmp_path, monkeypatch):
    sub = make_submission(tmp_path, TANH_FROM_INPUT)
    monkeypatch.setenv('PATH', str(tmp_path))  # no Graphviz: the DOT source, and how to install it
    result = run('check', 'local_backward', '--submission', sub, '--graphs', tmp_path / 'graphs')
    assert result.exit_code == 1 and 'Likely mistake: the tanh derivative uses the input' in result.stdout
    drawn = sorted(p.name for p in (tmp_path / 'graphs').iterdir())
    assert drawn and all(name.startswith('local_backward-') and name.endswith('.dot') for name in drawn)
    assert f"Graph of a failing check: {tmp_path / 'graphs' / drawn[0]}" in result.stderr
    assert 'apt-get install graphviz' in result.stderr
    assert 'Graph of a failing check' not in result.stdout, 'stdout stays the report alone'
    (tmp_path / 'afile').write_text('x')
    blocked = run('check', 'local_backward', '--submission', sub, '--graphs', tmp_path / 'afile')
    assert blocked.exit_code == 1 and "Error: cannot write into '" in blocked.stderr, blocked.stderr
    graph = run('graph', '--submission', ROOT / 'solutions', '--out', tmp_path / 'afile' / 'g.dot')
    assert graph.exit_code == 1 and "Error: cannot write into '" in graph.stderr, graph.stderr


def on_a_terminal(*args, env=None):
    """Run grade with its stdout on a pseudo-terminal, as a student's shell does; return what it printed."""
    import pty
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, '-m', 'grader', *map(str, args)], stdout=follower, stderr=follower,
                            env={**os.environ, 'PYTHONPATH': str(ROOT), **(env or {})}, cwd=ROOT)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the program ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    return b''.join(chunks).decode()


def test_colour_on_a_terminal_unless_no_color():
    args = ['check', 'forward_ops', '--submission', ROOT / 'solutions']
    assert '\x1b[32m' in on_a_terminal(*args), 'green ticks on a terminal'
    assert '\x1b[' not in on_a_terminal(*args, env={'NO_COLOR': '1'})
    plain = on_a_terminal(*args, '--no-color')
    assert '\x1b[' not in plain and '✓ forward_ops' in plain
    assert '\x1b[' not in on_a_terminal('list', '--submission', ROOT / 'solutions', env={'NO_COLOR': '1'})


def test_graph_of_the_students_own_builder(tmp_path):
    """manual_grads: the graph build_L returns, with the hand-set grad that is wrong in red."""
    sub = make_submission(tmp_path, [('manual_grads.py', 'a.grad = b.data * e.grad', 'a.grad = a.data * e.grad')])
    out = tmp_path / 'L.dot'
    assert run('graph', 'manual_grads', '--submission', sub, '--out', out).exit_code == 0
    lines = {line.split('label="{ ')[1][0]: line for line in out.read_text().splitlines() if 'label="{ ' in line}
    assert sorted(lines) == ['L', 'a', 'b', 'c', 'd', 'e', 'f']
    assert 'grad -4.0000 (expected 6.0000)' in lines['a'] and '#ffd6d6' in lines['a']
    assert all('#d6f5d6' in line for name, line in lines.items() if name != 'a')


def test_graphs_with_a_notebook_is_refused_before_grading(tmp_path):
    result = CliRunner().invoke(main, ['check', '--notebook', str(ROOT / 'exercises' / 'micrograd.ipynb'),
                                       '--graphs', str(tmp_path / 'graphs')])
    assert result.exit_code == 2 and '--graphs draws from a folder of files' in result.output
    assert not (tmp_path / 'graphs').exists()


def test_every_command_has_a_whole_line_of_help():
    listing = CliRunner().invoke(main, ['--help'], terminal_width=80).output
    commands = listing.split('Commands:')[1].strip().splitlines()
    assert len(commands) == len(main.commands)
    assert not [line for line in commands if line.endswith('...')]


def test_publish_into_a_file_is_a_clear_error(tmp_path):
    (tmp_path / 'afile').write_text('x')
    for where in (['--exercises', tmp_path / 'afile'], ['--out', tmp_path / 'afile' / 'bundle']):
        result = CliRunner().invoke(main, ['publish', '--solutions', str(ROOT / 'solutions'), *map(str, where)])
        assert result.exit_code == 1 and "Error: cannot write into '" in result.output, result.output
    assert (tmp_path / 'afile').read_text() == 'x'


def test_watch_refuses_a_file_that_is_not_a_notebook_as_check_does(tmp_path):
    (tmp_path / 'README.md').write_text('# not a notebook\n')
    env = {**os.environ, 'PYTHONPATH': str(ROOT)}
    for command in ('check', 'watch'):  # a watch that took the file would run until the time-out
        done = subprocess.run([sys.executable, '-m', 'grader', command, '--notebook', 'README.md'], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and 'Error: README.md is not a Jupyter notebook' in done.stderr, (command, done)


def test_check_and_list_fit_a_narrow_terminal(monkeypatch, tmp_path):
    monkeypatch.setenv('COLUMNS', '60')  # what a 60-column terminal tells shutil
    sub = make_submission(tmp_path, [('engine.py', 'topo = []\n', 'topo = []\n        while True:\n            pass\n')])
    checked = run('check', 'backward', '--submission', sub, '--check-seconds', '1').output
    listed = run('list', '--submission', ROOT / 'solutions').output
    for output in (checked, listed):
        assert 'Isolation:' in output and all(len(line) <= 60 for line in output.splitlines()), output
    assert 'did not finish in time' in checked
