"""What the batch makes of each entry of a class folder, and its pure renderers, without grading anything."""
import json
import os
from pathlib import Path

import nbformat
import pytest

from grader.feedback import render
from grader.batch import outputs
from grader.batch.progress import Tick, eta, plain_line
from grader.batch.reports import load_stored, report_from_dict, stored, unreadable_report
from grader.batch.submissions import discover, prepare
from grader.batch.walk import fingerprint
from grader.batch.reports import Outcome
from grader.batch.summary import summarize
from grader.notebook import build_notebook
from grader.results import CheckResult, ExerciseResult, Feedback, NodeDiff, Report

ROOT = Path(__file__).resolve().parent.parent


def entry(tmp_path, name='alice', files=None):
    folder = tmp_path / 'class' / name
    folder.mkdir(parents=True)
    for file, text in (files or {'engine.py': 'x = 1\n'}).items():
        path = folder / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return folder


def test_a_folder_is_copied_without_symlinks_or_caches(tmp_path):
    other = entry(tmp_path, 'bob', {'engine.py': 'bob = 1\n'})
    folder = entry(tmp_path, files={'engine.py': 'x = 1\n', '__pycache__/engine.pyc': b'junk', 'data/notes.txt': 'n'})
    (folder / 'nn.py').symlink_to(other / 'engine.py')
    work = tmp_path / 'work'
    work.mkdir()
    got = prepare(folder, work)
    assert got.folder == work / 'submission' and got.reason == ''
    assert sorted(str(p.relative_to(got.folder)) for p in got.folder.rglob('*')) == ['engine.py']
    assert got.problems == ('1 file(s) that are not exercise files were left out: data/notes.txt',)
    (got.folder / 'engine.py').write_text('changed')
    assert (folder / 'engine.py').read_text() == 'x = 1\n', 'the copy is not private'


def test_files_in_one_subfolder_are_found(tmp_path):
    folder = entry(tmp_path, files={'exercises/engine.py': 'x = 1\n', 'README.md': 'hi'})
    assert prepare(folder, tmp_path).folder == tmp_path / 'submission' / 'exercises'
    two = entry(tmp_path, 'bob', {'a/engine.py': '', 'b/engine.py': ''})
    (tmp_path / 'w').mkdir()
    assert 'several folders (a, b)' in prepare(two, tmp_path / 'w').reason
    repo = entry(tmp_path, 'carol', {'grader/cli.py': '', 'exercises/engine.py': '', 'tests/test_x.py': ''})
    (tmp_path / 'w2').mkdir()
    assert prepare(repo, tmp_path / 'w2').folder == tmp_path / 'w2' / 'submission' / 'exercises'


@pytest.mark.parametrize('files, found', [
    ({'myrepo/exercises/engine.py': '', 'myrepo/grader/cli.py': '', 'myrepo/README.md': ''}, 'myrepo/exercises'),
    ({'myrepo/setup.py': '', 'myrepo/exercises/engine.py': ''}, 'myrepo/exercises'),
    ({'a/b/c/exercises/engine.py': '', 'a/b/tests/test_x.py': ''}, 'a/b/c/exercises'),
])
def test_an_exercises_folder_deeper_down_is_found(tmp_path, files, found):
    got = prepare(entry(tmp_path, files=files), tmp_path)
    assert got.reason == '' and got.folder == tmp_path / 'submission' / found, got


def test_several_exercises_folders_deeper_down_are_named(tmp_path):
    got = prepare(entry(tmp_path, files={'one/exercises/engine.py': '', 'two/exercises/engine.py': ''}), tmp_path)
    assert got.folder is None
    assert got.reason == 'exercise files in several exercises/ folders (one/exercises, two/exercises): cannot tell which to grade'


