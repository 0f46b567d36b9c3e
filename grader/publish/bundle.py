"""The student bundle: stubs, the grader and the reference engine, ready to hand out; no solutions."""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import micrograd_ref
from grader import catalog
from grader.catalog import PACKAGE_DIR
from grader.publish.generate import PublishError, published, student_files
from grader.publish.markers import BEGIN, END, STUB

PROJECT_DIR = PACKAGE_DIR.parent
IMAGE = re.compile(r'!\[[^\]]*\]\(([^)\s]+)\)')
# Instructor tooling stays home: mutants quote solution lines, and scaffolding writes marked solutions.
INSTRUCTOR_ONLY = ('mutants', 'validation', 'scaffold.py', 'stubs')
FORBIDDEN = ('solutions', 'tests', 'benchmarks', 'mutants')
CONTRACT = Path('docs') / 'contract'  # what the checks read, which every stub links: the only docs students get

README_HEAD = """# micrograd exercises

Rebuild [micrograd](https://github.com/karpathy/micrograd), the tiny scalar autograd engine from
*The spelled-out intro to neural networks and backpropagation*, one graded exercise at a time.

## Set up

```bash
python -m venv .venv && . .venv/bin/activate && pip install -e .   # install (Python 3.10 to 3.13)
grade                                                             # grade your work in exercises/
```

Drawing graphs as SVG or PNG also needs Graphviz's `dot` program (`apt-get install graphviz`,
`brew install graphviz`, or <https://graphviz.org/download/>).
"""


class BundleTarget(PublishError):
    """The folder named for the bundle cannot take it: it is not empty, or it is inside the grader."""


@dataclass
class BundleResult:
    """Where the bundle went and what it holds (paths relative to it)."""

    folder: str
    files: list[str] = field(default_factory=list)


def write_bundle(solutions: Path, out: Path, readme: Path = PROJECT_DIR / 'README.md') -> BundleResult:
    """Write a student bundle into `out`, which must be new or empty; check that no solution leaked."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BundleTarget(f'{out} already exists and is not empty: choose a new folder for the bundle')
    if out.resolve().is_relative_to(PACKAGE_DIR):
        raise BundleTarget(f'{out} is inside the grader package, which the bundle copies: choose a folder outside it')
    files = published(solutions)
    stubs = {name: files[name] for name in student_files()}
    pyproject = PROJECT_DIR / 'pyproject.toml'
    if not pyproject.is_file():
        raise PublishError(f'{pyproject} is missing: the bundle installs with it')
    out.parent.mkdir(parents=True, exist_ok=True)
    # Built beside `out` and renamed at the end: an interrupted run leaves no half-made bundle behind.
    staging = out.parent / f'.{out.name}.partial-{os.getpid()}'
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        _fill(staging, files, stubs, pyproject, readme)
        problems = audit(staging)
        if problems:
            raise PublishError('the bundle would not be safe to hand out:\n  ' + '\n  '.join(problems))
        if out.exists():
            out.rmdir()
        os.rename(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BundleResult(str(out), sorted(str(p.relative_to(out)) for p in out.rglob('*') if p.is_file()))


def _fill(folder: Path, files: dict[str, str], stubs: dict[str, str], pyproject: Path, readme: Path) -> None:
    _write_all(folder / 'exercises', files)
    ignore = shutil.ignore_patterns('__pycache__', '*.pyc', '*.egg-info', *INSTRUCTOR_ONLY)
    shutil.copytree(PACKAGE_DIR, folder / 'grader', ignore=ignore)
    _write_all(folder / 'grader' / 'stubs', stubs)
    shutil.copytree(Path(micrograd_ref.__file__).parent, folder / 'micrograd_ref', ignore=ignore)
    shutil.copy2(pyproject, folder / 'pyproject.toml')
    if (PROJECT_DIR / CONTRACT).is_dir():
        shutil.copytree(PROJECT_DIR / CONTRACT, folder / CONTRACT)
    (folder / 'README.md').write_text(_with_images(student_readme(readme), readme.parent, folder), encoding='utf-8')


def _write_all(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding='utf-8')


def student_readme(readme: Path) -> str:
    """The install commands, the catalog's exercises, then the project README's student-loop section (if any)."""
    text = readme.read_text(encoding='utf-8') if readme.is_file() else ''
    section = re.search(r'^## The student loop\n.*?(?=^## |\Z)', text, flags=re.S | re.M)
    return README_HEAD + '\n' + exercise_list() + ('\n' + section.group(0).rstrip() + '\n' if section else '')


def exercise_list() -> str:
    """The exercises in the catalog's order: what each is, its points and the files it is written in."""
    rows = [f"| `{e.id}` | {_markdown_text(e.title)} | {e.points} | {', '.join(f'`{f}`' for f in e.files)} |"
            for e in catalog.load()]
    total = sum(e.points for e in catalog.load())
    return ('## The exercises\n\n'
            f'{len(rows)} exercises, {total} points, in the lecture\'s order. `grade list` shows your progress.\n\n'
            '| exercise | what you build | points | where |\n| --- | --- | --- | --- |\n' + '\n'.join(rows) + '\n')


def _markdown_text(text: str) -> str:
    return re.sub(r'([\\`*_|<>\[\]])', r'\\\1', text)


def _with_images(text: str, source: Path, folder: Path) -> str:
    """The README with each local image it shows copied into folder/images/, and its link pointed there."""
    for link in dict.fromkeys(IMAGE.findall(text)):
        image = source / link
        if image.is_file():
            (folder / 'images').mkdir(exist_ok=True)
            shutil.copy2(image, folder / 'images' / image.name)
            text = text.replace(f']({link})', f'](images/{image.name})')
    return text


def audit(folder: Path) -> list[str]:
    """What must never reach students: solution folders, instructor files, marker lines."""
    problems = [f'{p.relative_to(folder)} is instructor-only' for p in folder.rglob('*') if p.name in FORBIDDEN
                or (p.is_file() and p.relative_to(folder).parts[0] == 'docs'
                    and not p.relative_to(folder).is_relative_to(CONTRACT))]
    for path in folder.rglob('*'):
        if not path.is_file() or path.suffix not in ('.py', '.toml', '.md', '.ipynb', '.txt', ''):
            continue
        text = path.read_text(encoding='utf-8', errors='replace')
        if path.suffix == '.ipynb' and 'SOLUTION' in text:
            problems.append(f'{path.relative_to(folder)} mentions SOLUTION')
        for n, line in enumerate(text.splitlines(), 1):
            if BEGIN.match(line) or END.match(line) or STUB.match(line):
                problems.append(f'{path.relative_to(folder)}:{n} holds a solution marker')
    return problems
