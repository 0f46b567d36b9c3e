"""`grade batch` over a class folder that mixes correct, buggy, hostile and unreadable submissions."""
import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import catalog
from grader.batch import outputs
from grader.batch.run import run_batch
from grader.cli import main
from grader.notebook import build_notebook
from grader.sandbox.limits import Limits
from batch_helpers import TANH, grading_processes, read_csv, tree_hash
from mutate import make_submission

ROOT = Path(__file__).resolve().parent.parent
# Short enough that the looping submission costs little, long enough for a busy machine's correct ones.
FAST = Limits(check_seconds=3.0, submission_seconds=60.0)
IDS = [e.id for e in catalog.load()]
FULL = sum(e.points for e in catalog.load())
SABOTAGE = '''import glob, os
_here = os.path.dirname(os.path.abspath(__file__))
for _p in glob.glob('../*/engine.py') + glob.glob(os.path.join(_here, '..', '*', 'engine.py')):
    if os.path.abspath(_p) != os.path.abspath(__file__):
        with open(_p, 'w') as _f:
            _f.write('raise SystemExit("sabotaged")\\n')
'''


def prefixed(folder, prefix, file='engine.py'):
    path = folder / file
    path.write_text(prefix + '\n' + path.read_text())
    return folder


@pytest.fixture(scope='module')
def graded_class(tmp_path_factory):
    """One batch over a mixed class, shared by the tests that read its outputs."""
    base = tmp_path_factory.mktemp('class')
    klass = base / 'class'
    klass.mkdir()
    make_submission(klass, name='alice')
    make_submission(klass, [TANH], name='bob')
    prefixed(make_submission(klass, name='eve'), 'import os; os._exit(0)')
    prefixed(make_submission(klass, name='loop'), 'while True:\n    pass')
    prefixed(make_submission(klass, name='mallory'), SABOTAGE)
    (klass / 'notes.txt').write_text('not a submission')
    (klass / 'empty').mkdir()
    (klass / 'empty' / 'README.md').write_text('forgot the code')
    build_notebook(ROOT / 'solutions', klass / 'nina.ipynb')
    make_submission(klass, name='garbled')
    (klass / 'garbled' / 'nn.py').write_bytes(b'\xff\xfe\x00 not text')
    before = tree_hash(klass)
    result = run_batch(klass, base / 'out', jobs=2, limits=FAST)
    assert not grading_processes(), 'a grading process outlived the batch'
    return klass, base / 'out', result, before


@pytest.mark.counts
def test_every_submission_gets_a_row_in_catalog_order(graded_class):
    klass, out, result, _ = graded_class
    with open(out / 'grades.csv', newline='') as f:
        header = next(csv.reader(f))
    assert header == ['submission', 'score', 'max_score', *IDS, 'note']
    rows = read_csv(out / 'grades.csv')
    assert sorted(rows) == ['alice', 'bob', 'empty', 'eve', 'garbled', 'loop', 'mallory', 'nina.ipynb', 'notes.txt']
    assert rows['alice']['score'] == str(FULL) and rows['alice']['note'] == ''
    assert rows['nina.ipynb']['score'] == str(FULL), 'a notebook is graded from its cells'
    assert rows['bob']['local_backward'] == '6.25' and rows['bob']['forward_ops'] == '5'  # 5 of its 8 checks pass
    assert all(rows[n]['max_score'] == str(FULL) for n in rows)
    for name, row in rows.items():
        assert float(row['score']) == round(sum(float(row[i]) for i in IDS), 2), name
    assert result.graded and not result.skipped and not result.interrupted


def test_hostile_submissions_are_contained(graded_class):
    klass, out, _, before = graded_class
    rows = read_csv(out / 'grades.csv')
    assert rows['eve']['forward_ops'] == '0' and int(rows['eve']['score']) < FULL
    assert 'exit code 0' in (out / 'eve' / 'feedback.txt').read_text()
    assert rows['loop']['forward_ops'] == '0' and 'did not finish in time' in (out / 'loop' / 'feedback.txt').read_text()
    # mallory's writes landed in her own private copy's surroundings: she still passes, and so does alice
    assert rows['mallory']['score'] == str(FULL) and rows['alice']['score'] == str(FULL)
    assert tree_hash(klass) == before, 'the batch changed the submissions folder'