def test_two_notebooks_and_no_python_files_ask_for_one(tmp_path):
    notebook = build_notebook(ROOT / 'solutions', tmp_path / 'nb.ipynb').read_text()
    got = prepare(entry(tmp_path, files={'draft.ipynb': notebook, 'final.ipynb': notebook}), tmp_path)
    assert got.folder is None and got.reason == ('it holds 2 notebooks (draft.ipynb, final.ipynb) and no Python files: '
                                                 'one notebook must be chosen, so hand in only the one to grade')


def test_python_files_beside_a_notebook_are_graded_and_the_notebook_is_named(tmp_path):
    notebook = build_notebook(ROOT / 'solutions', tmp_path / 'nb.ipynb').read_text()
    got = prepare(entry(tmp_path, files={'engine.py': 'x = 1\n', 'micrograd.ipynb': notebook}), tmp_path)
    assert got.folder == tmp_path / 'submission' and got.problems == (
        'graded the Python files; micrograd.ipynb beside them was not graded (hand in the notebook alone to grade it)',)
    repo = entry(tmp_path, 'bob', {'repo/exercises/engine.py': '', 'repo/exercises/micrograd.ipynb': notebook})
    (tmp_path / 'w').mkdir()
    assert prepare(repo, tmp_path / 'w').problems == (
        'graded the Python files in repo/exercises; micrograd.ipynb beside them was not graded (hand in the notebook '
        'alone to grade it)',)


@pytest.mark.parametrize('files, reason', [
    ({'README.md': 'no code'}, 'no Python files'),
    ({'engine.py': b'\xff\xfe\x00'}, 'engine.py is not readable text: it is not UTF-8'),
    ({'engine.py': b'# -*- coding: ascii -*-\nx = "\xc3\xa9"\n'}, 'engine.py is not readable text: line 2 is not ascii'),
])
def test_unreadable_folders_have_a_reason(tmp_path, files, reason):
    assert reason in prepare(entry(tmp_path, files=files), tmp_path).reason


def test_a_declared_encoding_is_honoured(tmp_path):
    folder = entry(tmp_path, files={'engine.py': b'# -*- coding: latin-1 -*-\nname = "\xe9"\n'})
    assert prepare(folder, tmp_path).reason == ''


def test_an_entry_that_is_a_link_is_not_followed(tmp_path):
    bob = entry(tmp_path, 'bob', {'engine.py': 'bob = 1\n'})
    (tmp_path / 'class' / 'mallory').symlink_to(bob)
    (tmp_path / 'class' / 'nina.ipynb').symlink_to(bob / 'engine.py')
    for name in ('mallory', 'nina.ipynb'):
        work = tmp_path / f'work-{name}'
        work.mkdir()
        got = prepare(tmp_path / 'class' / name, work)
        assert got.folder is None and got.reason.startswith('a link, which is not graded'), got


def test_a_plain_file_is_not_a_submission(tmp_path):
    (tmp_path / 'notes.txt').write_text('hi')
    assert prepare(tmp_path / 'notes.txt', tmp_path).reason.startswith('not a folder')


def test_permission_denied_is_a_reason(tmp_path, monkeypatch):
    folder = entry(tmp_path)

    real_open = os.open

    def denied(path, *args, **kwargs):
        if str(path).endswith('engine.py') and 'class' in str(path):
            raise PermissionError(13, 'Permission denied', str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, 'open', denied)
    assert prepare(folder, tmp_path).reason == 'cannot be read: permission denied (alice/engine.py)'


@pytest.mark.skipif(os.geteuid() == 0, reason='root reads every file whatever its mode')
def test_permission_denied_for_real(tmp_path):
    folder = entry(tmp_path)
    (folder / 'engine.py').chmod(0)
    assert 'permission denied (alice/engine.py)' in prepare(folder, tmp_path).reason


