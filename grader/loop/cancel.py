"""Stopping a grading run from outside (a newer save in `grade watch`) without ever interrupting a clean-up."""
from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

SIGNAL = signal.SIGUSR1


class Cancelled(KeyboardInterrupt):
    """The run was cancelled; a KeyboardInterrupt, so pytest stops its session and runs its teardowns."""


class Cancel:
    """A cancel request for the run in progress, delivered to the main thread as a signal.

    The signal only raises while checks are running (armed), where pytest and the sandbox expect an
    interruption; anywhere else the request is noted and seen at the next check().
    """

    def __init__(self) -> None:
        self.requested = False
        self._armed = False
        self._main = threading.main_thread().ident

    def install(self) -> None:
        """Call from the main thread: the signal handler that turns a request into Cancelled."""
        signal.signal(SIGNAL, self._on_signal)

    def _on_signal(self, signum: int, frame: object) -> None:
        if self._armed and self.requested:
            self._armed = False
            raise Cancelled()

    def request(self) -> None:
        """Ask the run to stop (from any thread): the main thread is woken from whatever it waits on."""
        self.requested = True
        if self._main is not None:
            signal.pthread_kill(self._main, SIGNAL)

    def reset(self) -> None:
        """Forget a request: a new run starts."""
        self.requested = False

    def check(self) -> None:
        """Raise Cancelled if a cancel was requested."""
        if self.requested:
            raise Cancelled()

    @contextlib.contextmanager
    def armed(self) -> Iterator[None]:
        """While inside, a request interrupts at once."""
        self.check()
        self._armed = True
        try:
            yield
        finally:
            self._armed = False
        self.check()
