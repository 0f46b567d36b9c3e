"""A submission that carries answers for the grader's inputs, rather than computing them, earns nothing.

The training checks start the student's model from weights the grader picks, and the gradient checks
send random graphs. Were those fixed, a submission could ship the answers the reference gives for
them (worked out at home with the bundled grader) and look them up. The seeds come from the
submission's own files instead: the same on every run of the same files, but a table written into
the files changes them.
"""
import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from grader.checking import reference
from grader.checking.strategies import check_random_graphs
from grader.checking.student import Student
from grader.checking.lecture_loop import LR, STEPS, replay, starting_weights

ROOT = Path(__file__).resolve().parent.parent

# A train() that trains nothing: it copies in weights worked out in advance, and their losses.
TABLE_TRAIN = '''

WEIGHTS = @WEIGHTS@
LOSSES = @LOSSES@


def train(model, xs, ys, steps=20, lr=0.1):
    neurons = [n for layer in model.layers for n in layer.neurons]
    for n, ws in zip(neurons, [n for layer in WEIGHTS for n in layer]):
        for p, v in zip(n.w + [n.b], ws):
            p.data = v
    return list(LOSSES)
'''

# The lecture's loop with the update's sign flipped: its feedback names the seed it started from.
WRONG_SIGN = '''

def train(model, xs, ys, steps=20, lr=0.1):
    losses = []
    for _ in range(steps):
        loss = mse_loss([model(x) for x in xs], ys)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data += lr * p.grad
        losses.append(loss.data)
    return losses
'''


def submission(tmp_path, name, train_code):
    """The solutions, with train() replaced by train_code."""
    folder = tmp_path / name
    folder.mkdir()
    for solution in (ROOT / 'solutions').glob('*'):
        if solution.suffix in ('.py', '.toml'):
            (folder / solution.name).write_text(solution.read_text())
    source = (folder / 'train.py').read_text()
    (folder / 'train.py').write_text(source[:source.index('\ndef train(')] + train_code)
    return folder


def training_checks(folder):
    done = subprocess.run([sys.executable, '-m', 'grader', 'check', 'training', '--submission', str(folder),
                           '--format', 'json'], capture_output=True, text=True, timeout=300)
    report = json.loads(done.stdout)
    return next(e for e in report['exercises'] if e['id'] == 'training')['checks']


def test_a_table_of_trained_weights_earns_no_training_check(tmp_path):
    """The weights the lecture's loop reaches from the old fixed seeds have a low loss, but no start
    the grader now picks leads to them."""
    losses, weights = replay(starting_weights(3))
    assert len(losses) == STEPS and LR == 0.1
    code = TABLE_TRAIN.replace('@WEIGHTS@', repr(weights)).replace('@LOSSES@', repr(losses))
    checks = training_checks(submission(tmp_path, 'table', code))
    loops = [c for c in checks if 'loop' in c['name'] or 'below 0.1' in c['name']]
    assert len(loops) == 5, [c['name'] for c in checks]
    assert not any(c['passed'] for c in loops), [c['name'] for c in loops if c['passed']]
    converges = [c for c in loops if 'below 0.1' in c['name']]
    assert all('not what 20 steps of gradient descent give' in c['feedback']['summary'] for c in converges)


def seeds_named(checks):
    return sorted(int(s) for c in checks if not c['passed']
                  for s in re.findall(r'seed (\d+)', json.dumps(c['feedback'])))


def test_the_seeds_are_the_same_for_the_same_files_and_change_with_them(tmp_path):
    folder = submission(tmp_path, 'wrong_sign', WRONG_SIGN)
    first, again = seeds_named(training_checks(folder)), seeds_named(training_checks(folder))
    assert len(set(first)) >= 3 and first == again
    (folder / 'nn.py').write_text((folder / 'nn.py').read_text() + '\n# one more line\n')
    assert seeds_named(training_checks(folder)) != first


def graphs_drawn(fingerprint):
    """The random graphs check_random_graphs sends a perfect engine, for a submission with this fingerprint."""
    student = Student(SimpleNamespace(fingerprint=lambda: fingerprint), 'backward')
    sent = []

    def run(probe, args, modules, expression=''):
        sent.append(repr(args['steps']))
        return reference.run(probe, args)

    student.run = run
    check_random_graphs(student, ('add', 'mul', 'pow'), finish='backward')
    return sent


def test_the_random_graphs_are_the_same_for_the_same_files_and_change_with_them():
    first = graphs_drawn(b'one submission')
    assert len(set(first)) > 10 and graphs_drawn(b'one submission') == first
    other = graphs_drawn(b'another submission')
    assert other[0] == first[0]  # the fixed smoke graph comes first, the same for everyone
    assert set(other[1:]) != set(first[1:])
