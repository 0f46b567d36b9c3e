# Dodge the audit hook: a fresh import of _posixsubprocess has the real fork_exec, which raises no
# audit event, so multiprocessing's helper starts a new interpreter that has no hook at all.
# escape(code) runs `code` there, with `out` open for writing, and returns what it wrote.
def escape(code):
    import os
    import sys
    del sys.modules['_posixsubprocess']
    import multiprocessing.util
    r, w = os.pipe()
    program = f'import os, sys\nout = os.fdopen({w}, "w")\n{code}\nout.close()\n'
    python = sys.executable.encode()
    pid = multiprocessing.util.spawnv_passfds(python, [python, b'-I', b'-S', b'-c', program.encode()], (w,))
    os.close(w)
    data = b''
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        data += chunk
    os.waitpid(pid, 0)
    return data.decode()
