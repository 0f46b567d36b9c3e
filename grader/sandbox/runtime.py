"""The files a child interpreter needs to run: its binary, its standard library and its shared
libraries, and nothing else of this machine (no site-packages, no grader, no reference engine)."""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Asked of the interpreter itself, because a venv's python hides where its standard library is.
QUESTION = ('import json, sys, sysconfig; print(json.dumps({"path": [p for p in sys.path if p], '
            '"site": [sysconfig.get_path(k) for k in ("purelib", "platlib")], "version": sys.version_info[:2]}))')
LDD_PATH = re.compile(r'(?:=>\s*|^\s*)(/\S+)\s+\(0x', re.MULTILINE)
EXTRA_LIBRARIES = ('libgcc_s.so.1',)  # loaded by glibc only when a thread exits, so ldd never lists it


class UnknownRuntime(Exception):
    """The interpreter's files could not be worked out."""


@dataclass(frozen=True)
class Runtime:
    """What to make visible, read-only, for `python` to start with -I -S and import its standard library."""

    python: str  # the real binary, not a venv's link to it
    stdlib: tuple[str, ...]  # folders and zip files on its path
    hidden: tuple[str, ...]  # folders inside those that must look empty (site-packages)
    libraries: tuple[str, ...]  # shared libraries, at the paths the dynamic loader asks for
    version: tuple[int, int]

    @property
    def files(self) -> tuple[str, ...]:
        """Every path to show, outermost first."""
        return (self.python, *self.stdlib, *self.libraries)


@functools.lru_cache(maxsize=None)
def runtime(python: str = sys.executable) -> Runtime:
    """The runtime of this interpreter (or of another Python 3.10+), from the cache while its files are there."""
    real = os.path.realpath(python)
    cache = _cache_file(real)
    known = _cached(cache)
    if known:
        return known
    found = _ask(real)
    _store(cache, found)
    return found


def _ask(real: str) -> Runtime:
    try:
        done = subprocess.run([real, '-I', '-S', '-c', QUESTION], capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)
        answer = json.loads(done.stdout)
    except (OSError, ValueError, subprocess.SubprocessError) as e:
        raise UnknownRuntime(f'could not ask {real} where its standard library is: {e}') from None
    stdlib = tuple(p for p in answer['path'] if os.path.exists(p))
    inside = [p for p in answer['site'] if p and any(_within(p, s) for s in stdlib)]
    return Runtime(real, stdlib, tuple(dict.fromkeys(inside)), tuple(libraries(real, stdlib)),
                   tuple(answer['version']))


def libraries(python: str, stdlib: tuple[str, ...]) -> list[str]:
    """The shared libraries of the binary and of every extension module in the standard library."""
    objects = [python] + [str(p) for d in stdlib if os.path.isdir(d) for p in sorted(Path(d).glob('lib-dynload/*.so'))]
    try:
        done = subprocess.run(['ldd', *objects], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as e:
        raise UnknownRuntime(f'could not list the shared libraries of {python} with ldd: {e}') from None
    found = dict.fromkeys(m for m in LDD_PATH.findall(done.stdout) if os.path.exists(m))
    folders = {os.path.dirname(p) for p in found if os.path.basename(p).startswith('libc.so')}
    for folder in sorted(folders):
        for name in EXTRA_LIBRARIES:
            if os.path.exists(os.path.join(folder, name)):
                found[os.path.join(folder, name)] = None
    return list(found)


def _cache_file(real: str) -> Path | None:
    """Where this interpreter's runtime is kept: keyed by its path and its binary's size and time."""
    try:
        info = os.stat(real)
    except OSError:
        return None
    key = hashlib.sha256(f'{real}\0{info.st_size}\0{info.st_mtime_ns}\0{os.geteuid()}'.encode()).hexdigest()[:24]
    return Path(os.environ.get('XDG_CACHE_HOME') or Path.home() / '.cache') / 'micrograd-grader' / f'runtime-{key}.json'


def _cached(cache: Path | None) -> Runtime | None:
    """The cached runtime, if the cache is this user's alone and every path it names still exists."""
    if cache is None:
        return None
    try:
        folder, info = os.stat(cache.parent), os.stat(cache, follow_symlinks=False)
        if {folder.st_uid, info.st_uid} != {os.geteuid()} or (folder.st_mode | info.st_mode) & 0o022:
            return None  # someone else could have written it: what it names would be shown to student code
        data = json.loads(cache.read_text())
        found = Runtime(data['python'], tuple(data['stdlib']), tuple(data['hidden']), tuple(data['libraries']),
                        tuple(data['version']))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found if all(os.path.exists(p) for p in found.files) else None


def _store(cache: Path | None, found: Runtime) -> None:
    if cache is None:
        return
    try:
        cache.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = cache.with_name(f'.{cache.name}.{os.getpid()}')
        temporary.write_text(json.dumps(dataclasses.asdict(found)))
        os.chmod(temporary, 0o600)
        os.replace(temporary, cache)
    except OSError:
        pass  # no cache: the next run asks again


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip('/') + '/')
