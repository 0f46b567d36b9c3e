"""Write generated files into exercises/ without losing edits: a manifest of hashes, and backups."""
from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader.atomic import write_atomic
from grader.publish.generate import PublishError, published

MANIFEST = '.published.json'


class ChangedFiles(PublishError):
    """Files in exercises/ that changed since they were generated; carries their names."""

    def __init__(self, folder: Path, names: list[str]):
        super().__init__(f'{len(names)} file(s) in {folder} changed since they were published: '
                         + ', '.join(names) + '. Nothing was written. Rerun with --force to back them up and overwrite them.')
        self.names = names


@dataclass
class PublishResult:
    """What publish did: files written, left as they were, and backed up (and where)."""

    folder: str
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    backed_up: list[str] = field(default_factory=list)
    backup_folder: str = ''


def digest(text: str) -> str:
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def read_manifest(folder: Path) -> dict[str, str]:
    """File name -> hash of what was last generated there; empty when unknown or unreadable."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding='utf-8'))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(data, dict) else {}


def changed_files(folder: Path, files: dict[str, str]) -> list[str]:
    """The files that would be overwritten although they are neither what was generated nor what will be."""
    manifest = read_manifest(folder)
    changed = []
    for name, text in files.items():
        path = folder / name
        if not path.exists():
            continue
        current = digest(path.read_text(encoding='utf-8', errors='replace')) if path.is_file() else ''
        if current not in (manifest.get(name), digest(text)):
            changed.append(name)
    return changed


def publish(solutions: Path, exercises: Path, force: bool = False) -> PublishResult:
    """Regenerate exercises/ from solutions/; refuse to overwrite changed files unless forced, then back them up."""
    exercises = Path(exercises)
    files = published(solutions)
    changed = changed_files(exercises, files)
    if changed and not force:
        raise ChangedFiles(exercises, changed)
    result = PublishResult(str(exercises))
    if changed:
        backup = fresh_folder(exercises.parent / f'{exercises.name}-backup-{time.strftime("%Y%m%d-%H%M%S")}')
        for name in changed:
            shutil.copy2(exercises / name, backup / name)
        result.backed_up, result.backup_folder = changed, str(backup)
    exercises.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = exercises / name
        if path.is_file() and path.read_text(encoding='utf-8', errors='replace') == text:
            result.unchanged.append(name)
            continue
        write_atomic(path, text)
        result.written.append(name)
    write_atomic(exercises / MANIFEST, json.dumps({n: digest(t) for n, t in files.items()}, indent=1, sort_keys=True) + '\n')
    return result


def fresh_folder(path: Path) -> Path:
    """Create and return path, or path-2, path-3, ... when it exists: a backup never lands on another."""
    candidate, n = path, 1
    while True:
        try:
            candidate.mkdir(parents=True)
            return candidate
        except FileExistsError:
            n += 1
            candidate = path.with_name(f'{path.name}-{n}')
