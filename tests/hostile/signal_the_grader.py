import os
os.kill(os.getppid(), 0)  # signal 0 only asks whether it exists; any signal is refused
