import signal
signal.raise_signal(40)  # a real-time signal: it has no name in the signal module
