"""The concept quiz: graded from quiz.toml like any exercise, with explanations for wrong answers."""
import ast
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import catalog
from grader.checking.answers import letter_digests, number_digests
from grader.checks import quiz
from grader.cli import main
from grader.grading import grade
from grader.feedback.misconceptions import MISCONCEPTIONS

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
KEY = tomllib.loads((ROOT / 'solutions' / 'quiz.toml').read_text())
QUESTIONS = catalog.get('quiz').covers['quiz.toml']
STUB = (ROOT / 'exercises' / 'quiz.toml').read_text()


def line_of(key: str) -> int:
    return STUB.splitlines().index(f'{key} = ""') + 1


def answered(tmp_path, **answers) -> Path:
    """A submission whose quiz.toml is the stub with these answers (TOML values) filled in."""
    folder = tmp_path / 'sub'
    folder.mkdir(exist_ok=True)
    text = STUB
    for key, value in answers.items():
        text, count = re.subn(rf'^{key} = ""$', f'{key} = {value}', text, flags=re.MULTILINE)
        assert count == 1, key
    (folder / 'quiz.toml').write_text(text)
    return folder


def checks(folder: Path) -> dict:
    report = grade(folder, ['quiz'])
    return {c.name.split(':')[0]: c for c in report.exercises[0].checks} | {'': report.exercises[0]}


def test_the_stub_and_the_key_answer_the_same_questions():
    stub = tomllib.loads(STUB)
    assert list(stub) == list(KEY) == list(QUESTIONS)
    assert set(stub.values()) == {''}
    assert all(str(v).strip() for v in KEY.values())


def test_the_key_gets_full_marks_and_each_question_is_one_check(tmp_path):
    folder = tmp_path / 'key'
    folder.mkdir()
    shutil.copy(ROOT / 'solutions' / 'quiz.toml', folder)
    found = checks(folder)
    assert found[''].status == 'passed' and found[''].points == 10
    assert sorted(k for k in found if k) == sorted(QUESTIONS)


def test_unanswered_reads_as_not_answered_yet_with_the_line(tmp_path):
    found = checks(answered(tmp_path, q1='"b"'))
    assert found[''].status == 'not_implemented'
    assert found['q1'].passed
    fb = found['q2'].feedback
    assert (fb.kind, fb.summary, fb.where) == ('not_implemented', 'not answered yet: q2', f'quiz.toml:{line_of("q2")}')


def test_wrong_answers_show_beside_the_first_unanswered_one(tmp_path):
    """A quiz half answered shows its first empty answer, up to three wrong ones, and how many more fail."""
    from grader.feedback import render
    report = grade(answered(tmp_path, q1='"B"', q2='138', q3='"a"', q4='"two"'), ['quiz'])
    text = render.details(report.exercises[0], color=False)
    shown = re.findall(r'^ ✗ (q\d+):', text, flags=re.MULTILINE)
    assert shown == ['q5', 'q2', 'q3', 'q4'], text
    assert 'q4 = "two" is not a number' in text and text.endswith(' … and 5 more failing checks.')


def test_a_wrong_choice_teaches_without_giving_the_answer_away(tmp_path):
    found = checks(answered(tmp_path, **{k: _literal(v) for k, v in KEY.items() if k != 'q5'}, q5='"a"'))
    assert found[''].status == 'failed'
    assert [k for k, c in found.items() if k and not c.passed] == ['q5']
    fb = found['q5'].feedback
    assert fb.summary == 'q5: "a" is not right' and fb.kind == 'wrong'
    assert 'adds into .grad with +=' in fb.hint and not names_the_answer(fb.hint, 'c')


QUESTIONS_BY_KEY = {q.key: q for q in quiz.QUESTIONS}


def names_the_answer(text: str, answer) -> bool:
    """Whether text gives away this answer: its letter as a choice, or its number."""
    if isinstance(answer, str):
        return bool(re.search(rf'\banswer is {answer}\b|\({answer}\)|(?<![\w.]){answer}\)|\b{answer}\.\s', text, re.I))
    return bool(re.search(rf'(?<![\d.]){re.escape(f"{answer:g}")}(?![\d.])', text))


@pytest.mark.parametrize('key', list(KEY))
def test_no_explanation_names_the_right_answer(key):
    assert not names_the_answer(QUESTIONS_BY_KEY[key].why, KEY[key]), QUESTIONS_BY_KEY[key].why


def test_the_shipped_checks_hold_hashes_that_match_the_key_and_not_the_key():
    for key, answer in KEY.items():
        q = QUESTIONS_BY_KEY[key]
        want = letter_digests(key, answer) if isinstance(answer, str) else number_digests(key, answer, q.tolerance)
        assert q.digests == want, f'{key}: solutions/quiz.toml changed; its digests are now {want!r}'
    assert 'answer' not in {f for f in quiz.Question.__dataclass_fields__}
    tree = ast.parse(Path(quiz.__file__).read_text())
    for call in [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, 'id', '') == 'Question']:
        key = call.args[0].value
        held = [c.value for arg in call.args[1:] + [k.value for k in call.keywords if k.arg != 'traps']
                for c in ast.walk(arg) if isinstance(c, ast.Constant)]
        assert KEY[key] not in held, f'{key}: the shipped check holds its answer {KEY[key]!r}'