def test_unreadable_submissions_get_zero_and_the_reason(graded_class):
    _, out, _, _ = graded_class
    rows = read_csv(out / 'grades.csv')
    assert rows['notes.txt']['score'] == '0' and 'not a folder' in rows['notes.txt']['note']
    assert rows['empty']['score'] == '0' and 'no Python files' in rows['empty']['note']
    assert rows['garbled']['score'] == '0' and 'nn.py is not readable text: it is not UTF-8' in rows['garbled']['note']
    assert 'grade-batch' not in rows['garbled']['note'], 'the reason names a private temporary path'
    doc = json.loads((out / 'garbled' / 'results.json').read_text())
    assert doc['score'] == 0 and 'nn.py is not readable text' in doc['output']


def test_results_json_is_gradescope_format_for_everyone(graded_class):
    _, out, _, _ = graded_class
    for name in read_csv(out / 'grades.csv'):
        doc = json.loads((out / name / 'results.json').read_text())
        assert doc['score'] == sum(t['score'] for t in doc['tests']), name
        assert [t['name'].split(':')[0] for t in doc['tests']] == IDS
        assert all(set(t) >= {'name', 'score', 'max_score', 'status', 'output'} for t in doc['tests'])
        assert (out / name / 'feedback.txt').read_text().startswith(name)
    assert not list(out.rglob(outputs.TEMP_PREFIX + '*')), 'a temporary file was left behind'


def test_summary_counts_passes_and_names_mistakes(graded_class):
    _, out, result, _ = graded_class
    text = (out / 'summary.txt').read_text()
    assert text.startswith('Class summary: 9 submissions')
    assert ', 3 with full marks, 3 could not be graded' in text
    passing = dict(result.summary.passing)
    assert passing['local_backward'] == 3 and passing['derivatives'] == 6  # alice, mallory, nina; + bob, eve, loop
    tanh = [f for f in result.summary.failing_checks if f.exercise == 'local_backward']
    assert tanh and tanh[0].count == 1 and 'the tanh derivative uses the input' in tanh[0].mistakes[0][0]
    assert 'likely mistake (1): the tanh derivative uses the input' in text
    assert 'notes.txt: not a folder' in text


def test_rerun_skips_finished_submissions(graded_class):
    klass, out, first, _ = graded_class
    stamp = {p: p.stat().st_mtime_ns for p in out.glob('*/results.json')}
    grades = (out / 'grades.csv').read_text()
    again = run_batch(klass, out, jobs=2, limits=FAST)
    assert again.graded == [] and again.skipped == sorted(first.graded)
    assert {p: p.stat().st_mtime_ns for p in out.glob('*/results.json')} == stamp
    assert (out / 'grades.csv').read_text() == grades


def test_force_changed_and_invalid_results_grade_again(tmp_path):
    klass = tmp_path / 'class'
    (klass / 'alice').mkdir(parents=True)
    shutil.copy(ROOT / 'solutions' / 'derivatives.py', klass / 'alice')  # quick to grade: one file
    run_batch(klass, tmp_path / 'out', jobs=1, limits=FAST)
    score = read_csv(tmp_path / 'out' / 'grades.csv')['alice']['score']
    (tmp_path / 'out' / 'alice' / 'results.json').write_text('{"score": 8')  # as if cut off
    assert run_batch(klass, tmp_path / 'out', jobs=1, limits=FAST).graded == ['alice']
    assert run_batch(klass, tmp_path / 'out', jobs=1, limits=FAST).skipped == ['alice']
    with open(klass / 'alice' / 'derivatives.py', 'a') as f:
        f.write('\n# resubmitted\n')
    assert run_batch(klass, tmp_path / 'out', jobs=1, limits=FAST).graded == ['alice'], 'a changed submission kept its old grade'
    assert run_batch(klass, tmp_path / 'out', jobs=1, limits=FAST).skipped == ['alice']
    assert run_batch(klass, tmp_path / 'out', jobs=1, force=True, limits=FAST).graded == ['alice']
    assert read_csv(tmp_path / 'out' / 'grades.csv')['alice']['score'] == score == '5'


