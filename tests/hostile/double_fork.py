import os
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp('sh', ['sh', '-c', 'sleep 300; exit', '@MARKER@'])
    os._exit(0)