def test_a_symlinked_answers_file_is_refused_and_never_echoed(tmp_path):
    secret = tmp_path / 'secret.toml'
    secret.write_text('q1 = "b"\nq2 = "ROOT-ONLY SECRET"\n')
    folder = answered(tmp_path)
    (folder / 'quiz.toml').unlink()
    os.symlink(secret, folder / 'quiz.toml')
    report = grade(folder, ['quiz'])
    fb = report.exercises[0].checks[0].feedback
    assert fb.summary == 'quiz.toml is a link: hand in the file itself' and fb.kind == 'syntax'
    assert 'SECRET' not in repr(report) and report.score == 0


@pytest.mark.parametrize('content, summary', [
    ('q1 = ' + '[' * 5000 + ']' * 5000 + '\n', 'syntax error in quiz.toml'),
    ('q1 = ' + '{a = ' * 3000 + '1' + '}' * 3000 + '\n', 'syntax error in quiz.toml'),
    ('# ' + 'x' * 100_000 + '\n', 'quiz.toml is too large'),
])
def test_hostile_answers_files_are_the_students_syntax_error(tmp_path, content, summary):
    folder = answered(tmp_path)
    (folder / 'quiz.toml').write_text(content)
    fb = checks(folder)['q1'].feedback
    assert fb.summary.startswith(summary) and fb.kind == 'syntax', fb
    assert 'internal error' not in fb.summary


def test_an_answers_file_that_is_a_fifo_does_not_block(tmp_path):
    folder = tmp_path / 'sub'
    folder.mkdir()
    os.mkfifo(folder / 'quiz.toml')
    fb = checks(folder)['q1'].feedback
    assert fb.summary == 'quiz.toml is not a regular file' and fb.kind == 'syntax'


@pytest.mark.parametrize('given', ['"B"', '" b "', '"(b)"', '"b)"'])
def test_choices_ignore_case_space_and_parentheses(tmp_path, given):
    assert checks(answered(tmp_path, q1=given))['q1'].passed


@pytest.mark.parametrize('given,ok', [('0.138', True), ('"0.1385"', True), ('0.139', True), ('0.15', False),
                                      ('138', False), ('"about 0.14"', False), ('true', False)])
def test_numbers_have_a_tolerance(tmp_path, given, ok):
    c = checks(answered(tmp_path, q2=given))['q2']
    assert c.passed is ok, c.feedback
    if not ok and given in ('"about 0.14"', 'true'):
        assert 'is not a number' in c.feedback.summary and 'The answer' not in (c.feedback.hint or '')


def test_a_letter_that_is_not_a_choice_does_not_give_the_answer_away(tmp_path):
    fb = checks(answered(tmp_path, q1='"e"'))['q1'].feedback
    assert 'is not one of the choices' in fb.summary and not fb.hint


def test_invalid_toml_names_file_line_and_text(tmp_path):
    folder = answered(tmp_path)
    path = folder / 'quiz.toml'
    path.write_text(path.read_text().replace('q4 = ""', 'q4 = 2 (two paths)'))
    found = checks(folder)
    fb = found['q1'].feedback
    line = line_of('q4')
    assert fb.kind == 'syntax' and fb.where == f'quiz.toml:{line}', fb
    assert fb.summary.startswith(f'syntax error in quiz.toml:{line}: ') and 'at line' not in fb.summary
    assert fb.expression.strip() == 'q4 = 2 (two paths)'
    assert found[''].status == 'failed'


def test_missing_huge_and_binary_answer_files(tmp_path):
    empty = tmp_path / 'empty'
    empty.mkdir()
    assert checks(empty)['q1'].feedback.summary == 'quiz.toml is missing from the submission folder'
    huge = answered(tmp_path)
    (huge / 'quiz.toml').write_text('# ' + 'x' * 100_000 + '\n')
    assert 'too large' in checks(huge)['q1'].feedback.summary
    (huge / 'quiz.toml').write_bytes(b'q1 = "\xff"\n')
    assert 'not UTF-8' in checks(huge)['q1'].feedback.summary


def test_cli_shows_the_explanation(tmp_path):
    folder = answered(tmp_path, **{k: _literal(v) for k, v in KEY.items() if k != 'q8'}, q8='0.2929')
    result = CliRunner().invoke(main, ['check', 'quiz', '--submission', str(folder)])
    assert result.exit_code == 1
    assert '✗ q8: the derivative of tanh' in result.output
    assert f'Likely mistake: `1 - t` instead of `1 - t**2` (in quiz.toml:{line_of("q8")})' in result.output
    assert 'q8: 0.2929 is not right' in result.output
    assert 'Hint: d/dn tanh(n) = 1 - tanh(n)**2, and tanh(n) is the output o' in result.output


def _literal(value) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


@pytest.mark.parametrize('key,given,misconception', [
    ('q4', '1', 'assign_not_accumulate'),
    ('q8', '0.2231', 'tanh_uses_input'),
    ('q8', '0.2929', 'tanh_one_minus_t'),
    ('q9', '"d"', 'wrong_update_sign'),
    ('q8', '0.7071', ''),
])
def test_wrong_answers_that_reveal_a_known_mistake_name_it(tmp_path, key, given, misconception):
    fb = checks(answered(tmp_path, **{key: given}))[key].feedback
    assert fb.kind == 'wrong' and fb.misconception == misconception and fb.hint == QUESTIONS_BY_KEY[key].why
    if misconception:
        assert fb.diagnosis == MISCONCEPTIONS[misconception].explanation