def test_notebooks_are_graded_from_their_cells(tmp_path):
    nb_path = build_notebook(ROOT / 'solutions', tmp_path / 'nina.ipynb')
    (tmp_path / 'w1').mkdir()
    got = prepare(nb_path, tmp_path / 'w1')
    assert got.folder and (got.folder / 'engine.py').is_file() and got.problems == ()
    nb = nbformat.read(nb_path, as_version=4)
    for c in nb.cells:
        c.metadata.pop('tags', None)
    folder = tmp_path / 'class' / 'olga'
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / 'work.ipynb')
    (tmp_path / 'w2').mkdir()
    untagged = prepare(folder, tmp_path / 'w2')
    assert untagged.folder and any('lost its tag' in p for p in untagged.problems)
    (tmp_path / 'bad.ipynb').write_text('{not json')
    assert 'bad.ipynb is not a Jupyter notebook' in prepare(tmp_path / 'bad.ipynb', tmp_path / 'w2').reason


def test_hidden_entries_are_not_submissions(tmp_path):
    (tmp_path / '.DS_Store').write_text('')
    (tmp_path / 'b').mkdir()
    (tmp_path / 'a').mkdir()
    assert [e.name for e in discover(tmp_path)] == ['a', 'b']


def sample_report():
    fb = Feedback('wrong grad for a', misconception='tanh_uses_input', diffs=[NodeDiff('a', 'grad', 1.2, 1.0)])
    ex = ExerciseResult('local_backward', 'Local', 0, 10, 'failed', [CheckResult('tanh', False, fb), CheckResult('add', True)])
    return Report('alice', [ex], 1.5)


def test_reports_survive_the_round_trip_through_json():
    report = sample_report()
    assert report_from_dict(json.loads(render.as_json(report))) == report
    outcome = Outcome(report, '', ['a problem'], 'f00d')
    assert load_stored(stored(outcome)) == outcome
    with pytest.raises(ValueError):
        load_stored('{"note": "", "report": {"exercises": 3}}')


def test_summary_counts_a_check_once_per_submission_and_skips_blocked_and_unwritten():
    fb = Feedback('wrong grad', misconception='tanh_uses_input')
    twice = ExerciseResult('local_backward', 'Local', 0, 10, 'failed',
                           [CheckResult('tanh', False, fb), CheckResult('tanh', False, fb),
                            CheckResult('exp', False, Feedback('todo', kind='not_implemented')),
                            CheckResult('pow', False, Feedback('no engine.py', kind='missing_file'))])
    blocked = ExerciseResult('backward', 'Backward', 0, 10, 'blocked', [CheckResult('topo', False, Feedback('x'))])
    outcomes = {n: Outcome(Report(n, [twice, blocked])) for n in ('alice', 'bob')}
    outcomes['carol'] = Outcome(unreadable_report('carol', 'not a folder'), 'not a folder')
    summary = summarize(outcomes)
    assert [(f.exercise, f.check, f.count) for f in summary.failing_checks] == [('local_backward', 'tanh', 2)]
    assert summary.failing_checks[0].mistakes == [('the tanh derivative uses the input', 2)]
    assert summary.submissions == 3 and summary.ungraded == [('carol', 'not a folder')]


def test_feedback_and_csv_text():
    text = outputs.feedback(Outcome(sample_report(), problems=['no cell holds nn.py']))
    assert text.startswith('alice: 0/10\n') and 'How your submission was read:\n ! no cell holds nn.py' in text
    assert '✗ tanh' in text and 'Your notebook' not in text, 'the notes may be about files, not a notebook'
    left_out = outputs.feedback(Outcome(sample_report(), problems=['1 file(s) that are not exercise files were left out: README.md']))
    assert 'How your submission was read:\n ! 1 file(s) that are not exercise files were left out: README.md' in left_out
    unwritten = Report('bob', [ExerciseResult('derivatives', 'D', 0, 5, 'not_implemented', [CheckResult('slope', False)])])
    assert 'Start in: exercises/derivatives.py' in outputs.feedback(Outcome(unwritten))
    unwritten.submission = 'nina.ipynb'
    assert 'Start in: the file:derivatives.py cell of nina.ipynb' in outputs.feedback(Outcome(unwritten))
    bad = Outcome(unreadable_report('=cmd', 'not a folder'), 'not a folder')
    assert outputs.feedback(bad).startswith('=cmd: this submission could not be graded: not a folder')
    csv_text = outputs.grades_csv({'=cmd': bad})
    assert "\n'=cmd,0," in csv_text, 'a name that a spreadsheet would run as a formula is quoted'


