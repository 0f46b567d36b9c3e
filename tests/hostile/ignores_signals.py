import signal
for s in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT):
    signal.signal(s, signal.SIG_IGN)
signal.alarm(1)
while True:
    pass
