"""The child process: imports the student's code and answers the grader's requests as JSON.

It is started with `python -I -S`, so neither the grader nor the reference engine is on its path,
and it uses only the standard library. It talks to the parent over two inherited pipe descriptors;
the student's stdout and stderr go to a separate pipe that never counts as a result. Before any
student code runs, it lowers its own memory limit and installs the audit hook in guard.py.
"""
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import resource
import sys
import traceback

PACKAGE = 'micrograd'  # students paste `from micrograd.engine import Value` from the lecture
FORBIDDEN = ('micrograd_ref', 'solutions')


class StudentImports(importlib.abc.MetaPathFinder):
    """Resolves `engine`, `.engine` and `micrograd.engine` to the same student module, and refuses the reference."""

    def __init__(self, folder):
        self.folder = folder

    def find_spec(self, name, path=None, target=None):
        top = name.partition('.')[0]
        if top in FORBIDDEN:
            raise ImportError(f"importing {top!r} is not allowed: your code is graded against the reference "
                              "engine, so it must be your own work")
        if name == PACKAGE:
            spec = importlib.machinery.ModuleSpec(PACKAGE, None, is_package=True)
            spec.submodule_search_locations = [self.folder]
            return spec
        if '.' not in name and name not in sys.stdlib_module_names \
                and os.path.isfile(os.path.join(self.folder, name + '.py')):
            return importlib.util.spec_from_loader(name, Alias(f'{PACKAGE}.{name}'))
        return None


class Alias(importlib.abc.Loader):
    """Makes a top-level name the very same module object as its counterpart inside the package."""

    def __init__(self, target):
        self.target = target

    def create_module(self, spec):
        return importlib.import_module(self.target)

    def exec_module(self, module):
        pass


def student_frames(tb, folder):
    """The traceback frames that belong to the student's files, as [file, line, function, text]."""
    frames = []
    for fs in traceback.extract_tb(tb):
        if not fs.filename.startswith('<') and os.path.dirname(os.path.abspath(fs.filename)) == folder:
            frames.append([os.path.basename(fs.filename), fs.lineno, fs.name, (fs.line or '').strip()])
    return frames[-8:]


def describe(exc, folder):
    """A plain-JSON account of an exception raised by student code."""
    info = {'type': type(exc).__name__, 'message': safe_str(exc), 'frames': student_frames(exc.__traceback__, folder)}
    if isinstance(exc, SyntaxError) and exc.filename:
        info.update(kind='syntax', file=os.path.basename(exc.filename), line=exc.lineno,
                    text=(exc.text or '').rstrip('\n'), message=exc.msg)
    elif isinstance(exc, NotImplementedError):
        info['kind'] = 'not_implemented'
    elif isinstance(exc, (SystemExit, KeyboardInterrupt)):
        info['kind'] = 'exit'
        info['message'] = f'{type(exc).__name__}({safe_str(exc)})'
    else:
        info['kind'] = 'exception'
        if isinstance(exc, ImportError) and any(f"'{PACKAGE}{c}" in info['message'] for c in "'."):
            info['message'] += (f' (while grading, {PACKAGE} means your own files: '
                                f'an installed {PACKAGE} is never used)')
    return info


def safe_str(obj):
    try:
        return str(obj)[:500]
    except BaseException:
        return f'<unprintable {type(obj).__name__}>'


def load_factory(folder):
    def load(name):
        if not os.path.isfile(os.path.join(folder, name + '.py')):
            raise MissingFile(name + '.py')
        return importlib.import_module(f'{PACKAGE}.{name}')
    return load


class MissingFile(Exception):
    pass


def serve(rx, tx, folder, probes):
    load = load_factory(folder)
    for line in rx:
        request = json.loads(line)
        try:
            reply = {'ok': True, 'result': probes.run(request['probe'], request['args'], load)}
        except MissingFile as exc:
            reply = {'ok': False, 'error': {'kind': 'missing_file', 'type': 'MissingFile', 'message': str(exc), 'frames': []}}
        except BaseException as exc:  # the student's code may raise anything, SystemExit included
            reply = {'ok': False, 'error': describe(exc, folder)}
        reply['id'] = request['id']
        tx.write(json.dumps(reply, default=lambda o: {'__object__': type(o).__name__}) + '\n')
        tx.flush()


def load_own(name, here):
    """One of the child's own files, loaded by path: the grader's package is not on the child's path."""
    spec = importlib.util.spec_from_file_location(f'grader_{name}', os.path.join(here, name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def die_with_parent(parent):
    """Linux: if the grader is killed, the kernel kills this process too, even in the middle of a loop."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (ImportError, OSError, AttributeError):
        return
    finally:  # student code gets no ready-made ctypes: importing it again needs dlopen, which guard.py refuses
        for name in [m for m in sys.modules if m == 'ctypes' or m.startswith('ctypes.')]:
            del sys.modules[name]
    if os.getppid() != parent:
        os._exit(1)  # the grader was gone before the request took effect


def limit(memory):
    """Lower this process's address space to `memory` bytes, and allow no core dumps."""
    try:
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        memory = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ValueError, OSError):
        pass  # macOS does not enforce RLIMIT_AS and may refuse to set it
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash must not dump core into the student's folder


def main():
    folder, fd_in, fd_out = os.path.abspath(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    die_with_parent(int(sys.argv[5]))
    limit(int(sys.argv[4]))
    here = os.path.dirname(os.path.abspath(__file__))
    probes = load_own('probes', here)
    sys.meta_path.insert(0, StudentImports(folder))
    sys.path[:] = [p for p in sys.path if p]  # no current directory on the path
    rx, tx = os.fdopen(fd_in, 'r'), os.fdopen(fd_out, 'w')
    load_own('guard', here).install(folder, here)
    serve(rx, tx, folder, probes)


if __name__ == '__main__':
    main()