def test_progress_lines():
    tick = Tick('alice', 75, 85, '', done=3, total=12, elapsed=6.0)
    assert eta(3, 12, 6.0) == '0:18' and eta(0, 12, 1.0) == '0:00'
    assert plain_line(tick) == '3/12 alice 75/85 (ETA 0:18)'
    assert plain_line(Tick('bob', 0, 85, 'not a folder', 12, 12, 9.0)) == '12/12 bob not graded: not a folder (ETA 0:00)'


def remove_nested(top):
    """Remove a chain of nested folders from the bottom up (shutil.rmtree would recurse past Python's limit)."""
    chain = [top]
    while True:
        inner = [p for p in chain[-1].iterdir() if p.is_dir()]
        for f in chain[-1].iterdir():
            if f.is_file():
                f.unlink()
        if not inner:
            break
        chain.append(inner[0])
    for folder in reversed(chain):
        folder.rmdir()


def test_only_exercise_files_count_and_odd_trees_cost_their_own_row(tmp_path):
    for work in ('w1', 'w2', 'w3'):
        (tmp_path / work).mkdir()
    big = entry(tmp_path, 'big', {'engine.py': 'x = 1\n', 'dataset.bin': b'\0' * (25 << 20)})
    got = prepare(big, tmp_path / 'w1')
    assert got.folder and got.problems == ('1 file(s) that are not exercise files were left out: dataset.bin',)
    deep = entry(tmp_path, 'deep', {'engine.py': 'x = 1\n'})
    nested = deep
    for _ in range(1100):  # deeper than os.walk could recurse on Python 3.11
        nested = nested / 'd'
        nested.mkdir()
    (nested / 'nn.py').write_text('y = 2\n')
    try:
        got = prepare(deep, tmp_path / 'w2')
        assert fingerprint(deep)
    finally:
        remove_nested(deep / 'd')
    assert got.folder and (got.folder / 'engine.py').exists()
    assert 'folders nested more than 8 deep were not looked at' in got.problems
    assert fingerprint(deep) == fingerprint(big), 'what is left out does not count'
    many = entry(tmp_path, 'many', {'engine.py': 'x = 1\n'})
    for k in range(20001):
        (many / f'f{k}').touch()
    assert 'holds over 20000 files and folders' in prepare(many, tmp_path / 'w3').reason


def test_fingerprint_follows_what_is_graded(tmp_path):
    folder = entry(tmp_path)
    first = fingerprint(folder)
    (folder / '__pycache__').mkdir()
    (folder / '__pycache__' / 'engine.pyc').write_bytes(b'cache')
    (folder / 'link.py').symlink_to(folder / 'engine.py')
    assert fingerprint(folder) == first, 'caches and links are not graded, so they do not count'
    (folder / 'engine.py').write_text('x = 2\n')
    assert fingerprint(folder) != first
    assert fingerprint(tmp_path / 'missing') != fingerprint(folder)


def test_a_huge_notebook_entry_is_not_read_whole(tmp_path):
    """A sparse 40 GB .ipynb costs a batch nothing: fingerprinting reads only what grading could accept."""
    huge = tmp_path / 'class' / 'huge.ipynb'
    huge.parent.mkdir()
    with open(huge, 'wb') as f:
        f.truncate(40 << 30)
    before = os.times()
    assert fingerprint(huge)
    assert os.times().user - before.user < 5  # 20 MB of hashing, not 40 GB
    work = tmp_path / 'work'
    work.mkdir()
    assert 'too large' in prepare(huge, work).reason