def test_cli_batch_prints_progress_and_summary(tmp_path):
    klass = tmp_path / 'class'
    (klass / 'probe').mkdir(parents=True)
    (klass / 'stray.txt').write_text('x')
    # derivatives passes only where the student's code does not run as root
    (klass / 'probe' / 'derivatives.py').write_text('import os\nassert os.geteuid() != 0, "running as root"\n' +
                                                   (ROOT / 'solutions' / 'derivatives.py').read_text())
    result = CliRunner().invoke(main, ['batch', str(klass), '--out', str(tmp_path / 'out'), '--jobs', '1',
                                       '--check-seconds', '10'])
    assert result.exit_code == 0, result.output
    # Plain progress lines off a terminal, one per entry, in the order they finish (which the load decides).
    assert re.search(r'^[12]/2 stray\.txt not graded: not a folder', result.output, re.M), result.output
    assert re.search(r'^[12]/2 probe 5/', result.output, re.M), result.output
    assert 'Class summary: 2 submissions' in result.output and 'grades.csv' in result.output
    assert read_csv(tmp_path / 'out' / 'grades.csv')['probe']['derivatives'] == '5'
    bad = CliRunner().invoke(main, ['batch', str(klass), '--out', str(tmp_path / 'out'), '--check-seconds', '0'])
    assert bad.exit_code == 2 and '--check-seconds' in bad.output


def test_batch_refuses_to_grade_without_isolation_unless_allowed(tmp_path):
    klass = tmp_path / 'class'
    (klass / 'alice').mkdir(parents=True)
    (klass / 'alice' / 'derivatives.py').write_text((ROOT / 'solutions' / 'derivatives.py').read_text())
    refused = CliRunner().invoke(main, ['batch', str(klass), '--out', str(tmp_path / 'out'), '--isolation', 'none'])
    assert refused.exit_code == 2 and 'grades that count need kernel isolation' in refused.output, refused.output
    assert not (tmp_path / 'out').exists(), 'a refused batch writes nothing'
    allowed = CliRunner().invoke(main, ['batch', str(klass), '--out', str(tmp_path / 'out'), '--isolation', 'none',
                                        '--allow-unisolated'])
    assert allowed.exit_code == 0, allowed.output
    assert read_csv(tmp_path / 'out' / 'grades.csv')['alice']['derivatives'] == '5'


def test_cli_refuses_bad_folders(tmp_path):
    klass = tmp_path / 'class'
    klass.mkdir()
    missing = CliRunner().invoke(main, ['batch', str(tmp_path / 'nope'), '--out', str(tmp_path / 'out')])
    assert missing.exit_code == 2 and 'is not a folder of submissions' in missing.output
    inside = CliRunner().invoke(main, ['batch', str(klass), '--out', str(klass / 'out')])
    assert inside.exit_code == 2 and 'inside the submissions folder' in inside.output
    assert list(klass.iterdir()) == []
    empty = CliRunner().invoke(main, ['batch', str(klass), '--out', str(tmp_path / 'out')])
    assert empty.exit_code == 0 and 'No submissions found' in empty.output
    assert (tmp_path / 'out' / 'grades.csv').read_text().startswith('submission,score,max_score,')
    (tmp_path / 'afile').write_text('x')
    a_file = CliRunner().invoke(main, ['batch', str(klass), '--out', str(tmp_path / 'afile')])
    assert a_file.exit_code == 2 and "cannot make the folder --out" in a_file.output
    no_out = CliRunner().invoke(main, ['batch', str(klass)])
    assert no_out.exit_code == 2 and '--out' in no_out.output


