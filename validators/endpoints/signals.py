"""SIGINT and SIGTERM during a run: one exception that stops it and says which signal it was.

A run (`live`, `record`, `fidelity`) catches `KeyboardInterrupt`, cancels its
calls in flight, accounts for what it did not do and reports what it did. Under
`stop_on_signals()`, SIGTERM (what a CI job's timeout sends) raises the same
kind of exception as Ctrl-C, so a nightly job that is stopped still leaves its
partial report. The exit status is the shell's convention, 128 + the signal:
130 for SIGINT, 143 for SIGTERM.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal; `exit_code` is 128 + its number."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


EXIT_SIGINT = 128 + signal.SIGINT  # 130
EXIT_SIGTERM = 128 + signal.SIGTERM  # 143


def exit_code_of(exc: BaseException) -> int:
    """130 for Ctrl-C (a plain KeyboardInterrupt too), 143 for SIGTERM."""
    return exc.exit_code if isinstance(exc, Interrupted) else EXIT_SIGINT


def _raise(signum, _frame):
    raise Interrupted(signum)


@contextmanager
def stop_on_signals():
    """SIGINT and SIGTERM raise Interrupted in the main thread while the block runs.

    Only the main thread can set handlers; elsewhere (a run started from a
    worker thread) the block runs with the process's handlers as they are.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def held_signals():
    """SIGINT and SIGTERM are held while the block runs (a report being written is finished, not cut
    in half); yields the list of the signals that came, for the caller's exit code."""
    came: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield came
        return
    previous = {s: signal.signal(s, lambda signum, _frame: came.append(signum)) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield came
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
