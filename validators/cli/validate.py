"""l4e-contract validate PATH...: load -> check -> report, one result per file."""
from __future__ import annotations

import contextlib
import sys

from l4e_contract.check.results import VALID, Result, Tally, exit_code
from l4e_contract.report.console import reporter


def add_arguments(p):
    p.add_argument("paths", nargs="+", metavar="PATH", help="response files, or folders searched for *.json")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="members the contract does not know are errors")
    p.add_argument("--verbose", "-v", action="store_true", help="list valid files too (text format)")
    p.add_argument("--report-dir", metavar="DIR",
                   help="also write JSON, JUnit XML and HTML reports to DIR/<run-id>/")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")


def check_file(path: str, strict: bool = False, keep: dict | None = None) -> Result:
    """One file to one Result; every failure becomes a verdict, never an exception.

    `keep`, when given, receives the checked body by path (for the HTML timelines).
    """
    from l4e_contract.load.files import LoadError, load_file, unwrap_recording
    from l4e_contract.check.runner import validate

    try:
        doc = load_file(path)
    except LoadError as exc:
        return Result.failed(path, str(exc))
    body, _meta = unwrap_recording(doc)
    if keep is not None and isinstance(body, dict):
        keep[path] = body
    try:
        return Result.from_report(path, validate(body, strict=strict))
    except RecursionError:
        return Result.failed(path, "nests too deeply to check")
    except Exception as exc:  # the run goes on; the file names the problem
        return Result.failed(path, f"could not be checked: {exc.__class__.__name__}: {str(exc)[:200]}")


def run(args) -> int:
    from l4e_contract.load.files import iter_json_files
    from l4e_contract.report.progress import Progress

    # Results are printed as they come and counted, not kept: a run over 100,000 files holds one
    # at a time. With --report-dir, each result and its body go to the reports as they come, too.
    reports = None
    if args.report_dir:
        from l4e_contract.report.files import RunReport

        try:
            reports = RunReport(args.report_dir, command="validate")
        except OSError as exc:
            print(f"l4e-contract validate: {exc}", file=sys.stderr)
            return 2
    with reports or contextlib.nullcontext(), Progress("validate", "file", quiet=args.quiet) as progress:
        out = reporter(args.format, sys.stdout, args.verbose, stream=True)
        tally = Tally()
        kept: dict = {}
        failed_reports = False
        for path, problem in iter_json_files(args.paths):
            result = Result.failed(path, problem) if problem else check_file(path, args.strict, kept)
            with progress.hold(result.verdict != VALID or bool(result.warnings) or args.verbose):
                out.result(result)
            progress.update()
            tally.add(result)
            if reports is not None:
                try:
                    reports.add(result, kept.pop(path, None))
                except OSError as exc:  # a full disk: said once, the check goes on, the run ends in 2
                    print(f"l4e-contract validate: {exc}", file=sys.stderr)
                    reports.abandon()
                    reports, failed_reports = None, True
            kept.clear()
        summary = tally.summary
        out.finish([], summary)
        if reports is not None:
            try:
                where = reports.finish()
            except OSError as exc:
                print(f"l4e-contract validate: {exc}", file=sys.stderr)
                return 2
            print(f"reports written to {where}", file=sys.stderr)
    return 2 if failed_reports else exit_code(summary)
