"""Stubs are generated from marked solutions; publishing never loses an edited file."""
from pathlib import Path

import pytest

from grader.publish import MarkerError, PublishError, generate, pristine_stub, published, student_files
from grader.publish.markers import regions, stub_text

ROOT = Path(__file__).resolve().parent.parent

SOLUTION = '''def f(x):
    # double it
    # BEGIN SOLUTION demo: f
    return 2 * x
    # END SOLUTION
'''


@pytest.mark.counts
def test_committed_exercises_are_exactly_what_publish_generates():
    files = published(ROOT / 'solutions')
    for name, text in files.items():
        assert (ROOT / 'exercises' / name).read_text(encoding='utf-8') == text, f'exercises/{name} is stale: run grade publish'
    committed = {p.name for p in (ROOT / 'exercises').iterdir() if not p.name.startswith(('.', '__'))}
    assert committed == set(files), 'exercises/ holds files publish does not generate (or lacks some)'


def test_a_region_becomes_a_raise_naming_the_exercise_and_keeps_the_comment_above():
    assert stub_text(SOLUTION) == 'def f(x):\n    # double it\n    raise NotImplementedError("demo: f")\n'


def test_stub_lines_replace_a_region_in_a_data_file():
    toml = '# Q1: what is 2 + 2?\n# BEGIN SOLUTION quiz\nq1 = "4"\n# STUB: q1 = ""\n# END SOLUTION\n'
    assert stub_text(toml) == '# Q1: what is 2 + 2?\nq1 = ""\n'


def test_only_the_chosen_exercises_regions_are_stubbed():
    two = SOLUTION + SOLUTION.replace('demo: f', 'other: f').replace('def f', 'def g')
    text = stub_text(two, only={'other'})
    assert 'raise NotImplementedError("other: f")' in text and 'return 2 * x' in text
    assert 'SOLUTION' not in text and 'demo' not in text


@pytest.mark.parametrize('text, problem', [
    ('# BEGIN SOLUTION demo: f\nx = 1\n', 'line 1: BEGIN SOLUTION is never closed'),
    ('x = 1\n# END SOLUTION\n', 'line 2: END SOLUTION without a BEGIN'),
    ('# BEGIN SOLUTION demo: a\n# BEGIN SOLUTION demo: b\n# END SOLUTION\n', 'line 2: BEGIN SOLUTION inside the region opened at line 1'),
    ('# BEGIN SOLUTION\nx = 1\n# END SOLUTION\n', 'line 1: BEGIN SOLUTION needs an exercise id'),
    ('# BEGIN SOLUTION demo\nx = 1\n# END SOLUTION\n', 'line 1: say what the student writes'),
])
def test_bad_markers_name_the_file_and_line(text, problem):
    with pytest.raises(MarkerError, match=problem.replace('line ', 'bad.py:', 1)):
        regions(text, 'bad.py')


@pytest.mark.counts
def test_every_region_names_a_catalog_exercise():
    from grader import catalog
    ids = {e.id for e in catalog.load()}
    for name in student_files():
        for r in regions((ROOT / 'solutions' / name).read_text(), name):
            assert r.exercise in ids, f'{name}:{r.start + 1} names {r.exercise!r}, which is not in the catalog'


def test_pristine_stub_is_the_generated_stub():
    assert pristine_stub('engine.py') == generate(ROOT / 'solutions')['engine.py']
    with pytest.raises(PublishError, match='not a student file'):
        pristine_stub('nothere.py')


# Publishing into exercises/: the guard against losing a student's or an instructor's edits.

def run(*args):
    from click.testing import CliRunner
    from grader.cli import main
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def project(tmp_path):
    """A copy of solutions/, and an exercises/ folder published from it."""
    import shutil
    shutil.copytree(ROOT / 'solutions', tmp_path / 'solutions', ignore=shutil.ignore_patterns('__pycache__'))
    result = run('publish', '--solutions', tmp_path / 'solutions', '--exercises', tmp_path / 'exercises')
    assert result.exit_code == 0, result.output
    return tmp_path


