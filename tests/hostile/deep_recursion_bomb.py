# Deep enough to overflow the C stack where the interpreter does not stop it first.
def hostile(n=0):
    import sys
    sys.setrecursionlimit(10 ** 7)
    return hostile.__call__(n + 1)
