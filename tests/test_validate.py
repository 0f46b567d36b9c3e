"""`grade validate`: solutions pass, stubs fail, and every declared mutant is caught and explained."""
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.validation import mutants, validate
from grader.validation.render import text

ROOT = Path(__file__).resolve().parent.parent

MUTANTS = '''
[[mutant]]
id = "harmless"
misconception = "derivative_no_run"

[[mutant.patch]]
file = "derivatives.py"
old = "the slope of f at x: rise over run"
new = "the slope"

[[mutant]]
id = "caught_but_unexplained"
misconception = "no_zero_grad"

[[mutant.patch]]
file = "derivatives.py"
old = "return (f(x + h) - f(x)) / h"
new = "return (f(x + h) - f(x)) / h + 1"

[[mutant]]
id = "stale"

[[mutant.patch]]
file = "derivatives.py"
old = "this text is not in the solution"
new = ""

[[mutant]]
id = "typo"
misconception = "no_such_misconception"

[[mutant.patch]]
file = "derivatives.py"
old = "return (f(x + h) - f(x)) / h"
new = "return 0"
'''


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def solutions(tmp_path):
    shutil.copytree(ROOT / 'solutions', tmp_path / 'solutions', ignore=shutil.ignore_patterns('__pycache__'))
    return tmp_path / 'solutions'


def test_the_shipped_checks_validate():
    report = validate(ROOT / 'solutions', ['derivatives', 'backward'])
    assert report.ok, text(report)
    assert report.mutants == len(mutants.load('derivatives')) + len(mutants.load('backward')) >= 9
    assert text(report).startswith('validated 2 exercise(s) and ') and text(report).endswith('all good.')


def test_each_bad_mutant_is_reported_with_what_was_expected_and_shown(tmp_path, monkeypatch):
    (tmp_path / 'mutants').mkdir()
    (tmp_path / 'mutants' / 'derivatives.toml').write_text(MUTANTS)
    monkeypatch.setattr(mutants, 'MUTANTS_DIR', tmp_path / 'mutants')
    result = run('validate', 'derivatives')
    assert result.exit_code == 1
    out = result.output
    assert 'validated 1 exercise(s) and 4 mutant(s)' in out and '4 problem(s)' in out
    assert '1. [mutants] derivatives/harmless\n   expected: derivatives fails' in out
    assert 'shown:\n     | status passed\n     | every check of derivatives passes' in out
    assert '2. [mutants] derivatives/caught_but_unexplained\n   expected: feedback explaining no_zero_grad' in out
    assert 'numerical_derivative is rise over run' in out, 'the feedback the student would read is shown'
    assert '3. [mutants] derivatives/stale\n   expected: a patch that applies to solutions/ exactly once' in out
    assert 'but found 0; has solutions/derivatives.py changed?' in out
    assert '4. [mutants] derivatives/typo\n   expected: a misconception id from grader/feedback/misconceptions.py' in out


def test_a_stub_that_does_not_fail_its_exercise_is_reported(solutions):
    path = solutions / 'derivatives.py'
    source = path.read_text()
    source = '\n'.join(line for line in source.splitlines() if 'SOLUTION' not in line) + '\n'
    source = source.replace('    return 3*x**2 - 4*x + 5\n', '    # BEGIN SOLUTION derivatives: f\n'
                            '    return 3*x**2 - 4*x + 5\n    # END SOLUTION\n')
    path.write_text(source)
    report = validate(solutions, ['derivatives'])
    assert [(p.stage, p.subject) for p in report.problems] == [('stubs', 'derivatives')], text(report)
    assert "expected: its untouched stub reads 'not implemented yet'" in text(report)
    assert 'status passed' in report.problems[0].shown


def test_a_failing_solution_and_an_unmarked_exercise_are_reported(solutions):
    path = solutions / 'derivatives.py'
    path.write_text('\n'.join(line for line in path.read_text().splitlines() if 'SOLUTION' not in line)
                    .replace('(2 * h)', '(3 * h)') + '\n')
    report = validate(solutions, ['derivatives'])
    stages = {p.stage: p for p in report.problems}
    assert 'no marked region for derivatives' in stages['markers'].shown
    assert stages['solutions'].subject == 'derivatives' and 'symmetric' in stages['solutions'].shown


def test_bad_input_gets_a_clear_message(tmp_path):
    result = run('validate', 'derivativs')
    assert result.exit_code == 2 and "unknown exercise 'derivativs'. Did you mean: derivatives" in result.output
    result = run('validate', '--solutions', tmp_path / 'nothere')
    assert result.exit_code == 2 and "there is no solutions folder" in result.output


@pytest.mark.parametrize('content, problem', [
    ('[[mutant]]\nid = "x"\nold = "unclosed\n', 'derivatives.toml: '),
    ('[[mutant]]\nid = "x"\n', "derivatives.toml: mutant #1 lacks 'patch'"),
])
def test_an_unreadable_mutants_file_is_a_problem_not_a_crash(tmp_path, monkeypatch, content, problem):
    (tmp_path / 'derivatives.toml').write_text(content)
    monkeypatch.setattr(mutants, 'MUTANTS_DIR', tmp_path)
    result = run('validate', 'derivatives')
    assert result.exit_code == 1
    assert '[mutants] derivatives\n   expected: a mutants file that reads as TOML mutants' in result.output
    assert problem in result.output
