"""Mutants: the solution with one known mistake, declared per exercise in grader/mutants/<id>.toml."""
from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

MUTANTS_DIR = Path(__file__).resolve().parent.parent / 'mutants'


class PatchError(AssertionError):
    """A patch that does not apply to solutions/ exactly once, or that breaks the file's syntax."""


@dataclass(frozen=True)
class Patch:
    """Replace `old` (which must occur exactly once) with `new` in `file`."""

    file: str
    old: str
    new: str


@dataclass(frozen=True)
class Mutant:
    """A known mistake: patches to the solution, the misconception feedback must explain, and wrong diagnoses."""

    id: str
    exercise: str
    patches: tuple[Patch, ...]
    misconception: str = ''  # '' when the mistake has no name yet: it must still be caught
    not_named: tuple[str, ...] = ()


def mutants_file(exercise_id: str) -> Path:
    return MUTANTS_DIR / f'{exercise_id}.toml'


def load(exercise_id: str) -> list[Mutant]:
    """The mutants declared for one exercise; none when it has no mutants file."""
    path = mutants_file(exercise_id)
    if not path.is_file():
        return []
    try:
        raw = tomllib.loads(path.read_text(encoding='utf-8'))
    except tomllib.TOMLDecodeError as e:
        raise PatchError(f'{path}: {e}') from None
    out = []
    for n, m in enumerate(raw.get('mutant', []), 1):
        try:
            patches = tuple(Patch(p['file'], p['old'], p['new']) for p in m['patch'])
            out.append(Mutant(m['id'], exercise_id, patches, m.get('misconception', ''), tuple(m.get('not_named', ()))))
        except (KeyError, TypeError) as e:
            raise PatchError(f'{path}: mutant #{n} lacks {e}: each needs id and [[mutant.patch]] file, old, new') from None
    return out


def load_all(exercise_ids: list[str]) -> list[Mutant]:
    return [m for ex in exercise_ids for m in load(ex)]


def make_submission(solutions: Path, dest: Path, patches: tuple[Patch, ...] = ()) -> Path:
    """A copy of solutions/ at dest with the patches applied in order; PatchError if one does not apply cleanly."""
    dest = Path(dest)
    if dest.exists():
        raise PatchError(f'{dest} already exists: give each submission its own folder')
    shutil.copytree(solutions, dest, ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))
    touched = []
    for patch in patches:
        path = dest / patch.file
        if not path.is_file():
            raise PatchError(f'patch for {patch.file}: there is no solutions/{patch.file}')
        if not patch.old:
            raise PatchError(f'patch for {patch.file}: `old` is empty')
        text = path.read_text(encoding='utf-8')
        count = text.count(patch.old)
        if count != 1:
            raise PatchError(f'patch for {patch.file}: expected exactly one occurrence of\n{patch.old}\n'
                             f'but found {count}; has solutions/{patch.file} changed?')
        path.write_text(text.replace(patch.old, patch.new, 1), encoding='utf-8')
        touched.append(path)
    for path in dict.fromkeys(touched):
        if path.suffix == '.py':
            try:
                compile(path.read_text(encoding='utf-8'), str(path), 'exec')
            except SyntaxError as exc:
                raise PatchError(f'the patched {path.name} does not compile: {exc}') from None
    return dest
