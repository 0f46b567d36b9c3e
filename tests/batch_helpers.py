"""Helpers for the batch tests: hashing a class folder, reading grades.csv, finding grading processes."""
import csv
import hashlib
import os
from pathlib import Path

from hostile.processes import children_of_this_process, processes_mentioning

# The tanh derivative taken from the input: a submission that loses local_backward's points.
TANH = ('engine.py', 'self.grad += (1 - t**2) * out.grad', 'self.grad += (1 - self.data**2) * out.grad')


def tree_hash(root):
    """Every path, mode and byte under root: any change to the class folder changes it."""
    digest = hashlib.sha256()
    for here, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        for name in sorted(dirs + files):
            path = os.path.join(here, name)
            info = os.lstat(path)
            digest.update(f'{os.path.relpath(path, root)}:{info.st_mode}:{info.st_size}'.encode())
            if os.path.isfile(path) and not os.path.islink(path):
                digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def read_csv(path):
    with open(path, newline='') as f:
        return {row['submission']: row for row in csv.DictReader(f)}


def grading_processes():
    """This process's live children that serve batch grading requests."""
    return sorted(set(children_of_this_process()) & set(processes_mentioning('grader.batch.serve')))


def processes_inside(folder):
    """Processes whose working folder is under `folder`."""
    found = []
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            if os.readlink(f'/proc/{pid}/cwd').startswith(str(folder)):
                found.append(pid)
        except OSError:
            pass
    return found
