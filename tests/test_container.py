"""The grading image's Containerfile, linted as far as a machine without a container engine can.

No test here builds the image: CI has no Docker engine. What the image runs (setup.sh, run_autograder,
grade-prairielearn) is run for real, without a container, in test_export.py and test_prairielearn.py.
"""
import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.export.image import ENTRYPOINT
from grader.publish.markers import BEGIN

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope='module')
def context(tmp_path_factory):
    out = tmp_path_factory.mktemp('image') / 'context'
    result = CliRunner().invoke(main, ['export', 'image', '--out', str(out)])
    assert result.exit_code == 0 and f'into {out}' in result.output, result.output
    return out


def instructions(containerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each instruction, continuation lines joined, comments left out."""
    text = re.sub(r'\\\n', ' ', containerfile.read_text())
    return [tuple(line.split(None, 1)) for line in text.splitlines() if line.strip() and not line.lstrip().startswith('#')]


def test_it_copies_only_what_the_export_wrote_and_no_solutions(context):
    copied = [word for op, args in instructions(context / 'Containerfile') if op in ('COPY', 'ADD')
              for word in shlex.split(args)[:-1]]
    assert copied == ['setup.sh', 'run_autograder', 'grade-prairielearn', 'grader-src']
    assert all((context / name).exists() for name in copied)
    assert not [op for op, _ in instructions(context / 'Containerfile') if op == 'ADD'], 'ADD could fetch from anywhere'
    names = {p.name for p in context.rglob('*')}
    assert not names & {'solutions', 'tests', 'mutants', 'validation', 'scaffold.py', 'exercises', 'stubs'}
    solution_names = {p.name for p in (ROOT / 'solutions').iterdir()}
    for path in context.rglob('*'):
        if path.is_file() and path.suffix in ('.py', '.toml', ''):
            assert not any(BEGIN.match(line) for line in path.read_text().splitlines()), f'{path} holds a solution marker'
            assert not (path.name in solution_names and path.read_bytes() == (ROOT / 'solutions' / path.name).read_bytes())


def test_it_installs_the_entry_points_that_the_platforms_name(context):
    steps = ' '.join(args for op, args in instructions(context / 'Containerfile') if op == 'RUN')
    assert 'bash /autograder/source/setup.sh' in steps  # the same install Gradescope runs, bubblewrap included
    assert f'install -m 0755 /autograder/source/grade-prairielearn {ENTRYPOINT}' in steps
    assert 'install -m 0755 /autograder/source/run_autograder /autograder/run_autograder' in steps
    assert 'apt-get install -y -qq bubblewrap' in (context / 'setup.sh').read_text()
    assert ('ENTRYPOINT', '["grade"]') in instructions(context / 'Containerfile')


def test_it_grades_as_a_non_root_user_unless_built_for_root(context):
    found = instructions(context / 'Containerfile')
    assert ('ARG', 'GRADING_USER=grader') in found and found[-3:][0] == ('USER', '${GRADING_USER}')
    steps = ' '.join(args for op, args in found if op == 'RUN')
    assert 'useradd --create-home --uid 10001' in steps and 'chown -R "$GRADING_USER" /opt/micrograd-grader' in steps
    assert [op for op, _ in found].index('USER') > [op for op, _ in found].index('RUN'), 'installs run as root'


def test_the_image_context_and_the_prairielearn_setup_share_one_containerfile(context, tmp_path):
    CliRunner().invoke(main, ['export', 'prairielearn', '--out', str(tmp_path / 'pl')])
    assert (tmp_path / 'pl' / 'Containerfile').read_bytes() == (context / 'Containerfile').read_bytes()
    assert 'docs/container.md' in (context / 'README.md').read_text()


BUILD_OPTIONS_WITH_VALUES = {'-f', '--file', '-t', '--tag', '--build-arg', '--target', '--platform'}


def build_commands(text: str) -> list[list[str]]:
    """Every `docker build ...` written in a text, as its words: comments, `&&` and `cd DIR &&` handled."""
    found = []
    for line in text.splitlines():
        for part in line.split('docker build')[1:]:
            command = re.split(r'&&|`| # |\)', part)[0]
            found.append(['docker', 'build', *shlex.split(command)])
    return found


def named_file_and_context(words: list[str]) -> tuple[str | None, str]:
    """The file a build command names with -f (None without one), and its build context."""
    named, positional, i = None, [], 2
    while i < len(words):
        word = words[i]
        if word in BUILD_OPTIONS_WITH_VALUES:
            named = words[i + 1] if word in ('-f', '--file') else named
            i += 2
            continue
        if not word.startswith('-'):
            positional.append(word)
        i += 1
    return named, positional[-1]


def test_every_documented_build_command_names_the_file_the_export_writes(context, tmp_path):
    """Docker looks for a Dockerfile: a build of the exported context must name its Containerfile with -f."""
    from grader.export.image import CONTAINERFILE
    assert (context / CONTAINERFILE).is_file()
    CliRunner().invoke(main, ['export', 'prairielearn', '--out', str(tmp_path / 'pl')])
    said = CliRunner().invoke(main, ['export', 'image', '--out', str(tmp_path / 'again')]).output
    texts = {'README.md': (ROOT / 'README.md').read_text(), 'the export image message': said,
             **{f'docs/{p.name}': p.read_text() for p in (ROOT / 'docs').glob('*.md')},
             **{f'exported {p.name}': p.read_text() for p in (context / 'README.md', context / CONTAINERFILE)},
             'exported prairielearn README.md': (tmp_path / 'pl' / 'README.md').read_text()}
    commands = [(where, words) for where, text in texts.items() for words in build_commands(text)]
    assert {'README.md', 'docs/container.md', 'docs/prairielearn.md', 'exported README.md',
            'exported prairielearn README.md', 'the export image message'} <= {where for where, _ in commands}
    for where, words in commands:
        named, build_context = named_file_and_context(words)
        assert named is not None, f'{where}: `{shlex.join(words)}` does not name the {CONTAINERFILE} (-f)'
        assert os.path.normpath(named) == os.path.normpath(os.path.join(build_context, CONTAINERFILE)), \
            f'{where}: `{shlex.join(words)}` names {named}, not the {CONTAINERFILE} in {build_context}'
