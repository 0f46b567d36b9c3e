"""Running student code in a child process: the child's side (child.py, probes.py) and the parent's (runner.py)."""
