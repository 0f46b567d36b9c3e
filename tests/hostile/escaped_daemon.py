# Past the hook, leave a detached daemon behind (double fork, new session).
try:
    escape('import os, time\nout.close()\nif os.fork(): os._exit(0)\nos.setsid()\ntime.sleep(300)  # @MARKER@')
except Exception:
    pass
