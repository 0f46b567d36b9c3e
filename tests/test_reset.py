"""grade reset: one exercise's stubs go back, the rest of the student's file stays, a backup is kept."""
from __future__ import annotations

import ast

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.grading import grade
from grader.loop.reset import ResetError, reset, splice
from mutate import make_submission

STUB = '''import math


class Value:

    def __init__(self, data):
        self.data = data

    def __add__(self, other):
        raise NotImplementedError("forward_ops: Value.__add__")

    def exp(self):
        raise NotImplementedError("local_backward: Value.exp")


def helper():
    raise NotImplementedError("x: helper")
'''

MINE = '''import math  # my own comment


class Value:

    def __init__(self, data):
        self.data = data  # untouched

    @staticmethod
    def mine():
        return 'kept'

    def __add__(self, other):
        return Value(self.data + other.data)  # my attempt

    def exp(self):
        return Value(math.exp(self.data))


def helper():
    return 42
'''


def test_splice_replaces_only_the_symbols_named():
    out = splice(MINE, STUB, ['Value.__add__', 'helper'], 'engine.py')
    assert 'raise NotImplementedError("forward_ops: Value.__add__")' in out
    assert 'raise NotImplementedError("x: helper")' in out and 'return 42' not in out
    for kept in ('# my own comment', '# untouched', "return 'kept'", 'return Value(math.exp(self.data))'):
        assert kept in out
    assert 'my attempt' not in out
    ast.parse(out)


def test_splice_puts_back_a_deleted_method_and_follows_the_students_indentation():
    two_spaces = 'class Value:\n  def __init__(self, data):\n    self.data = data\n'
    out = splice(two_spaces, STUB, ['Value.__add__', 'Value.exp'], 'engine.py')
    tree = ast.parse(out)
    methods = [n.name for n in tree.body[0].body]
    assert methods == ['__init__', '__add__', 'exp']
    assert '  def __add__(self, other):\n      raise NotImplementedError' in out


def test_splice_refuses_a_file_it_cannot_parse():
    with pytest.raises(ResetError, match=r'your engine.py has a syntax error at line 2 .*Nothing was changed'):
        splice('class Value:\n    def __add__(self\n', STUB, ['Value.__add__'], 'engine.py')


def test_reset_shared_symbols_keeps_a_backup_and_grades_as_a_stub(tmp_path):
    folder = make_submission(tmp_path)
    before = (folder / 'engine.py').read_text()
    result = reset(folder, 'forward_ops')
    assert result.symbols == {'engine.py': ['Value.__add__', 'Value.__mul__']}
    assert result.shared == {'local_backward': ['Value.__add__', 'Value.__mul__']}
    assert result.backups['engine.py'].parent == folder / '.backups'
    assert result.backups['engine.py'].read_text() == before
    after = (folder / 'engine.py').read_text()
    assert 'raise NotImplementedError("forward_ops: Value.__add__")' in after
    assert 'for v in reversed(topo):' in after, 'backward() is not part of forward_ops and stays'
    report = grade(folder, ['derivatives', 'forward_ops'])
    assert [e.status for e in report.exercises] == ['passed', 'not_implemented']
    (folder / 'engine.py').write_text(after.replace('raise NotImplementedError("forward_ops: Value.__add__")',
                                                    "out = Value(self.data + other.data, (self, other), '+')"))
    second = reset(folder, 'forward_ops')
    assert second.backups['engine.py'] != result.backups['engine.py'], 'an earlier backup is never overwritten'


def test_a_file_it_cannot_splice_changes_nothing(tmp_path):
    folder = make_submission(tmp_path)
    (folder / 'train.py').write_text('def train(\n')
    with pytest.raises(ResetError):
        reset(folder, 'training')
    assert (folder / 'train.py').read_text() == 'def train(\n' and not (folder / '.backups').exists()


def test_reset_command(tmp_path):
    folder = make_submission(tmp_path)
    result = CliRunner().invoke(main, ['reset', 'local_backward', '--submission', str(folder)])
    assert result.exit_code == 0, result.output
    assert 'Value.__pow__' in result.output and 'also resets your work on forward_ops' in result.output
    assert f"Your previous engine.py is saved as {folder / '.backups'}" in result.output
    quiz = CliRunner().invoke(main, ['reset', 'quiz', '--submission', str(folder)])
    assert quiz.exit_code == 0 and 'quiz.toml: the whole file' in quiz.output
    unknown = CliRunner().invoke(main, ['reset', 'forward_op', '--submission', str(folder)])
    assert unknown.exit_code == 2 and 'Did you mean: forward_ops' in unknown.output
    broken = folder / 'nn.py'
    broken.write_text(broken.read_text() + '\ndef oops(:\n')
    failed = CliRunner().invoke(main, ['reset', 'nn', '--submission', str(folder)])
    assert failed.exit_code == 1 and 'syntax error at line' in failed.output and 'Nothing was changed' in failed.output


def test_a_file_that_is_not_utf8_is_a_clear_error_and_changes_nothing(tmp_path):
    folder = make_submission(tmp_path)
    engine = folder / 'engine.py'
    engine.write_bytes(engine.read_bytes() + b'# caf\xe9\n')
    before = engine.read_bytes()
    result = CliRunner().invoke(main, ['reset', 'forward_ops', '--submission', str(folder)])
    assert result.exit_code == 1 and 'your engine.py is not UTF-8 text (line' in result.output, result.output
    assert engine.read_bytes() == before and not (folder / '.backups').exists()


def test_a_reset_of_what_is_the_stub_already_writes_nothing(tmp_path):
    folder = make_submission(tmp_path)
    assert reset(folder, 'forward_ops').backups, 'the first reset puts the stubs back'
    backups = set((folder / '.backups').iterdir())
    before = (folder / 'engine.py').read_bytes()
    result = CliRunner().invoke(main, ['reset', 'forward_ops', '--submission', str(folder)])
    assert result.exit_code == 0 and result.output == (
        f'{folder / "engine.py"} holds the stub of forward_ops already (Value.__add__, Value.__mul__): '
        'nothing to put back\n')
    assert (folder / 'engine.py').read_bytes() == before and set((folder / '.backups').iterdir()) == backups
