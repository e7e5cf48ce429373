"""l4e-contract live: describe the models of an account (or endpoint) and validate each one."""
from __future__ import annotations

import sys


def add_arguments(p):
    from l4e_contract.cli.account_args import add_account_arguments

    from l4e_contract.cli.arguments import writable_folder

    add_account_arguments(p, "check")
    p.add_argument("--report-dir", metavar="DIR", type=writable_folder("reports"), help="also write JSON, JUnit XML and HTML reports to DIR/<run-id>/")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: for a person (default); json: one document for a program")
    p.add_argument("--strict", action="store_true", help="members the contract does not know are errors")
    p.add_argument("--verbose", "-v", action="store_true", help="list valid models too (text format)")


_exit_freeze_registered = False


class _SparedCollector:
    """Keep Python's cyclic garbage collector off what botocore loads; undone when the run ends.

    Setting up (importing botocore, creating the clients: several hundred
    thousand objects, all kept) set off about 20 ms of collections that find
    nothing to free, so the collector is off until the clients exist. Then what
    was loaded is frozen: botocore's models, endpoint data and the modules live
    as long as the run, but each full collection walked them again, and so did
    the interpreter's last one at exit (about 0.1 s each way on a 2-core
    machine). Frozen objects are still freed by reference counting; only the
    cycle search skips them. At the end the collector is left as it was (a
    process that runs `live` in-process goes on collecting normally) and the
    freeze is done again at exit, when nothing is left to run.
    """

    def __enter__(self):
        import atexit
        import gc

        global _exit_freeze_registered
        if not _exit_freeze_registered:
            atexit.register(gc.freeze)
            _exit_freeze_registered = True
        self.was_enabled = gc.isenabled()
        gc.disable()
        return self

    def settled(self) -> None:
        """The clients exist: freeze what they loaded, and collect again."""
        import gc

        gc.freeze()
        if self.was_enabled:
            gc.enable()

    def __exit__(self, *exc) -> None:
        import gc

        gc.unfreeze()
        if self.was_enabled:
            gc.enable()


# How long a thread may hold the GIL while another waits for it, during the run. A worker comes
# back from its socket four or five times a call (the pool's check that the connection is alive,
# two sends, the reads), and each time it waits for the GIL; at Python's default 5 ms it waits out
# another thread's whole turn of parsing or checking. 0.1 to 0.5 ms took 1 to 4 % off run_live's
# wall time against the benchmark's serve (three A/Bs in one process, interleaved, medians of 8 or
# 10, on a loaded machine): small, but in the same direction each time.
SWITCH_INTERVAL = 0.0002


def run(args) -> int:
    from l4e_contract.cli.account_args import connect_regions

    with _SparedCollector() as collector:
        connections = connect_regions(args, "live")
        if connections is None:
            return 2
        collector.settled()
        before = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        try:
            return _check(args, connections)
        finally:
            sys.setswitchinterval(before)


def _check(args, connections) -> int:
    from l4e_contract.endpoints.live import run_live
    from l4e_contract.endpoints.signals import held_signals, stop_on_signals
    from l4e_contract.report.progress import Progress

    # Results are printed when the run ends, sorted by source, not as they complete: the same account
    # gives the same output on every run. The progress on stderr shows the run is alive meanwhile.
    with stop_on_signals(), Progress("live", "model", quiet=args.quiet) as progress:
        # SIGTERM too stops the run with its partial report, as Ctrl-C does
        run_ = run_live(connections, models=args.model, strict=args.strict, concurrency=args.concurrency,
                        on_progress=progress)
    with held_signals() as came:  # a signal now waits for the report to be whole
        code = _report(args, run_)
    return 128 + came[0] if came and not run_.interrupted else code


def _report(args, run_) -> int:
    from l4e_contract.check.results import exit_code, summarize
    from l4e_contract.report.console import reporter

    # Printed once the run is over, sorted by source: the same account gives the same output
    # whatever order the calls finished in.
    results = run_.results
    summary = summarize(results)
    if args.format == "json":
        _write_document(results, summary, run_.interrupted)
    else:
        out = reporter(args.format, sys.stdout, args.verbose)
        for r in results:
            out.result(r)
        out.finish(results, summary)
        if run_.interrupted:
            print("interrupted: the run was stopped; every model not checked is listed as an error")
    sys.stdout.flush()
    code = run_.exit_code if run_.interrupted else None
    if args.report_dir:
        from l4e_contract.report.files import write_reports

        try:
            where = write_reports(results, args.report_dir, command="live", documents=run_.documents,
                                  extra={"interrupted": True} if run_.interrupted else None)
        except OSError as exc:  # ReportError: a folder that cannot be written, said in one line
            print(f"l4e-contract live: {exc}", file=sys.stderr)
            return code or 2
        print(f"reports written to {where}", file=sys.stderr)
    if run_.interrupted:
        print("l4e-contract live: interrupted; the report above is partial", file=sys.stderr)
        return code
    return exit_code(summary)


def _write_document(results, summary, interrupted: bool) -> None:
    """validate's JSON document, plus `"interrupted": true` when the run was stopped.

    Built whole and written once: json.dump writes a few bytes at a time (about 5,000 writes for
    200 models), and with PYTHONUNBUFFERED (set in many containers) each is a system call.
    """
    from l4e_contract.report.console import json_text

    doc = {"results": [r.to_dict() for r in results], "summary": summary}
    if interrupted:
        doc["interrupted"] = True
    sys.stdout.write(json_text(doc, indent=2) + "\n")
