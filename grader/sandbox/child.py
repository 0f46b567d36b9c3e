"""The child process: imports the student's code and answers the grader's requests as JSON.

It is started with `python -I -S`, so neither the grader nor the reference engine is on its path,
and it uses only the standard library. Its one argument is a JSON object: where the submission
is, the pipe descriptors to talk on, and the limits. It talks to the parent over two inherited
pipes; the student's stdout and stderr go to a third that never counts as a result. Before any
student code runs, confine.py moves it into its sandbox, and guard.py's audit hook is installed to
explain refusals (the kernel enforces them, at the namespaces and uid levels).
"""
import faulthandler
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import select
import sys
import threading
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
        if '.' not in name and name not in sys.stdlib_module_names:
            if os.path.isfile(os.path.join(self.folder, name + '.py')):
                return importlib.util.spec_from_loader(name, Alias(f'{PACKAGE}.{name}'))
            raise ModuleNotFoundError(f"No module named {name!r}: the exercises use only Python's standard "
                                      "library and your own files, so nothing else is installed while grading",
                                      name=name)
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


def serve(rx, tx, folder, probes, stack):
    load = load_factory(folder)
    for line in rx:
        request = json.loads(line)
        if stack is not None and request.get('seconds'):
            # Written just before the parent gives up, so a timeout can say where the code was looping.
            faulthandler.dump_traceback_later(max(0.05, request['seconds'] - 0.25), file=stack)
        try:
            reply = {'ok': True, 'result': probes.run(request['probe'], request['args'], load)}
        except MissingFile as exc:
            reply = {'ok': False, 'error': {'kind': 'missing_file', 'type': 'MissingFile', 'message': str(exc), 'frames': []}}
        except BaseException as exc:  # the student's code may raise anything, SystemExit included
            reply = {'ok': False, 'error': describe(exc, folder)}
        finally:
            faulthandler.cancel_dump_traceback_later()
        reply['id'] = request['id']
        for stream in (sys.stdout, sys.stderr):  # what it printed arrives before the reply that ends the check
            try:
                stream.flush()
            except BaseException:
                pass
        tx.write(json.dumps(reply, default=lambda o: {'__object__': type(o).__name__}) + '\n')
        tx.flush()


def lifeline(fd):
    """Exit once the grader is gone (no writer left on the request pipe), even in the middle of a loop."""
    poller = select.poll()
    poller.register(fd, select.POLLHUP)
    while True:
        for _, event in poller.poll():
            if event & (select.POLLHUP | select.POLLERR | select.POLLNVAL):
                os._exit(1)


def load_own(name, here):
    """One of the child's own files, loaded by path: the grader's package is not on the child's path."""
    spec = importlib.util.spec_from_file_location(f'grader_{name}', os.path.join(here, name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    config = json.loads(sys.argv[1])
    here = config['code']
    probes, guard, confine = (load_own(name, here) for name in ('probes', 'guard', 'confine'))
    folder = confine.confine(config)
    sys.meta_path.insert(0, StudentImports(folder))
    sys.path[:] = [p for p in sys.path if p]  # no current directory on the path
    rx, tx = os.fdopen(config['rx'], 'r'), os.fdopen(config['tx'], 'w')
    threading.Thread(target=lifeline, args=(config['rx'],), daemon=True).start()
    if config.get('explain', True):
        guard.install(folder, here)
    serve(rx, tx, folder, probes, config.get('stack'))


if __name__ == '__main__':
    main()
