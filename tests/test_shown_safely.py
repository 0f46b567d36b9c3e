"""Hostile strings from a submission reach the terminal, grades.csv and the batch's files harmless."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader import catalog
from grader.batch.run import run_batch
from grader.sandbox.isolation import why_not
from grader.sandbox.limits import Limits
from mutate import make_submission

ROOT = Path(__file__).resolve().parent.parent
NUMERICAL = 'return (f(x + h) - f(x)) / h'
# An exception class whose name clears the screen and paints a full score.
FAKE_TOTAL = ("raise type('\\x1b[2J\\x1b[H\\x1b[32mTotal: 85/85\\x1b[0m\\r', (Exception,), {})"
              "('\\x1b[1A\\rTotal: 85/85 \\x07')")


@pytest.fixture(params=['namespaces', 'uid'])
def level(request):
    """Each case at both kernel levels: what reaches the instructor must not depend on the level."""
    if why_not(request.param):
        pytest.skip(why_not(request.param))
    return request.param


def grade_cli(folder: Path, level: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', 'grader', 'check', 'derivatives', '--submission', str(folder),
                           '--isolation', level, *args], capture_output=True, cwd=folder.parent,
                          env={**os.environ, 'PYTHONPATH': str(ROOT), 'PYTHONIOENCODING': 'utf-8'})


def test_an_exception_name_with_escape_codes_cannot_paint_a_fake_total(tmp_path, level):
    folder = make_submission(tmp_path, [('derivatives.py', NUMERICAL, FAKE_TOTAL)])
    done = grade_cli(folder, level)
    out = done.stdout.decode('utf-8')
    assert done.returncode == 1 and b'\x1b' not in done.stdout and b'\r' not in done.stdout and b'\x07' not in done.stdout
    totals = [line for line in out.splitlines() if line.startswith('Total:')]
    assert totals == ['Total: 3.33/5'], out  # only the real one starts a line
    assert '   your code raised Total: 85/85 :  Total: 85/85 \ufffd [derivatives.py:8]' in out  # on one indented line
    for fmt in ('json', 'gradescope'):
        strings = _strings(json.loads(grade_cli(folder, level, '--format', fmt).stdout))
        assert not [s for s in strings if '\x1b' in s or '\r' in s or '\x07' in s], fmt


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in _strings(k) + _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


def test_a_lone_surrogate_in_an_error_message_and_in_printed_output_is_shown_escaped(tmp_path, level):
    message = "raise ValueError('bad \\udc80 byte')"
    printed = ("import sys\n    sys.stdout.buffer.write(b'printed \\xed\\xb2\\x80 bytes\\n'); sys.stdout.flush()\n"
               "    while True:\n        pass")
    symmetric = 'return (f(x + h) - f(x - h)) / (2 * h)'
    folder = make_submission(tmp_path, [('derivatives.py', NUMERICAL, message), ('derivatives.py', symmetric, printed)])
    done = grade_cli(folder, level, '--check-seconds', '1')
    out = done.stdout.decode('utf-8')
    assert done.returncode == 1 and b'Traceback' not in done.stderr, done.stderr.decode('utf-8', 'replace')
    assert 'your code raised ValueError: bad \\udc80 byte' in out
    report = json.loads(grade_cli(folder, level, '--check-seconds', '1', '--format', 'json').stdout)
    outputs = [c['feedback']['output'] for e in report['exercises'] for c in e['checks'] if c['feedback']]
    assert any('printed \ufffd\ufffd\ufffd bytes' in o for o in outputs), outputs


@pytest.mark.counts
def test_folder_names_cannot_forge_formulas_or_rows_in_grades_csv(tmp_path, level):
    klass = tmp_path / 'class'
    klass.mkdir()
    # The last two are spelled as the first and third are written: the column must still tell them apart.
    names = ['\tTAB', '\rCR', '=HYPERLINK("x")', '-2+3', 'two\nlines', 'ok', '\\tTAB', "'=HYPERLINK(\"x\")"]
    for name in names:
        (klass / name).mkdir()
        (klass / name / 'derivatives.py').write_text((ROOT / 'solutions' / 'derivatives.py').read_text())
    run_batch(klass, tmp_path / 'out', jobs=1, limits=Limits(check_seconds=5, isolation=level))
    text = (tmp_path / 'out' / 'grades.csv').read_text()
    with open(tmp_path / 'out' / 'grades.csv', newline='') as f:
        rows = list(csv.reader(f))
    assert len(rows) == len(names) + 1, text  # no row forged by a line break in a name
    cells = sorted(row[0] for row in rows[1:])
    assert cells == sorted(['\\tTAB', '\\rCR', "'=HYPERLINK(\"x\")", "'-2+3", 'two\\nlines', 'ok', '\\\\tTAB',
                            "''=HYPERLINK(\"x\")"])
    for cell in cells:
        assert not cell.startswith(('=', '+', '-', '@', '\t', '\r')), cell
    summary = (tmp_path / 'out' / 'summary.txt').read_text()
    assert '\t' not in summary and '\r' not in summary
    for name in names:
        feedback = (tmp_path / 'out' / name / 'feedback.txt').read_text()
        score = f": {catalog.get('derivatives').points}/{sum(e.points for e in catalog.load())}"
        assert feedback.splitlines()[0].endswith(score) and '\r' not in feedback and '\tTAB' not in feedback
