"""The child's first act, before any student code: move in, lower its limits, and drop to its uid.

Runs in the child (standard library only). With a snapshot (level namespaces) it copies the
submission into its private tmpfs; with a jail (level uid) it chroots; with a uid it gives the
copy to that uid and becomes it. The kernel then enforces every limit set here: an unprivileged
process cannot raise a hard limit, leave a chroot, or take back a uid.
"""
import os
import shutil
import sys

try:
    import resource
except ImportError:  # not on Windows, where there is no isolation to set up
    resource = None

PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, SIGKILL = 1, 38, 9


def confine(config):
    """Set the child up as `config` says; return the folder the student's code runs in."""
    prctl = _prctl()  # loaded before a chroot, which would hide the library
    folder = config['folder']
    if config.get('snapshot'):
        for name in os.listdir(config['snapshot']):
            if name.startswith('.'):
                continue  # the parent's notes of what it left out
            shutil.copyfile(os.path.join(config['snapshot'], name), os.path.join(folder, name))
    if config.get('jail'):
        os.chroot(config['jail'])
    os.chdir(folder)
    uid = config.get('uid')
    if uid is not None and config.get('snapshot'):
        # The tmpfs bwrap made is root's: hand it, and the copy just made in it, to the uid. (At level uid
        # the parent hands over a folder it filled itself; root never acts on the uid's files in the jail.)
        for path in [os.path.join(folder, n) for n in os.listdir(folder)] + [folder]:
            os.chown(path, uid, uid, follow_symlinks=False)
        os.chmod(folder, 0o700)
        if config.get('tmp'):
            os.chmod(config['tmp'], 0o1777)
    set_limits(config['limits'])
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        _limit(getattr(resource, 'RLIMIT_NPROC', None), config['limits']['processes'])
    if prctl:
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)  # after the uid change, which clears it
    parent = config.get('parent')
    if parent and os.getppid() != parent:
        os._exit(1)  # the grader was gone before the death signal was armed
    return folder


def set_limits(limits):
    """Address space, file size, open files and CPU seconds; no core dumps."""
    if resource is None:
        return
    _limit(resource.RLIMIT_CORE, 0)
    _limit(getattr(resource, 'RLIMIT_AS', None), limits['memory'])
    _limit(resource.RLIMIT_FSIZE, limits['file_size'])
    _limit(resource.RLIMIT_NOFILE, limits['open_files'])
    seconds = limits['cpu_seconds']
    _limit(resource.RLIMIT_CPU, seconds, seconds + 1)  # SIGXCPU first, then SIGKILL a second later


def _limit(which, soft, hard=None):
    if which is None or resource is None:
        return
    hard = soft if hard is None else hard
    try:
        old_soft, old_hard = resource.getrlimit(which)
        if old_hard != resource.RLIM_INFINITY:
            soft, hard = min(soft, old_hard), min(hard, old_hard)
        resource.setrlimit(which, (soft, hard))
    except (ValueError, OSError):
        pass  # macOS refuses some limits (RLIMIT_AS); Linux enforces them all


def _prctl():
    """libc's prctl on Linux, else None; ctypes is forgotten again so student code finds none loaded."""
    if not sys.platform.startswith('linux'):
        return None
    try:
        import ctypes
        return ctypes.CDLL(None).prctl
    except (ImportError, OSError, AttributeError):
        return None
    finally:
        for name in [m for m in sys.modules if m == 'ctypes' or m.startswith('ctypes.')]:
            del sys.modules[name]
