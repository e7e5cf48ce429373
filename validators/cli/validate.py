"""l4e-contract validate PATH...: load -> check -> report, one result per file."""
from __future__ import annotations

import contextlib
import sys

from l4e_contract.check.results import EXIT_ERROR, VALID, Result, Tally, exit_code
from l4e_contract.report.console import printable, reporter


def add_arguments(p):
    from l4e_contract.cli.arguments import path_given, writable_folder

    p.add_argument("paths", nargs="+", metavar="PATH", type=path_given,
                   help="response files, placebo files, vcrpy cassettes, or folders searched for *.json, "
                        "*.yaml and *.yml (each file is checked once, however the paths overlap); "
                        "- reads one document from standard input")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: one line per finding and a summary (default); json: one document")
    p.add_argument("--strict", action="store_true", help="members the contract does not know are errors")
    p.add_argument("--verbose", "-v", action="store_true", help="list valid files too (text format)")
    p.add_argument("--placebo-tz", metavar="ZONE", type=_zone, default=None,
                   help="the zone of the machine that recorded placebo files (+05:30 or Asia/Kolkata); "
                        "placebo writes datetimes without one, read as UTC by default")
    p.add_argument("--report-dir", metavar="DIR", type=writable_folder("reports"),
                   help="also write JSON, JUnit XML and HTML reports to DIR/<run-id>/")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")


def _zone(text: str):
    import argparse

    from l4e_contract.load.placebo import parse_zone

    try:
        return parse_zone(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def check_file(path: str, strict: bool = False, keep: dict | None = None) -> Result:
    """One file to one Result; every failure becomes a verdict, never an exception.

    `keep`, when given, receives the checked body by path (for the HTML timelines).
    """
    from l4e_contract.load.files import LoadError, load_file, unwrap_recording

    try:
        doc = load_file(path)
    except LoadError as exc:
        return Result.failed(path, str(exc))
    body, meta = unwrap_recording(doc)
    return check_body(path, body, strict, keep, captured_at(meta))


def check_item(item, strict: bool = False, keep: dict | None = None) -> Result:
    """One item of `load.sources` (a file, a cassette's interaction, standard input) to one Result."""
    if item.error is not None:
        return Result.failed(item.source, item.error)
    return check_body(item.source, item.body, strict, keep, captured_at(item.meta), item.findings)


def captured_at(meta: dict | None) -> float | None:
    """When a recording was made, where its envelope says (`recorded_at`): nothing in it happened later.
    None (the check's own time) where it says nothing usable."""
    from l4e_contract.contract.timestamps import to_epoch

    return to_epoch(meta.get("recorded_at")) if isinstance(meta, dict) else None


def check_body(source: str, body, strict: bool = False, keep: dict | None = None,
               captured: float | None = None, text_findings=()) -> Result:
    """`text_findings`: what the loader saw in the text that the body cannot show (a key named twice)."""
    from l4e_contract.check.runner import validate

    if keep is not None and isinstance(body, dict):
        keep[source] = body
    try:
        report = validate(body, strict=strict, captured_at=captured)
        for finding in text_findings:
            report.add(finding)
        return Result.from_report(source, report.sort())
    except RecursionError:
        return Result.failed(source, "nests too deeply to check")
    except Exception as exc:  # the run goes on; the file names the problem
        return Result.failed(source, f"could not be checked: {exc.__class__.__name__}: {str(exc)[:200]}")


def say_note(item, verbose: bool) -> None:
    """Notes go to stderr, so that stdout stays the results (one JSON document with --format json)."""
    if verbose or not item.verbose:
        print(printable(f"{item.source}: note: {item.note}"), file=sys.stderr)


def run(args) -> int:
    from l4e_contract.load.sources import iter_sources
    from l4e_contract.report.progress import Progress

    # Results are printed as they come and counted, not kept: a run over 100,000 files holds one
    # at a time. With --report-dir, each result and its body go to the reports as they come, too.
    reports = None
    if args.report_dir:
        from l4e_contract.report.files import RunReport

        try:
            reports = RunReport(args.report_dir, command="validate")
        except OSError as exc:
            print(f"l4e-contract validate: {printable(exc)}", file=sys.stderr)
            return 2
    with reports or contextlib.nullcontext(), Progress("validate", "file", quiet=args.quiet) as progress:
        out = reporter(args.format, sys.stdout, args.verbose, stream=True)
        tally = Tally()
        kept: dict = {}
        failed_reports = False
        for item in iter_sources(args.paths, placebo_tz=args.placebo_tz):
            if item.note is not None:
                with progress.hold(True):
                    say_note(item, args.verbose)
                continue
            result = check_item(item, args.strict, kept)
            with progress.hold(result.verdict != VALID or bool(result.warnings) or args.verbose):
                out.result(result)
            progress.update()
            tally.add(result)
            if reports is not None:
                try:
                    reports.add(result, kept.pop(item.source, None))
                except OSError as exc:  # a full disk: said once, the check goes on, the run ends in 2
                    print(f"l4e-contract validate: {printable(exc)}", file=sys.stderr)
                    reports.abandon()
                    reports, failed_reports = None, True
            kept.clear()
        summary = tally.summary
        out.finish([], summary)
        if not summary["total"]:  # every named path yields a result or a note; notes alone check nothing
            print("l4e-contract validate: nothing was checked", file=sys.stderr)
            return EXIT_ERROR
        if reports is not None:
            try:
                where = reports.finish()
            except OSError as exc:
                print(f"l4e-contract validate: {exc}", file=sys.stderr)
                return 2
            print(f"reports written to {where}", file=sys.stderr)
    return 2 if failed_reports else exit_code(summary)
