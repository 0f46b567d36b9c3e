"""The child's audit hook: the student's code may not start processes, load C code, signal other
processes, raise its limits, or touch files outside its own folder (it may read the standard library).

This hook explains; it does not enforce. Python's audit hooks can be dodged by determined code
(PEP 578 says so), so at the namespaces and uid levels the kernel enforces what is written here,
and the hook only turns a refusal into a message that says what was refused and where. At level
none it is all there is, which is why that level's grades are feedback only. Standard library only.
"""
import _posixsubprocess
import _thread
import os
import sys

PROCESSES = ('os.fork', 'os.forkpty', 'os.exec', 'os.spawn', 'os.posix_spawn', 'os.system', 'subprocess.Popen')
NATIVE = ('ctypes.dlopen', 'ctypes.dlsym', 'ctypes.cdata', 'ctypes.cdata/buffer', 'ctypes.call_function',
          'ctypes.addressof', 'ctypes.PyObj_FromPtr', 'ctypes.string_at', 'ctypes.wstring_at')
HIDDEN = ('gc.get_objects', 'gc.get_referrers', 'gc.get_referents')  # the way to reach this hook's own state
LIMITS = ('resource.setrlimit', 'resource.prlimit')
WRITES = {  # event -> (positions of the paths it changes, position of its first dir_fd argument)
    'os.remove': ((0,), 1), 'os.rmdir': ((0,), 1), 'os.mkdir': ((0,), 2), 'os.rename': ((0, 1), 2),
    'os.chmod': ((0,), 2), 'os.chown': ((0,), 3), 'os.truncate': ((0,), None), 'os.utime': ((0,), 3),
    'os.link': ((0, 1), 2), 'os.symlink': ((1,), 2),
}
SUBINTERPRETERS = ('_interpreters', '_xxsubinterpreters', '_xxinterpchannels', '_xxinterpqueues', '_interpqueues',
                   '_interpchannels', 'concurrent.interpreters')  # no audit hook runs in another interpreter
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def install(folder, own_files):
    """Add the hook for a submission in `folder`; `own_files` is the folder of the child's own code."""
    realpath, join, isabs, getcwd, sep = os.path.realpath, os.path.join, os.path.isabs, os.getcwd, os.sep
    folder = realpath(folder)
    readable = (folder, realpath(own_files), realpath(os.path.dirname(os.__file__)), '/dev/')
    checks = {}

    def resolve(path, dir_fd=None):
        # Only exact types: the hook must never call a method of the student's own (a str subclass's
        # startswith would run their code inside the hook, where it could reach the hook's state).
        if type(path) is int:
            return None  # an already open descriptor
        if type(path) not in (str, bytes):
            refuse(f'a path of type {type(path).__name__} (give a plain str)')
        path = os.fsdecode(path)
        if dir_fd is not None and not isabs(path):
            return sep  # relative to a descriptor: treated as outside
        return realpath(join(getcwd(), path))

    def inside(path, roots):
        return path is None or any(path == r.rstrip(sep) or path.startswith(r.rstrip(sep) + sep) for r in roots)

    def refuse(what):
        raise PermissionError(f'{what} is not allowed while grading')

    def on_open(args):
        path, mode, flags = args[0], args[1], args[2]
        writes = any(c in mode for c in 'wax+') if isinstance(mode, str) else bool(flags & WRITE_FLAGS)
        where = resolve(path)
        if writes and not inside(where, (folder,)):
            refuse(f'writing to {where} (outside your folder)')
        if not writes and where is not None and (not inside(where, readable) or 'site-packages' in where
                                                 or 'dist-packages' in where):
            refuse(f'reading {where} (only your folder and the standard library can be read)')

    def on_write(event, positions, fd_at):
        def check(args):
            dir_fd = None if fd_at is None else next((a for a in args[fd_at:] if a is not None), None)
            for i in positions:
                where = resolve(args[i], dir_fd)
                if not inside(where, (folder,)):
                    refuse(f'changing {where} (outside your folder) with {event}')
        return check

    def on_import(args):
        if type(args[0]) is str and args[0] in SUBINTERPRETERS:
            refuse(f'starting another interpreter ({args[0]})')

    def on_kill(args):
        if args[0] not in (0, os.getpid()):
            refuse('sending a signal to another process')

    for event in PROCESSES:
        checks[event] = lambda args, event=event: refuse(f'starting a process ({event})')
    for event in NATIVE:
        checks[event] = lambda args, event=event: refuse(f'calling C code directly ({event})')
    for event in HIDDEN:
        checks[event] = lambda args, event=event: refuse(f'looking through the interpreter\'s objects ({event})')
    for event in LIMITS:
        checks[event] = lambda args, event=event: refuse(f'changing the grader\'s limits ({event})')
    for event, (positions, fd_at) in WRITES.items():
        checks[event] = on_write(event, positions, fd_at)
    checks.update({'open': on_open, 'os.kill': on_kill, 'os.killpg': on_kill, 'import': on_import,
                   'sys.remote_exec': lambda args: refuse('running code in another process (sys.remote_exec)')})
    # The one way to start a process that raises no audit event of its own.
    _posixsubprocess.fork_exec = lambda *args, **kwargs: refuse('starting a process (_posixsubprocess.fork_exec)')
    busy, ident = set(), _thread.get_ident

    def hook(event, args):
        check = checks.get(event)
        if check is not None and ident() not in busy:  # events raised by the check itself are ours
            busy.add(ident())
            try:
                check(args)
            finally:
                busy.discard(ident())

    sys.addaudithook(hook)