def test_publish_writes_every_file_then_nothing_the_second_time(project):
    files = published(project / 'solutions')
    assert sorted(p.name for p in (project / 'exercises').iterdir()) == sorted([*files, '.published.json'])
    result = run('publish', '--solutions', project / 'solutions', '--exercises', project / 'exercises')
    assert result.exit_code == 0 and f'0 written, {len(files)} unchanged' in result.output


def test_publish_refuses_to_overwrite_an_edited_file_and_names_it(project):
    engine = project / 'exercises' / 'engine.py'
    engine.write_text(engine.read_text() + '# my work\n')
    nn_before = (project / 'exercises' / 'nn.py').read_text()
    (project / 'solutions' / 'nn.py').write_text((project / 'solutions' / 'nn.py').read_text() + '\n# changed\n')
    result = run('publish', '--solutions', project / 'solutions', '--exercises', project / 'exercises')
    assert result.exit_code == 1
    assert 'changed since they were published: engine.py. Nothing was written' in result.output
    assert '--force' in result.output
    assert engine.read_text().endswith('# my work\n'), 'the edit was lost'
    assert (project / 'exercises' / 'nn.py').read_text() == nn_before, 'a refused publish still wrote files'


def test_force_backs_up_the_edited_file_first_and_says_where(project):
    engine = project / 'exercises' / 'engine.py'
    edited = engine.read_text() + '# my work\n'
    engine.write_text(edited)
    result = run('publish', '--solutions', project / 'solutions', '--exercises', project / 'exercises', '--force')
    assert result.exit_code == 0, result.output
    backups = list(project.glob('exercises-backup-*'))
    assert len(backups) == 1 and f'backed up engine.py to {backups[0]}' in result.output
    assert (backups[0] / 'engine.py').read_text() == edited
    assert [p.name for p in backups[0].iterdir()] == ['engine.py'], 'only changed files are backed up'
    assert engine.read_text() == generate(project / 'solutions')['engine.py']


def test_a_changed_solution_republishes_files_nobody_edited(project):
    """The manifest knows what was generated: a stale stub is not mistaken for a student's edit."""
    solution = project / 'solutions' / 'softmax.py'
    solution.write_text(solution.read_text().replace('def softmax(logits):\n', 'def softmax(logits):\n    # exp, sum, /\n'))
    result = run('publish', '--solutions', project / 'solutions', '--exercises', project / 'exercises')
    assert result.exit_code == 0 and ' 0 written' not in result.output, result.output
    assert '# exp, sum, /' in (project / 'exercises' / 'softmax.py').read_text()


def test_without_a_manifest_only_files_that_differ_from_the_new_stubs_count_as_edited(project):
    (project / 'exercises' / '.published.json').unlink()
    (project / 'exercises' / 'train.py').write_text('# mine\n')
    result = run('publish', '--solutions', project / 'solutions', '--exercises', project / 'exercises')
    assert result.exit_code == 1 and 'published: train.py.' in result.output


def test_an_interrupted_publish_leaves_every_file_whole(project, monkeypatch):
    import os
    from grader.publish import write
    before = {p.name: p.read_text() for p in (project / 'exercises').iterdir()}
    (project / 'solutions' / 'nn.py').write_text((project / 'solutions' / 'nn.py').read_text() + '\n# new\n')

    def interrupted(src, dst):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, 'replace', interrupted)
    with pytest.raises(KeyboardInterrupt):
        write.publish(project / 'solutions', project / 'exercises')
    monkeypatch.undo()
    after = {p.name: p.read_text() for p in (project / 'exercises').iterdir()}
    assert after == before


def test_bad_input_gets_a_clear_message(project, tmp_path):
    result = run('publish', '--solutions', tmp_path / 'nothere', '--exercises', project / 'exercises')
    assert result.exit_code == 2 and "there is no solutions folder" in result.output
    (project / 'solutions' / 'train.py').unlink()
    result = run('publish', '--solutions', project / 'solutions', '--exercises', project / 'exercises')
    assert result.exit_code == 1 and 'train.py is missing: the catalog lists train.py' in result.output
    (project / 'solutions' / 'train.py').write_text('# BEGIN SOLUTION training: train\nx = 1\n')
    result = run('publish', '--solutions', project / 'solutions', '--exercises', project / 'exercises')
    assert result.exit_code == 1 and 'train.py:1: BEGIN SOLUTION is never closed' in result.output
