"""l4e-contract validate PATH...: load -> check -> report, one result per file."""
from __future__ import annotations

import sys

from l4e_contract.check.results import EXIT_ERROR, Result, Tally, exit_code
from l4e_contract.report.console import printable, reporter


def add_arguments(p):
    from l4e_contract.cli.arguments import path_given, writable_folder

    p.add_argument("paths", nargs="+", metavar="PATH", type=path_given,
                   help="response files, or folders searched for *.json (each file is checked once, "
                        "however the paths overlap)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: one line per finding and a summary (default); json: one document")
    p.add_argument("--strict", action="store_true", help="members the contract does not know are errors")
    p.add_argument("--verbose", "-v", action="store_true", help="list valid files too (text format)")
    p.add_argument("--report-dir", metavar="DIR", type=writable_folder("reports"),
                   help="also write JSON, JUnit XML and HTML reports to DIR/<run-id>/")


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

    # Results are printed as they come and counted, not kept: a run over 100,000 files holds one
    # at a time. Results and bodies are kept only when --report-dir asks for reports of them.
    out = reporter(args.format, sys.stdout, args.verbose, stream=True)
    tally = Tally()
    results = [] if args.report_dir else None
    documents = {} if args.report_dir else None
    for path, problem in iter_json_files(args.paths, empty_folders=True):
        result = Result.failed(path, problem) if problem else check_file(path, args.strict, documents)
        out.result(result)
        tally.add(result)
        if results is not None:
            results.append(result)
    summary = tally.summary
    out.finish(results or [], summary)
    if not summary["total"]:  # every named path yields a result today; a source that yields none must not pass
        print("l4e-contract validate: nothing was checked", file=sys.stderr)
        return EXIT_ERROR
    if args.report_dir:
        from l4e_contract.report.files import write_reports

        try:
            where = write_reports(results, args.report_dir, command="validate", documents=documents)
        except OSError as exc:
            print(f"l4e-contract validate: {printable(exc)}", file=sys.stderr)
            return 2
        print(f"reports written to {where}", file=sys.stderr)
    return exit_code(summary)
