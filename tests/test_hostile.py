"""The hostile corpus (tests/hostile/cases.toml): each submission is denied credit it did not earn,
told why, and leaves no process and no changed file behind, while grading carries on. Every case
runs at each isolation level this machine has (namespaces, uid, none), except those that only the
kernel can stop, which skip level none: there the grade is feedback only, as the report says."""
import os
import shutil
import sysconfig
import time
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import explain, result
from grader.feedback import render
from grader.grading import grade
from grader.sandbox.isolation import why_not
from grader.sandbox.runner import Limits
from hostile.processes import children_of_this_process, processes_mentioning
from mutate import make_submission

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / 'hostile'
CASES = tomllib.loads((HOSTILE / 'cases.toml').read_text())['case']
LIMITS = Limits(submission_seconds=30.0)
LEVELS = ('namespaces', 'uid', 'none')
ESCAPE = (HOSTILE / 'escape.py').read_text()
PURELIB = Path(sysconfig.get_path('purelib'))
MUL = "        out = Value(self.data * other.data, (self, other), '*')"
SECONDS = 10  # the bound on a case's whole grading, in time limits per check


def build(case, tmp_path, marker):
    """The case's submission, next to a sibling submission, a fake installed micrograd and a victim file."""
    (tmp_path / 'other').mkdir()
    (tmp_path / 'other' / 'engine.py').write_text('# another student\n')
    site = tmp_path / 'site-packages' / 'micrograd'
    site.mkdir(parents=True)
    (site / '__init__.py').write_text('')
    shutil.copyfile(ROOT / 'micrograd_ref' / 'engine.py', site / 'engine.py')
    (tmp_path / 'victim.txt').write_text('must survive\n')
    file = case.get('file', 'engine.py')
    sub = make_submission(tmp_path, [(file, *case['patch'])] if 'patch' in case else [])
    if case.get('stubs'):  # the untouched stubs, as handed out
        for stub in (ROOT / 'exercises').glob('*.py'):
            shutil.copyfile(stub, sub / stub.name)
    places = {'MARKER': marker, 'ROOT': str(ROOT), 'SITE': str(site.parent),
              'OUTSIDE': str(tmp_path / 'outside.txt'), 'VICTIM': str(tmp_path / 'victim.txt'),
              'SIBLING': str(tmp_path / 'other' / 'engine.py'), 'PURELIB': str(PURELIB),
              'GRADER': str(os.getpid())}
    snippet = (HOSTILE / case['snippet']).read_text()
    if case.get('escape'):
        snippet = ESCAPE + '\n' + snippet
    for key, value in places.items():
        snippet = snippet.replace(f'@{key}@', value)
    path = sub / file
    code = path.read_text()
    at = case.get('at', 'import')
    if at == 'call':
        assert code.count(MUL) == 1, 'solutions/engine.py changed: update MUL'
        code = snippet + '\n' + code.replace(MUL, MUL + '\n        hostile()')
    path.write_text({'import': snippet + '\n' + code, 'end': code + '\n' + snippet,
                     'replace': snippet, 'call': code}[at])
    return sub


def files_outside(tmp_path, sub):
    """Every file under tmp_path but outside the submission, with its content."""
    return {p: p.read_bytes() for p in tmp_path.rglob('*') if p.is_file() and sub not in p.parents}


def level_case_params():
    for level in LEVELS:
        for case in CASES:
            marks = [pytest.mark.skipif(bool(why_not(level)), reason=f'{level}: {why_not(level)}')]
            if level not in case.get('levels', LEVELS):
                marks.append(pytest.mark.skip(reason=f'only the kernel stops this: level {level} is feedback only'))
            yield pytest.param(level, case, marks=marks, id=f"{level}-{case['name']}")


@pytest.mark.parametrize('level, case', list(level_case_params()))
def test_hostile_submission_is_contained(level, case, tmp_path, capfd):
    marker = f'hostile-{os.getpid()}-{time.time_ns()}'
    sub = build(case, tmp_path, marker)
    before = files_outside(tmp_path, sub)
    exercises = case.get('exercises', ['forward_ops', 'derivatives'])
    start = time.monotonic()
    check_seconds = case.get('check_seconds', 5.0)
    report = grade(sub, exercises, replace(LIMITS, isolation=level, check_seconds=check_seconds))
    assert report.isolation == level
    assert time.monotonic() - start < case.get('seconds', SECONDS * check_seconds), 'grading must stay bounded'

    if case.get('full_marks'):
        assert report.full_marks, explain(report)
    else:
        forward = result(report, 'forward_ops')
        assert forward.points == 0 and not report.full_marks, explain(report)
        if case.get('stubs'):
            assert report.score == 0, explain(report)
        feedback = forward.first_failure.feedback
        shown = '\n'.join(render.feedback_text(feedback))
        assert feedback.kind in case['kind'], shown
        assert any(' '.join(reason.split()) in ' '.join(shown.split()) for reason in case['reason']), shown
        for other in [] if case.get('stubs') else exercises:  # untouched stubs score 0 everywhere
            if other not in ('forward_ops', 'local_backward'):
                assert result(report, other).passed, f'grading did not carry on:\n{explain(report)}'

    assert processes_mentioning(marker) == [], 'a process the submission started is still running'
    assert children_of_this_process() == [], 'the sandbox left a child running'
    assert files_outside(tmp_path, sub) == before, 'a file outside the submission changed'
    assert list(PURELIB.glob(f'*{marker}*')) == [], "a file was planted in the grader's environment"
    out, err = capfd.readouterr()
    assert '75 passed' not in out + err, "the submission wrote into the grader's own output"
