"""Progress of a long run, on stderr only: stdout stays the report a program reads.

    with Progress("validate", "file", quiet=args.quiet) as progress:
        for ...:
            progress.update()            # or progress(done, total), as live calls it
            with progress.hold():        # a line on the same terminal, without tearing the bar
                print(...)

- On a terminal: a tqdm bar (count, rate, and a bar once the total is known).
- Otherwise (a CI log, a file): one short line every `every` seconds, such as
  "validate: checked 1,200 of 10,000 files", and none for a run that is over sooner.
- `quiet`: nothing at all.
"""
from __future__ import annotations

import contextlib
import sys
import time

EVERY = 5.0  # seconds between two lines when stderr is not a terminal

VERBS = {"file": "checked", "model": "checked", "call": "made"}


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream: no progress, never an error
        return False


class Progress:
    """`done` of `total` items (total None until it is known), shown on `stream` (stderr)."""

    def __init__(self, command: str, unit: str = "file", *, total: int | None = None, quiet: bool = False,
                 stream=None, every: float | None = None, clock=time.monotonic, verb: str | None = None):
        self.command, self.unit, self.total = command, unit, total
        self.verb = verb or VERBS.get(unit, "done")
        self.stream = stream if stream is not None else sys.stderr
        self.every, self.clock = EVERY if every is None else every, clock
        self.done = 0
        self.bar = None
        self.lines = not quiet and not _is_terminal(self.stream)
        self.next_line = clock() + self.every
        if not quiet and not self.lines:
            self.bar = self._tqdm()
        # results on stdout tear the bar only when stdout is the same terminal
        self.stdout_shared = _is_terminal(sys.stdout)

    def _tqdm(self):
        from tqdm import tqdm

        # leave=False: the bar is gone when the run ends, and the summary line stands alone
        return tqdm(total=self.total, desc=self.command, unit=f" {self.unit}s", file=self.stream,
                    dynamic_ncols=True, leave=False, mininterval=0.2, unit_scale=False)

    # --- what a run reports ---------------------------------------------------------------------

    def update(self, n: int = 1) -> None:
        self.set(self.done + n, self.total)

    def __call__(self, done: int, total: int | None = None) -> None:
        """live's on_progress(done, total): total is None while the models are still being listed."""
        self.set(done, total)

    def set(self, done: int, total: int | None) -> None:
        if self.bar is not None:
            if total is not None and self.bar.total != total:
                self.bar.total = total
                self.bar.refresh()
            self.bar.update(done - self.done)
        self.done, self.total = done, total if total is not None else self.total
        if self.lines and self.clock() >= self.next_line:
            self.next_line = self.clock() + self.every
            self._line()

    def _line(self) -> None:
        of = f" of {self.total:,}" if self.total is not None else ""
        many = self.unit if self.total == 1 or (self.total is None and self.done == 1) else f"{self.unit}s"
        try:
            self.stream.write(f"{self.command}: {self.verb} {self.done:,}{of} {many}\n")
            self.stream.flush()
        except (OSError, ValueError):  # a closed stderr must not end the run
            self.lines = False

    @contextlib.contextmanager
    def hold(self, writes: bool = True):
        """Write to the terminal inside this block: the bar steps aside and comes back after.

        `writes` False says nothing will be written (a valid file, not listed): the bar stays put,
        since stepping aside redraws it, and a run over 100,000 files would redraw it for each.
        """
        if self.bar is None or not writes or not self.stdout_shared:
            yield
            return
        with self.bar.external_write_mode(file=sys.stdout):
            yield

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        self.lines = False

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
