"""l4e-contract live: describe the models of an account (or endpoint) and validate each one."""
from __future__ import annotations

import sys


def add_arguments(p):
    from l4e_contract.commands.account_args import add_account_arguments

    add_account_arguments(p, "check")
    p.add_argument("--report-dir", metavar="DIR", help="also write JSON, JUnit XML and HTML reports to DIR/<run-id>/")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="members the contract does not know are errors")
    p.add_argument("--verbose", "-v", action="store_true", help="list valid models too (text format)")


class Progress:
    """A one-line bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, stream=None):
        self.stream = stream = stream or sys.stderr
        try:
            self.on = stream.isatty()
        except (AttributeError, ValueError):
            self.on = False

    def __call__(self, done: int, total: int | None) -> None:
        if not self.on:
            return
        if total is None:  # still listing: the count so far, no bar
            self.stream.write(f"\r{done} models checked (listing...)")
            self.stream.flush()
            return
        if not total:
            return
        width = 30
        filled = width * done // total
        self.stream.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} models")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()

    def clear(self) -> None:
        if self.on:
            self.stream.write("\r\033[K")
            self.stream.flush()


_exit_freeze_registered = False


def _spare_the_collector():
    """Keep Python's cyclic garbage collector off what botocore loaded; returns the undo.

    botocore's models, endpoint data and the modules live as long as the run,
    but each full collection walks them again, and so does the interpreter's
    last one at exit: about 0.1 s each way on a 2-core machine. Frozen objects
    are still freed by reference counting; only the cycle search skips them.
    The freeze is undone when the run ends (a process that runs `live` in-process
    goes on collecting normally) and done again at exit, when nothing is left to run.
    """
    import atexit
    import gc

    global _exit_freeze_registered
    if not _exit_freeze_registered:
        atexit.register(gc.freeze)
        _exit_freeze_registered = True
    gc.freeze()
    return gc.unfreeze


def run(args) -> int:
    from l4e_contract.commands.account_args import connect_regions

    connections = connect_regions(args, "live")
    if connections is None:
        return 2
    thaw = _spare_the_collector()
    try:
        return _check(args, connections)
    finally:
        thaw()


def _check(args, connections) -> int:
    from l4e_contract.live import NOT_CHECKED, run_live
    from l4e_contract.results import Result, exit_code, reporter, summarize

    out = reporter(args.format, sys.stdout, args.verbose)
    progress = Progress()

    def on_result(result: Result) -> None:
        progress.clear()
        out.result(result)
        sys.stdout.flush()

    run_ = run_live(connections, models=args.model, strict=args.strict, concurrency=args.concurrency,
                    on_result=on_result, on_progress=progress)
    progress.clear()
    results = run_.results
    if run_.interrupted:
        # the models left unchecked are reported too, as errors, so the report stays whole
        for r in results:
            if r.error == NOT_CHECKED:
                out.result(r)
    summary = summarize(results)
    out.finish(results, summary)
    if args.report_dir:
        from l4e_contract.reporting import write_reports

        try:
            where = write_reports(results, args.report_dir, command="live", documents=run_.documents)
        except OSError as exc:  # ReportError: a folder that cannot be written, said in one line
            print(f"l4e-contract live: {exc}", file=sys.stderr)
            return 130 if run_.interrupted else 2
        print(f"reports written to {where}", file=sys.stderr)
    if run_.interrupted:
        print("l4e-contract live: interrupted; the report above is partial", file=sys.stderr)
        return 130
    return exit_code(summary)
