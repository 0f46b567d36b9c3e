"""Programs a test stops with SIGINT start with Ctrl-C working, whatever the test run inherited.

Under `nohup`, or `cmd &` in a script, pytest starts with SIGINT ignored, and an ignored signal stays
ignored across exec: Python then never raises KeyboardInterrupt, which is right for a command the
user put in the background, and wrong for one that a test means to interrupt.
"""
import signal


def restore_ctrl_c() -> None:
    """Run in the child before exec: SIGINT back to its default, so Python installs its Ctrl-C handler."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


INTERRUPTIBLE = {'preexec_fn': restore_ctrl_c}