def test_an_out_that_a_batch_did_not_write_is_refused_and_kept(tmp_path):
    klass = tmp_path / 'class'
    (klass / 'ann').mkdir(parents=True)
    shutil.copy(ROOT / 'solutions' / 'derivatives.py', klass / 'ann')
    mine = tmp_path / 'mine'
    (mine / 'grades.d').mkdir(parents=True)
    (mine / 'notes.txt').write_text('keep me')
    before = tree_hash(mine)
    refused = CliRunner().invoke(main, ['batch', str(klass), '--out', str(mine), '--allow-unisolated'])
    assert refused.exit_code == 2, refused.output
    assert (f"--out '{mine}' already holds files that no batch wrote (grades.d, notes.txt): choose a new folder"
            in ' '.join(refused.output.split())), refused.output
    assert tree_hash(mine) == before, 'nothing was written into it'
    graded = tmp_path / 'graded'
    first = run_batch(klass, graded, jobs=1, limits=FAST, allow_unisolated=True)
    assert first.graded == ['ann'] and (graded / 'grades.csv').is_file()
    (graded / 'grades.csv').unlink()
    (graded / 'summary.txt').unlink()
    again = run_batch(klass, graded, jobs=1, limits=FAST, allow_unisolated=True)  # a graded submission is enough
    assert again.skipped == ['ann'] and (graded / 'grades.csv').is_file()


def test_summary_is_the_same_whatever_order_submissions_finish_in():
    """Ties between checks, and between mistakes, are broken the same way on every run."""
    from grader.batch.reports import Outcome
    from grader.batch.summary import summarize, summary_text
    from grader.results import CheckResult, ExerciseResult, Feedback, Report

    def outcome(name, failing, misconception=''):
        exercises = [ExerciseResult(e.id, e.title, 0 if e.id in failing else e.points, e.points,
                                    'failed' if e.id in failing else 'passed',
                                    [CheckResult(f'{e.id} check', e.id not in failing,
                                                 Feedback('wrong', misconception=misconception)
                                                 if e.id in failing else None)])
                     for e in catalog.load()]
        return name, Outcome(Report(name, exercises, isolation='uid'))

    class_ = [outcome('ann', {'nn'}, 'neuron_no_bias'), outcome('ben', {'derivatives'}, 'derivative_no_run'),
              outcome('cat', {'softmax', 'nn'}, 'mlp_last_layer_linear'), outcome('dan', {'derivatives'})]
    texts = {summary_text(summarize(dict(order))) for order in (class_, class_[::-1], class_[1:] + class_[:1])}
    assert len(texts) == 1
    text = texts.pop()
    assert text.index('derivatives: derivatives check') < text.index('nn: nn check') < text.index('softmax: softmax')
    nn_mistakes = text[text.index('nn: nn check'):text.index('softmax: softmax')]
    assert nn_mistakes.index('a Neuron without its bias') < nn_mistakes.index("the MLP's last layer"), 'tied: by title'
    assert 'Isolation: uid for 4 submissions: the kernel isolated your code' in text
    assert 'mean 2.5/5' in text  # derivatives: two of four submissions earn 5


def test_a_notebooks_feedback_points_at_the_line_of_its_cell(tmp_path):
    """As in `grade check --notebook`: engine.py:N is line N of the cell, although the file graded has `import math`
    carried from the set-up cell above its first line."""
    import nbformat
    klass = tmp_path / 'class'
    klass.mkdir()
    path = build_notebook(ROOT / 'solutions', klass / 'nina.ipynb')
    nb = nbformat.read(path, as_version=4)
    engine = next(c for c in nb.cells if 'file:engine.py' in c.metadata.get('tags', []))
    assert engine.source.startswith('import math\n')
    engine.source = engine.source[len('import math\n'):].replace('Value(self.data * other.data', 'Value(self.data * other.dat')
    nb.cells.insert(1, nbformat.v4.new_code_cell('import math  # as in the lecture: imports at the top'))
    nbformat.write(nb, path)
    broken = next(i for i, line in enumerate(engine.source.splitlines(), 1) if 'other.dat,' in line)
    run_batch(klass, tmp_path / 'out', jobs=1, limits=FAST)
    report = json.loads((tmp_path / 'out' / 'nina.ipynb' / 'report.json').read_text())['report']
    exercise = next(e for e in report['exercises'] if e['id'] == 'forward_ops')
    where = {c['feedback']['where'] for c in exercise['checks'] if c['feedback']}
    assert where == {f'engine.py:{broken}'}, where
    assert f'[engine.py:{broken}]' in (tmp_path / 'out' / 'nina.ipynb' / 'feedback.txt').read_text()
