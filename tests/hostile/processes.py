"""Looking for processes left behind, straight from /proc (Linux)."""
import os


def children_of_this_process():
    """Live (not zombie) children of the test process."""
    mine = str(os.getpid())
    out = []
    for pid in os.listdir('/proc'):
        if pid.isdigit():
            try:
                with open(f'/proc/{pid}/stat') as f:
                    fields = f.read().rsplit(')', 1)[1].split()
            except OSError:
                continue
            if fields[1] == mine and fields[0] != 'Z':
                out.append(pid)
    return out


def processes_mentioning(marker):
    """Live processes other than this one whose command line contains `marker`."""
    found = []
    for pid in os.listdir('/proc'):
        if pid.isdigit() and int(pid) != os.getpid():
            try:
                with open(f'/proc/{pid}/cmdline', 'rb') as f:
                    if marker.encode() in f.read():
                        found.append(pid)
            except OSError:
                continue
    return found
