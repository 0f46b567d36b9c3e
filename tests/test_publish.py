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
