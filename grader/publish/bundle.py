"""The student bundle: stubs, the grader and the reference engine, ready to hand out; no solutions."""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import micrograd_ref
from grader.catalog import PACKAGE_DIR
from grader.publish.generate import PublishError, published, student_files
from grader.publish.markers import BEGIN, END, STUB
from grader.publish.project_files import gitignore, student_pyproject
from grader.publish.readme import student_readme

PROJECT_DIR = PACKAGE_DIR.parent
IMAGE = re.compile(r'!\[[^\]]*\]\(([^)\s]+)\)')
# Instructor tooling stays home: mutants quote solution lines, and scaffolding writes marked solutions.
INSTRUCTOR_ONLY = ('mutants', 'validation', 'scaffold.py', 'stubs')
FORBIDDEN = ('solutions', 'tests', 'benchmarks', 'mutants')
CONTRACT = Path('docs') / 'contract'  # what the checks read, which every stub links: the only docs students get

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
    (folder / 'pyproject.toml').write_text(student_pyproject(pyproject, folder), encoding='utf-8')
    (folder / '.gitignore').write_text(gitignore(), encoding='utf-8')
    if (PROJECT_DIR / CONTRACT).is_dir():
        shutil.copytree(PROJECT_DIR / CONTRACT, folder / CONTRACT)
    (folder / 'README.md').write_text(_with_images(student_readme(readme), readme.parent, folder), encoding='utf-8')


def _write_all(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding='utf-8')


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
